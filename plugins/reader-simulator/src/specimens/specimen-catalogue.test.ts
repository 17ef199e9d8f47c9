// Every specimen must be exactly as valid or as broken as its scenario says, whatever day the
// tests run on, and its MRZ must agree with its visual zone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMrz } from '@tessera/sdk';
import { specimenCatalogue, type SpecimenDocument } from './specimen-catalogue.js';
import { transliterateName } from './build-mrz.js';

const REFERENCES = [new Date('2025-06-01T12:00:00Z'), new Date('2024-02-29T00:00:00Z'), new Date('2031-12-31T23:59:59Z'), new Date()];

/** Errors the scenario is meant to produce; every other specimen must parse without any. */
const EXPECTED_ERRORS: Record<string, string[]> = {
  'bad-check-digit-td3': ['MRZ_CHECK_DIGIT_BIRTH_DATE'],
  'unknown-issuer-td3': ['MRZ_ISSUING_STATE_UNKNOWN'],
};

const byId = (docs: SpecimenDocument[], id: string) => docs.find((d) => d.id === id)!;

test('ids are unique kebab-case and the default specimen comes first', () => {
  const docs = specimenCatalogue();
  const ids = docs.map((d) => d.id);
  assert.is(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  assert.is(ids[0], 'genuine-td3');
  for (const id of ['genuine-td3', 'genuine-td1', 'genuine-td2', 'genuine-mrva', 'expired-td3', 'bad-check-digit-td3', 'unknown-issuer-td3', 'counterfeit-light-td3']) {
    assert.ok(ids.includes(id), `missing ${id}`);
  }
});

test('ids, names and formats do not depend on the reference date', () => {
  const a = specimenCatalogue(REFERENCES[0]);
  const b = specimenCatalogue(REFERENCES[2]);
  assert.equal(a.map((d) => [d.id, d.format, d.viz.surname]), b.map((d) => [d.id, d.format, d.viz.surname]));
});

for (const ref of REFERENCES) {
  test(`each MRZ parses with exactly the intended problems (reference ${ref.toISOString()})`, () => {
    for (const doc of specimenCatalogue(ref)) {
      const parsed = parseMrz(doc.mrz, { referenceDate: ref });
      assert.is(parsed.format, doc.format, doc.id);
      const expected = EXPECTED_ERRORS[doc.id] ?? [];
      assert.equal(parsed.errors.map((e) => e.code), expected, `${doc.id}: ${JSON.stringify(parsed.errors)}`);
      assert.is(parsed.valid, expected.length === 0, doc.id);
      const expired = parsed.warnings.some((w) => w.code === 'MRZ_DOCUMENT_EXPIRED');
      assert.is(expired, doc.id === 'expired-td3', `${doc.id} expiry`);
      if (doc.scenario === 'genuine' || doc.scenario === 'counterfeit-light') {
        assert.equal(parsed.warnings, [], `${doc.id}: ${JSON.stringify(parsed.warnings)}`);
      }
    }
  });
}

test('the MRZ says what the visual zone says', () => {
  const ref = REFERENCES[0];
  for (const doc of specimenCatalogue(ref)) {
    const f = parseMrz(doc.mrz, { referenceDate: ref }).fields!;
    const v = doc.viz;
    assert.is(f.issuingState, v.issuingState, doc.id);
    assert.is(f.nationality, v.nationality, doc.id);
    assert.is(f.documentNumber, v.documentNumber, doc.id);
    assert.is(f.documentCode, v.documentType, doc.id);
    assert.is(f.birthDate, v.birthDate, doc.id);
    assert.is(f.expiryDate, v.expiryDate, doc.id);
    assert.is(f.sex, v.sex, doc.id);
    assert.is(f.surname, transliterateName(v.surname).replace(/</g, ' '), doc.id);
    assert.is(f.givenNames, transliterateName(v.givenNames).replace(/</g, ' '), doc.id);
    assert.ok(v.issueDate < v.expiryDate, doc.id);
    assert.ok(v.birthDate < v.issueDate, doc.id);
  }
});

test('validity periods sit around the reference date', () => {
  const ref = new Date('2025-06-01T00:00:00Z');
  const docs = specimenCatalogue(ref);
  const day = '2025-06-01';
  for (const doc of docs) {
    if (doc.id === 'expired-td3') continue;
    assert.ok(doc.viz.issueDate <= day && doc.viz.expiryDate > day, doc.id);
  }
  assert.is(byId(docs, 'expired-td3').viz.expiryDate, '2023-06-01');
  assert.ok(byId(docs, 'genuine-td3').viz.expiryDate >= '2030-01-01');
});

test('only the counterfeit has tell-tale light properties', () => {
  for (const doc of specimenCatalogue()) {
    const counterfeit = doc.id === 'counterfeit-light-td3';
    assert.equal(doc.light, { irMrzVisible: !counterfeit, uvDull: !counterfeit }, doc.id);
  }
});

test('the catalogue is a fresh copy each time', () => {
  const a = specimenCatalogue();
  a[0].mrz[0] = 'tampered';
  assert.is.not(specimenCatalogue()[0].mrz[0], 'tampered');
});

test.run();
