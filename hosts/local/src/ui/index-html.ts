/** The single HTML page of the officer UI; everything else comes from /app.js. */
export function indexHtml(): string {
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tessera — inspection workstation</title>
<style>
  html, body { margin: 0; height: 100%; background: #f3f4f7; font-family: 'DejaVu Sans', 'Noto Sans', system-ui, sans-serif; color: #1f1f1f; }
</style>
<script type="module" src="/app.js"></script>
</head>
<body><tessera-app></tessera-app></body>
</html>`;
}
