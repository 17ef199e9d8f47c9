#!/usr/bin/env node
// Checks (and, as root with apt, installs) the system packages Tessera needs: Chromium for PDF reports
// and browser tests, the OCR-B font for specimen documents, poppler-utils (pdftotext) for report tests.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const quiet = process.argv.includes('--quiet');
const needs = [
  { what: 'Chromium', pkg: 'chromium', ok: () => ['/usr/bin/chromium', process.env.TESSERA_CHROMIUM].some((p) => p && existsSync(p)) },
  { what: 'the OCR-B font', pkg: 'fonts-ocr-b', ok: () => existsSync('/usr/share/fonts/opentype/ocr-b/OCRB.otf') },
  { what: 'DejaVu fonts', pkg: 'fonts-dejavu-core', ok: () => existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf') },
  { what: 'pdftotext', pkg: 'poppler-utils', ok: () => existsSync('/usr/bin/pdftotext') },
];
const missing = needs.filter((n) => !n.ok());
if (!missing.length) {
  if (!quiet) console.log('setup: all system packages present');
  process.exit(0);
}
const pkgs = missing.map((m) => m.pkg);
const isRoot = process.getuid?.() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(`setup: missing ${missing.map((m) => m.what).join(', ')}.`);
  console.error(`  Install them with: sudo apt-get install -y --no-install-recommends ${pkgs.join(' ')}`);
  process.exit(1);
}
console.error(`setup: installing ${pkgs.join(' ')} (apt-get)…`);
const run = (args) => spawnSync('apt-get', args, { stdio: quiet ? 'ignore' : 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
run(['update', '-qq']);
const result = run(['install', '-y', '-qq', '--no-install-recommends', ...pkgs]);
const still = needs.filter((n) => !n.ok());
if (result.status !== 0 || still.length) {
  console.error(`setup: could not install ${still.map((m) => m.what).join(', ')}; install them by hand: apt-get install -y ${still.map((m) => m.pkg).join(' ')}`);
  process.exit(1);
}
console.error('setup: done');
