/** Help texts of `tessera ocr`, kept apart so the plugin entry can register the command without loading it. */
export const OCR_SUMMARY = 'Read the MRZ from page images (PNG/JPEG); one JSON line per image.';
export const OCR_USAGE = [
  'usage: tessera ocr IMAGE… [--check] [--json]',
  '',
  'Prints one JSON object per image, one per line:',
  '  {"file", "mrz": [lines] | null, "format", "valid", "confidence", "candidates"?, "ms"}',
  '"mrz" is the MRZ as printed: recognition errors repaired, nothing else changed (a document printed',
  'with a wrong check digit comes out as printed, and invalid). "candidates" lists the readings the',
  'engine could not choose between (then nothing was picked), or the MRZs of a page that holds two.',
  '  --check  add "check": the full MRZ validation result (format, fields, checks, errors, warnings)',
  '  --json   the output format (the default; accepted for scripts that ask for it)',
  'Exit code: 0 when every image gave a valid MRZ, 1 otherwise, 2 on a usage error.',
].join('\n');
