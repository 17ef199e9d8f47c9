/**
 * Writes docs/error-codes.md from the code's catalogues, so the documented codes cannot drift from the
 * ones the code throws: the host's ERROR_CODES (core/src/error-codes.ts, grouped by the comment headings
 * there), the MRZ library's MRZ_ERROR_CODES, the few check-finding codes listed below, and every other
 * exported `*_ERROR_CODES` object literal in the SDK and the plugins (found by reading the source).
 *
 *   node --import tsx scripts/generate-docs.ts           rewrite docs/error-codes.md
 *   node --import tsx scripts/generate-docs.ts --check   exit 1 when the committed file is out of date
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { MRZ_ERROR_CODES } from '@tessera/sdk';
import { ERROR_CODES } from '../core/src/error-codes.js';

export const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const ERROR_CODES_DOC = path.join(ROOT, 'docs', 'error-codes.md');
export const REGENERATE_COMMAND = 'node --import tsx scripts/generate-docs.ts';

const HOST_CATALOGUE = 'core/src/error-codes.ts';
const MRZ_CATALOGUE = 'sdk/src/mrz/error-codes.ts';
const HTTP_ERRORS = 'hosts/local/src/http-errors.ts';

/**
 * Codes a DocumentCheck puts in its findings that are in no catalogue: the built-in checks' own codes
 * (plugins/checks-mrz/src/mrz-checks.ts) and the one the core adds when a check cannot run
 * (core/src/inspection-service.ts). MRZ_* codes of the MRZ library also appear as findings; they are
 * listed with the MRZ codes.
 */
export const CHECK_FINDING_CODES: Readonly<Record<string, { meaning: string; where: string }>> = {
  DOC_EXPIRED: {
    meaning: 'The date of expiry in the MRZ lies before the inspection date.',
    where: 'check finding of `mrz.expiry` (plugin checks-mrz); the check fails',
  },
  DOC_EXPIRES_SOON: {
    meaning: 'The document expires within the configured number of days (checks-mrz `expiryWarningDays`, default 90).',
    where: 'check finding of `mrz.expiry` (plugin checks-mrz); the check warns',
  },
  MRZ_CORRECTED: {
    meaning: 'Characters of an OCR-read MRZ were corrected (guided by the check digits); the finding lists each change.',
    where: 'check finding of `mrz.check-digits` (plugin checks-mrz); turns a pass into a warning',
  },
  CHECK_FAILED_TO_RUN: {
    meaning: 'A check threw an error or did not answer within its time limit (5 s by default); the message says why.',
    where: 'check finding added by the core; the check\'s status is `error`',
  },
};

/** Where a host code shows up, beyond what the rules in whereHostCode derive. */
const HOST_WHERE_OVERRIDES: Readonly<Record<string, string>> = {
  TSR_PLUGIN_STOP_FAILED: 'host log (warning) while the host stops; the plugin is still marked stopped',
  TSR_CONFIG_UNKNOWN_PLUGIN: 'warning, not an error: CLI (`tessera start`, `tessera plugins`), `configWarnings` of `GET /api/host`, host log',
  TSR_DATA_FOLDER_MISSING: 'CLI (`tessera plugins`; `tessera start` creates the folder instead)',
  TSR_DATABASE_UNAVAILABLE: 'CLI (`tessera start`, `tessera plugins`): the command stops; plugin state when a plugin\'s own database cannot be opened',
  TSR_PLUGIN_HOST_INCOMPATIBLE: 'plugin state, when the host API version is outside the plugin\'s `engines.tessera` range (a plugin whose `engines.hosts` leaves out this host is marked `disabled` instead, with no error)',
  TSR_PORT_IN_USE: 'CLI (`tessera start`): the host does not start',
  TSR_HOST_START_FAILED: 'CLI (`tessera start`): the host does not start',
};

/** Codes the ReaderDriver contract names: drivers throw them and the conformance suite checks them. */
const DRIVER_CODES: Readonly<Record<string, string>> = {
  TSR_READER_DEVICE_NOT_FOUND: 'thrown by reader drivers',
  TSR_READER_BUSY: 'thrown by reader drivers',
  TSR_READER_NO_DOCUMENT: 'thrown by reader drivers',
  TSR_READER_ABORTED: 'thrown by reader drivers',
  TSR_REQUEST_INVALID: 'thrown by a reader driver for an unknown device setting or value',
};

export interface CodeRow {
  code: string;
  meaning: string;
  where: string;
}

export interface CodeGroup {
  title: string;
  rows: CodeRow[];
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

function propertyName(p: ts.ObjectLiteralElementLike): string | null {
  if (!ts.isPropertyAssignment(p)) return null;
  if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) return p.name.text;
  return null;
}

/**
 * The `// Heading` comment each property of the catalogue's object literals sits under, by code. The
 * catalogue object itself is the authority for which codes exist; this only groups them.
 */
export function sectionsOf(file: string): Map<string, string> {
  const source = parse(file);
  const text = source.getFullText();
  const sections = new Map<string, string>();
  const visit = (node: ts.Node) => {
    if (ts.isObjectLiteralExpression(node)) {
      let current: string | null = null;
      for (const p of node.properties) {
        const comments = ts.getLeadingCommentRanges(text, p.getFullStart()) ?? [];
        for (const c of comments) {
          if (c.kind === ts.SyntaxKind.SingleLineCommentTrivia) current = text.slice(c.pos + 2, c.end).trim();
        }
        const name = propertyName(p);
        if (name && current) sections.set(name, current);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sections;
}

/** The HTTP status the local host answers for each code (STATUS_BY_CODE in hosts/local/src/http-errors.ts). */
export function httpStatuses(): Map<string, number> {
  const statuses = new Map<string, number>();
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'STATUS_BY_CODE' && node.initializer && ts.isObjectLiteralExpression(node.initializer)) {
      for (const p of node.initializer.properties) {
        const name = propertyName(p);
        if (name && ts.isPropertyAssignment(p) && ts.isNumericLiteral(p.initializer)) statuses.set(name, Number(p.initializer.text));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(HTTP_ERRORS));
  return statuses;
}

function whereHostCode(code: string, statuses: Map<string, number>): string {
  const override = HOST_WHERE_OVERRIDES[code];
  if (override) return override;
  const places: string[] = [];
  const status = statuses.get(code);
  if (status !== undefined) places.push(`HTTP response (${status})`);
  if (DRIVER_CODES[code]) places.push(DRIVER_CODES[code]);
  if (/^TSR_(MANIFEST|PLUGIN|CONTRIBUTION)_/.test(code)) places.push('plugin state');
  if (/^TSR_(CONFIG|DATA_FOLDER|DATABASE)_/.test(code)) places.push('CLI (`tessera start`, `tessera plugins`): the command stops');
  return places.length ? places.join('; ') : 'thrown as a TesseraError; see the message';
}

/** Groups in catalogue order; a code under no heading is grouped by its prefix family. */
function group(codes: string[], sections: Map<string, string>, row: (code: string) => CodeRow): CodeGroup[] {
  const groups: CodeGroup[] = [];
  for (const code of codes) {
    const title = sections.get(code) ?? `${code.split('_').slice(0, 2).join('_')}_*`;
    let g = groups.find((x) => x.title === title);
    if (!g) groups.push((g = { title, rows: [] }));
    g.rows.push(row(code));
  }
  return groups;
}

export function hostCodeGroups(): CodeGroup[] {
  const statuses = httpStatuses();
  return group(Object.keys(ERROR_CODES), sectionsOf(HOST_CATALOGUE), (code) => ({
    code,
    meaning: ERROR_CODES[code as keyof typeof ERROR_CODES],
    where: whereHostCode(code, statuses),
  }));
}

export function mrzCodeGroups(): CodeGroup[] {
  const catalogue = MRZ_ERROR_CODES as Readonly<Record<string, string>>;
  return group(Object.keys(catalogue), sectionsOf(MRZ_CATALOGUE), (code) => {
    const description = catalogue[code]!;
    const warning = description.startsWith('(warning)');
    return {
      code,
      meaning: warning ? description.slice('(warning)'.length).trim() : description,
      where: warning ? 'MRZ result, `warnings`; check finding' : 'MRZ result, `errors` (document invalid); check finding',
    };
  });
}

/** A catalogue found in the source: an exported `X_ERROR_CODES = { CODE: 'meaning', … }`. */
export interface FoundCatalogue {
  name: string;
  /** Repository-relative, with forward slashes. */
  file: string;
  /** The plugin id, for a catalogue inside plugins/<folder>/. */
  pluginId: string | null;
  codes: Array<{ code: string; meaning: string }>;
}

/** Catalogues read from the code itself (imported above), not from the source text. */
const IMPORTED_CATALOGUE_FILES = new Set([HOST_CATALOGUE, MRZ_CATALOGUE]);

function sourceFilesUnder(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir).sort()) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) sourceFilesUnder(full, out);
    else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts') && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

function pluginIdOf(pluginDir: string): string {
  try {
    const manifest = JSON.parse(readFileSync(path.join(pluginDir, 'tessera-plugin.json'), 'utf8')) as { id?: unknown };
    if (typeof manifest.id === 'string') return manifest.id;
  } catch {
    // No readable manifest: the folder name stands in.
  }
  return path.basename(pluginDir);
}

/** Every other catalogue in sdk/src and plugins/<folder>/src, in file order. */
export function otherCatalogues(): FoundCatalogue[] {
  const pluginsDir = path.join(ROOT, 'plugins');
  const pluginDirs = existsSync(pluginsDir) ? readdirSync(pluginsDir).sort().map((d) => path.join(pluginsDir, d)).filter((d) => statSync(d).isDirectory()) : [];
  const files = [...sourceFilesUnder(path.join(ROOT, 'sdk', 'src')), ...pluginDirs.flatMap((d) => sourceFilesUnder(path.join(d, 'src')))];
  const found: FoundCatalogue[] = [];
  for (const full of files) {
    const file = path.relative(ROOT, full).split(path.sep).join('/');
    if (IMPORTED_CATALOGUE_FILES.has(file)) continue;
    const text = readFileSync(full, 'utf8');
    if (!text.includes('_ERROR_CODES')) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement) || !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      for (const decl of statement.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name) || !/^[A-Z][A-Z0-9_]*_ERROR_CODES$/.test(decl.name.text) || !decl.initializer) continue;
        const literal = unwrap(decl.initializer);
        if (!ts.isObjectLiteralExpression(literal)) continue;
        const codes: FoundCatalogue['codes'] = [];
        for (const p of literal.properties) {
          const code = propertyName(p);
          if (code && ts.isPropertyAssignment(p) && ts.isStringLiteralLike(p.initializer)) codes.push({ code, meaning: p.initializer.text });
        }
        const pluginDir = pluginDirs.find((d) => full.startsWith(d + path.sep));
        found.push({ name: decl.name.text, file, pluginId: pluginDir ? pluginIdOf(pluginDir) : null, codes });
      }
    }
  }
  return found;
}

function otherCatalogueGroups(catalogue: FoundCatalogue): CodeGroup[] {
  const where = catalogue.pluginId ? `thrown by plugin \`${catalogue.pluginId}\`` : `thrown by the SDK (\`${path.posix.dirname(catalogue.file)}\`)`;
  const sections = sectionsOf(catalogue.file);
  const meanings = new Map(catalogue.codes.map((c) => [c.code, c.meaning]));
  return group(
    catalogue.codes.map((c) => c.code),
    sections,
    (code) => ({ code, meaning: meanings.get(code)!, where }),
  );
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function table(rows: CodeRow[]): string[] {
  return ['| Code | Meaning | Where it appears |', '|---|---|---|', ...rows.map((r) => `| \`${r.code}\` | ${cell(r.meaning)} | ${cell(r.where)} |`)];
}

export function renderErrorCodes(): string {
  const host = hostCodeGroups();
  const mrz = mrzCodeGroups();
  const count = (groups: CodeGroup[]) => groups.reduce((n, g) => n + g.rows.length, 0);
  const out: string[] = [
    '# Error codes',
    '',
    `<!-- Generated by scripts/generate-docs.ts from the *_ERROR_CODES catalogues in the code and the check-finding codes in the generator. Do not edit: change the catalogue, then run \`${REGENERATE_COMMAND}\`. -->`,
    '',
    'Every problem Tessera reports carries a stable code. A code never changes meaning once released; new',
    'problems get new codes. This page is generated from the catalogues in the code; a code thrown without',
    'a catalogue entry is missing here, and that is a bug.',
    '',
    '## How errors look',
    '',
    '- **`TesseraError`** (`@tessera/sdk`) is what every layer throws: `code`, `message` (what went wrong),',
    '  `hint` (what to do; optional) and `details` (optional, e.g. the list of schema problems).',
    '- **HTTP** (local host): `{ "error": { "code": "…", "message": "…", "hint": "…" } }`; `hint` is left out',
    '  when there is none. The HTTP status of each code is in the tables below; a `TesseraError` whose code',
    '  has none answers 500. Requests that fail validation, unknown routes and oversized bodies answer',
    '  `TSR_REQUEST_INVALID`; [the HTTP API](http-api.md) names the few answers with codes outside this page.',
    '- **CLI**: `error CODE: message` on stderr, the hint on the next line, exit code 1. Set `TESSERA_DEBUG=1`',
    '  to add the stack trace.',
    '- **Plugin state**: a plugin that fails to load or start is not an error of the host. It is marked',
    '  `failed` with `error: { code, message, hint?, causedBy? }` (`causedBy`: the plugin whose failure caused',
    '  this one) and the host runs on without it. The state shows in `GET /api/plugins`, in',
    '  `tessera plugins` (exit code 1 when a plugin failed), as a `warning: plugin ID failed — CODE: …` line of',
    '  `tessera start`, and in the officer UI\'s plugin list.',
    '- **MRZ result**: `parseMrz` (and `tessera mrz`, and the `mrz` of a stored inspection) returns issues',
    '  `{ code, message, field?, line?, column? }` in `errors` (the MRZ is invalid) or `warnings` (it is not).',
    '- **Check finding**: a check\'s result lists findings `{ code, message, field? }`. The built-in MRZ',
    '  checks copy the MRZ codes into their findings, and add the check-finding codes listed last.',
    '- **Libraries and plugins** may keep catalogues of their own (e.g. the USB CCID reader); they are listed',
    '  after the MRZ codes.',
    '',
    `## Host codes (TSR_*) — ${count(host)}`,
    '',
    `From \`ERROR_CODES\` in \`${HOST_CATALOGUE}\`.`,
    '',
  ];
  for (const g of host) out.push(`### ${g.title}`, '', ...table(g.rows), '');
  out.push(`## MRZ codes (MRZ_*) — ${count(mrz)}`, '', `From \`MRZ_ERROR_CODES\` in \`${MRZ_CATALOGUE}\` (exported by \`@tessera/sdk\`).`, '');
  for (const g of mrz) out.push(`### ${g.title}`, '', ...table(g.rows), '');
  const others = otherCatalogues();
  if (others.length) {
    out.push(
      `## Codes of SDK libraries and plugins — ${others.reduce((n, c) => n + c.codes.length, 0)}`,
      '',
      'Other `*_ERROR_CODES` catalogues in `sdk/src` and `plugins/*/src`. These codes come with a `TesseraError`',
      'from the library or plugin named; when one ends an HTTP request the local host answers 500, as it maps',
      'only host codes to statuses.',
      '',
    );
  }
  for (const catalogue of others) {
    const title = catalogue.pluginId ? `Plugin ${catalogue.pluginId}` : `SDK, ${path.posix.dirname(catalogue.file).replace(/^sdk\/src\//, '')}`;
    out.push(`### ${title}: ${catalogue.name} — ${catalogue.codes.length}`, '', `From \`${catalogue.file}\`.`, '');
    const groups = otherCatalogueGroups(catalogue);
    // Headings inside the catalogue become sub-headings; a catalogue without them is one table.
    if (groups.every((g) => !g.title.endsWith('_*'))) for (const g of groups) out.push(`#### ${g.title}`, '', ...table(g.rows), '');
    else out.push(...table(groups.flatMap((g) => g.rows)), '');
  }
  out.push(
    `## Check-finding codes — ${Object.keys(CHECK_FINDING_CODES).length}`,
    '',
    'Codes in check results that belong to no catalogue (listed in `scripts/generate-docs.ts`).',
    '',
    ...table(Object.entries(CHECK_FINDING_CODES).map(([code, v]) => ({ code, ...v }))),
    '',
  );
  return out.join('\n').replace(/\n+$/, '\n');
}

export function readCommitted(): string | null {
  return existsSync(ERROR_CODES_DOC) ? readFileSync(ERROR_CODES_DOC, 'utf8') : null;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const doc = renderErrorCodes();
  const relative = path.relative(ROOT, ERROR_CODES_DOC);
  if (readCommitted() === doc) {
    console.log(`${relative} is up to date.`);
  } else if (check) {
    console.error(`${relative} is out of date with the error-code catalogues. Run \`${REGENERATE_COMMAND}\` and commit the result.`);
    process.exitCode = 1;
  } else {
    mkdirSync(path.dirname(ERROR_CODES_DOC), { recursive: true });
    writeFileSync(ERROR_CODES_DOC, doc);
    console.log(`Wrote ${relative}.`);
  }
}
