// The generated documents: reproducible for a seed, every MRZ read back by the SDK's own parser
// with the validity the generator claims, and the hard cases for OCR actually present.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMrz } from '../mrz/index.js';
import { isTesseraError } from '../errors.js';
import { DOC_FORMATS, generateDocuments } from './generate-documents.js';

const REFERENCE = { referenceDate: new Date('2026-01-01T00:00:00Z') };
const docs = generateDocuments({ seed: 42, count: 500, invalidShare: 0.2 });

test('the same seed gives the same documents; another seed others', () => {
  assert.equal(generateDocuments({ seed: 42, count: 500, invalidShare: 0.2 }), docs);
  const other = generateDocuments({ seed: 43, count: 500, invalidShare: 0.2 });
  assert.not.equal(other.map((d) => d.mrz), docs.map((d) => d.mrz));
});

test('formats take turns, ids are unique, lines have their ICAO lengths', () => {
  const lengths = { TD1: [30, 3], TD2: [36, 2], TD3: [44, 2], MRVA: [44, 2], MRVB: [36, 2] } as const;
  docs.forEach((d, i) => {
    assert.is(d.format, DOC_FORMATS[i % DOC_FORMATS.length]);
    assert.is(d.mrz.length, lengths[d.format][1], d.id);
    for (const line of d.mrz) assert.is(line.length, lengths[d.format][0], d.id);
  });
  assert.is(new Set(docs.map((d) => d.id)).size, docs.length);
  assert.equal(new Set(generateDocuments({ seed: 1, count: 10, formats: ['MRVB'] }).map((d) => d.format)), new Set(['MRVB']));
});

test('every MRZ parses as its format, and validMrz is what the parser says', () => {
  for (const d of docs) {
    const parsed = parseMrz(d.mrz, REFERENCE);
    assert.is(parsed.format, d.format, d.id);
    assert.is(parsed.valid, d.validMrz, `${d.id}: ${JSON.stringify(parsed.errors)}`);
  }
});

test('exactly the invalid share is invalid, each by exactly one check digit', () => {
  const invalid = docs.filter((d) => !d.validMrz);
  assert.is(invalid.length, 100);
  const failedFields = new Set<string>();
  for (const d of invalid) {
    const parsed = parseMrz(d.mrz, REFERENCE);
    const failedChecks = parsed.checks.filter((c) => !c.valid);
    assert.is(failedChecks.length, 1, `${d.id}: ${JSON.stringify(parsed.checks)}`);
    assert.ok(parsed.errors.every((e) => e.code.startsWith('MRZ_CHECK_DIGIT')), `${d.id}: ${JSON.stringify(parsed.errors)}`);
    failedFields.add(failedChecks[0].field);
  }
  // Not always the same digit: the reader must not be able to learn where the defect sits.
  for (const field of ['documentNumber', 'birthDate', 'expiryDate', 'composite']) assert.ok(failedFields.has(field), `a wrong ${field} check digit occurs`);
  assert.is(generateDocuments({ seed: 5, count: 40, invalidShare: 0 }).filter((d) => !d.validMrz).length, 0);
  assert.is(generateDocuments({ seed: 5, count: 40 }).filter((d) => !d.validMrz).length, 4, 'default share 0.1');
});

test('the fields are what the MRZ holds (names, where not shortened)', () => {
  for (const d of docs.filter((x) => x.validMrz)) {
    const f = parseMrz(d.mrz, REFERENCE).fields!;
    assert.is(f.documentNumber, d.fields.documentNumber, d.id);
    assert.is(f.birthDate, d.fields.birthDate, d.id);
    assert.is(f.expiryDate, d.fields.expiryDate, d.id);
    assert.is(f.sex, d.fields.sex, d.id);
    assert.is(f.issuingState, d.fields.issuingState, d.id);
    assert.is(f.nationality, d.fields.nationality, d.id);
    assert.ok(d.fields.surname.startsWith(f.surname), `${d.id}: ${f.surname} from ${d.fields.surname}`);
    // A long TD1/TD2 number fills the optional data with its continuation; otherwise it holds ours.
    if (d.fields.documentNumber.length <= 9) assert.is(f.optionalData1, d.fields.optionalData ?? '', d.id);
  }
});

test('the set exercises OCR: confusable characters, shortened names, long filler runs, long numbers', () => {
  const mrzText = docs.map((d) => d.mrz.join('')).join('');
  for (const ch of 'O0I1B8S5Z2DMH') assert.ok(mrzText.includes(ch), `contains ${ch}`);
  const shortened = docs.filter((d) => parseMrz(d.mrz, REFERENCE).warnings.some((w) => w.code === 'MRZ_NAME_TRUNCATED'));
  assert.ok(shortened.length >= 10, `${shortened.length} names fill their field`);
  assert.ok(docs.some((d) => /<{25,}/.test(d.mrz.join('\n'))), 'a run of 25+ fillers');
  assert.ok(docs.some((d) => d.fields.documentNumber.length > 9), 'a TD1/TD2 long document number');
  assert.ok(docs.some((d) => d.fields.givenNames === ''), 'a mononym');
  assert.ok(docs.some((d) => d.fields.sex === 'X'), 'an unspecified sex');
});

test('bad options are refused with DOCGEN_OPTIONS_INVALID', () => {
  const bad = [
    { seed: 1.5, count: 1 },
    { seed: 1, count: -1 },
    { seed: 1, count: 1, invalidShare: 1.5 },
    { seed: 1, count: 1, formats: ['FRA_ID' as never] },
    { seed: 1, count: 1, formats: [] },
  ];
  for (const opts of bad) {
    try {
      generateDocuments(opts);
      assert.unreachable(JSON.stringify(opts));
    } catch (error) {
      assert.ok(isTesseraError(error) && error.code === 'DOCGEN_OPTIONS_INVALID', `${JSON.stringify(opts)}: ${String(error)}`);
    }
  }
});

test.run();
