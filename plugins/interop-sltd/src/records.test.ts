// The shared SLTD definitions: normalisation of document numbers, states and types, the record key, and
// the generator's promises (deterministic, unique keys, every status, a realistic mix).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SLTD_STATUSES, generateSltdRecords, normaliseDocumentNumber, normaliseDocumentType, normaliseIssuingState, sltdKey, type SltdStatus } from './records.js';

test('normaliseDocumentNumber upper-cases and drops spaces, "<" and "-"', () => {
  assert.is(normaliseDocumentNumber('l8989 02c-3<<'), 'L898902C3');
  assert.is(normaliseDocumentNumber(' ab\t12 34 '), 'AB1234');
  assert.is(normaliseDocumentNumber('<<<'), '');
});

test('state and type normalisation drop MRZ fillers', () => {
  assert.is(normaliseIssuingState('d<<'), 'D');
  assert.is(normaliseIssuingState(' uto '), 'UTO');
  assert.is(normaliseDocumentType('p<'), 'P');
  assert.is(normaliseDocumentType('PD'), 'PD');
});

test('sltdKey is STATE/TYPE/NUMBER with every part normalised; no type leaves the middle empty', () => {
  assert.is(sltdKey({ documentNumber: 'l898902c3', issuingState: 'uto', documentType: 'P<' }), 'UTO/P/L898902C3');
  assert.is(sltdKey({ documentNumber: 'C01X 00T4-7', issuingState: 'D<<' }), 'D//C01X00T47');
});

test('generateSltdRecords is deterministic per seed and differs between seeds', () => {
  const a = [...generateSltdRecords({ seed: 7, count: 500 })];
  const b = [...generateSltdRecords({ seed: 7, count: 500 })];
  const c = [...generateSltdRecords({ seed: 8, count: 500 })];
  assert.equal(a, b);
  assert.not.equal(a.map(sltdKey), c.map(sltdKey));
});

test('generateSltdRecords: unique keys, normalised numbers, every status, a realistic mix', () => {
  const count = 200_000;
  const keys = new Set<string>();
  const statuses = new Map<SltdStatus, number>();
  const states = new Map<string, number>();
  let passports = 0;
  let withReference = 0;
  let long = 0;
  for (const r of generateSltdRecords({ seed: 1, count })) {
    keys.add(sltdKey(r));
    assert.is(normaliseDocumentNumber(r.documentNumber), r.documentNumber);
    assert.ok(/^[A-Z]{1,3}$/.test(r.issuingState), r.issuingState);
    if (r.reportedOn) assert.ok(/^20(0[3-9]|1\d|2[0-5])-\d\d-\d\d$/.test(r.reportedOn), r.reportedOn);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    states.set(r.issuingState, (states.get(r.issuingState) ?? 0) + 1);
    if (r.documentType === 'P') passports++;
    if (r.reference) withReference++;
    if (r.documentNumber.length > 9) long++;
  }
  assert.is(keys.size, count);
  for (const status of SLTD_STATUSES) assert.ok((statuses.get(status) ?? 0) > count * 0.01, `${status}: ${statuses.get(status)}`);
  assert.ok(statuses.get('lost')! > statuses.get('stolen')!, 'lost documents outnumber stolen ones');
  assert.ok(states.get('USA')! > count * 0.05 && states.has('D') && !states.has('DEU'), 'heavy reporters and Germany as D');
  assert.ok(states.size > 150, `a long tail of states: ${states.size}`);
  assert.ok(passports > count * 0.5 && passports < count * 0.65, `passports: ${passports}`);
  assert.ok(withReference > 0 && withReference < count * 0.05, `references: ${withReference}`);
  assert.ok(long > 0 && long < count * 0.01, `long numbers: ${long}`);
});

test('generateSltdRecords rejects a bad count', () => {
  assert.throws(() => [...generateSltdRecords({ seed: 1, count: -1 })], RangeError);
  assert.throws(() => [...generateSltdRecords({ seed: 1, count: 1.5 })], RangeError);
});

test.run();
