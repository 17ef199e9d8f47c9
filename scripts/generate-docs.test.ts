// docs/error-codes.md is generated from the catalogues and committed: a new or changed code without
// regenerated docs fails here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MRZ_ERROR_CODES } from '@tessera/sdk';
import { ERROR_CODES } from '../core/src/error-codes.js';
import { CHECK_FINDING_CODES, REGENERATE_COMMAND, httpStatuses, hostCodeGroups, otherCatalogues, readCommitted, renderErrorCodes, sectionsOf } from './generate-docs.js';

const generated = renderErrorCodes();
const committed = readCommitted();
const others = otherCatalogues();

test('docs/error-codes.md is up to date with the catalogues', () => {
  assert.ok(committed !== null, `docs/error-codes.md is missing. Run \`${REGENERATE_COMMAND}\`.`);
  assert.ok(committed === generated, `docs/error-codes.md is out of date with the error-code catalogues. Run \`${REGENERATE_COMMAND}\` and commit the result.`);
});

const allCodes = [
  ...Object.keys(ERROR_CODES),
  ...Object.keys(MRZ_ERROR_CODES),
  ...others.flatMap((c) => c.codes.map((x) => x.code)),
  ...Object.keys(CHECK_FINDING_CODES),
];

test('every catalogued code has a row in the committed file', () => {
  const missing = allCodes.filter((code) => !committed?.includes(`| \`${code}\` |`));
  assert.equal(missing, [], `codes without a row in docs/error-codes.md: ${missing.join(', ')}. Run \`${REGENERATE_COMMAND}\`.`);
});

test('a code means one thing: no code is in two catalogues', () => {
  const seen = new Set<string>();
  const twice = allCodes.filter((code) => (seen.has(code) ? true : (seen.add(code), false)));
  assert.equal(twice, [], `codes listed twice: ${twice.join(', ')}`);
});

test('the catalogues of the SDK libraries and plugins are found in the source', () => {
  const ccid = others.find((c) => c.name === 'CCID_ERROR_CODES');
  if (ccid) {
    assert.is(ccid.pluginId, 'reader-usb-ccid');
    assert.ok(ccid.codes.length > 0);
  }
  for (const c of others) {
    assert.not.ok(c.file === 'core/src/error-codes.ts' || c.file === 'sdk/src/mrz/error-codes.ts', `${c.file} is read twice`);
    for (const { code, meaning } of c.codes) assert.ok(meaning.trim().length > 0, `${code} in ${c.file} has no meaning`);
  }
});

test('host codes are grouped by the headings of core/src/error-codes.ts, every code under one', () => {
  const sections = sectionsOf('core/src/error-codes.ts');
  for (const code of Object.keys(ERROR_CODES)) assert.ok(sections.has(code), `${code} sits under no "// heading" comment in core/src/error-codes.ts`);
  const titles = hostCodeGroups().map((g) => g.title);
  assert.equal(titles, [...new Set(sections.values())]);
});

test('every HTTP status the local host maps is for a catalogued code', () => {
  const statuses = httpStatuses();
  assert.ok(statuses.size > 0, 'STATUS_BY_CODE not found in hosts/local/src/http-errors.ts');
  for (const code of statuses.keys()) assert.ok(code in ERROR_CODES, `hosts/local/src/http-errors.ts maps ${code}, which is not in ERROR_CODES`);
  for (const [code, status] of statuses) assert.match(generated, `| \`${code}\` |`, `${code} (${status}) missing`);
});

test.run();
