// Correction mode: class-driven and check-digit-driven OCR repairs, ambiguity, limits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeMrz, parseMrz, type MrzParseResult } from './index.js';

const ref = new Date('2026-11-25T00:00:00Z');
const correct = { referenceDate: ref, correct: true };

const L1 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<';
const L2 = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

function changes(r: MrzParseResult): Array<[number, number, string, string, string]> {
  return r.corrections.map((c) => [c.line, c.column, c.field, c.from, c.to]);
}

test('O and I in the date of birth are read as 0 and 1, and reported', () => {
  const r = parseMrz([L1, 'L898902C36UTO74O8I22F1204159ZE184226B<<<<<10'], correct);
  assert.ok(r.valid, JSON.stringify(r.errors));
  assert.is(r.fields?.birthDate, '1974-08-12');
  assert.equal(changes(r), [[2, 16, 'birthDate', 'O', '0'], [2, 18, 'birthDate', 'I', '1']]);
  assert.equal(r.lines, [L1, L2]);
  assert.match(r.corrections[0].reason, 'digits only');
  // Without correction mode the same input is invalid and untouched.
  const plain = parseMrz([L1, 'L898902C36UTO74O8I22F1204159ZE184226B<<<<<10'], { referenceDate: ref });
  assert.not.ok(plain.valid);
  assert.equal(plain.corrections, []);
  assert.ok(plain.errors.some((e) => e.code === 'MRZ_BIRTH_DATE_INVALID'));
});

test("a check digit read as the letter 'O' becomes 0", () => {
  const r = parseMrz([L1, L2.slice(0, 43) + 'O'], correct);
  assert.ok(r.valid);
  assert.equal(changes(r), [[2, 44, 'composite', 'O', '0']]);
});

test('digits in letters-only fields: state code and names', () => {
  const r = parseMrz(['P<UT0ERIKSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<', L2], correct);
  assert.ok(r.valid, JSON.stringify(r.errors));
  assert.equal(changes(r), [
    [1, 5, 'issuingState', '0', 'O'],
    [1, 12, 'surname', '0', 'O'],
    [1, 24, 'givenNames', '1', 'I'],
  ]);
  assert.is(r.fields?.surname, 'ERIKSSON');
  assert.is(r.fields?.givenNames, 'ANNA MARIA');
});

test('a run of K read for fillers at the end of the name is reset to fillers', () => {
  const r = parseMrz(['P<UTOERIKSSON<<ANNA<MARIA<<<<<KKKK<<<<<XX<<<', L2], correct);
  assert.ok(r.valid, JSON.stringify(r.errors));
  assert.is(r.lines[0], L1);
  assert.is(r.corrections.length, 6);
  assert.ok(r.corrections.every((c) => c.to === '<' && c.field === 'givenNames'));
});

test('a filler read as X in TD1 optional data is repaired through the composite check digit', () => {
  const r = parseMrz([TD1[0], '7408122F1204159UTO<<<X<<<<<<<6', TD1[2]], correct);
  assert.ok(r.valid, JSON.stringify(r.errors));
  assert.equal(changes(r), [[2, 22, 'optionalData2', 'X', '<']]);
  assert.match(r.corrections[0].reason, 'composite');
});

test("TD3 unused personal number: check digit read as K becomes '<'", () => {
  const r = parseMrz([L1, 'L898902C36UTO7408122F1204159<<<<<<<<<<<<<<K8'], correct);
  assert.ok(r.valid, JSON.stringify(r.errors));
  assert.equal(changes(r), [[2, 43, 'optionalData1', 'K', '<']]);
});

test('document number confusion O/0 is repaired when exactly one repair satisfies the check digit', () => {
  const r = parseMrz([L1, 'L8989O2C36UTO7408122F1204159ZE184226B<<<<<10'], correct);
  assert.ok(r.valid, JSON.stringify(r.errors));
  assert.is(r.fields?.documentNumber, 'L898902C3');
  assert.equal(changes(r), [[2, 6, 'documentNumber', 'O', '0']]);
  assert.match(r.corrections[0].reason, 'check digit');
  assert.is(r.ambiguous, undefined);
});

test('document number with several equally good repairs: ambiguous, nothing applied', () => {
  const input = [L1, 'LB98902C36UTO7408122F1204159ZE184226B<<<<<10'];
  const r = parseMrz(input, correct);
  assert.not.ok(r.valid);
  assert.equal(r.corrections, []);
  assert.equal(r.lines, input);
  assert.is(r.fields?.documentNumber, 'LB98902C3');
  const amb = r.errors.find((e) => e.code === 'MRZ_CORRECTION_AMBIGUOUS');
  assert.ok(amb);
  assert.is(amb.field, 'documentNumber');
  assert.ok(r.errors.some((e) => e.code === 'MRZ_CHECK_DIGIT_DOCUMENT_NUMBER'));
  assert.ok(r.ambiguous);
  const numbers = r.ambiguous.candidates.map((c) => c[1].slice(0, 9)).sort();
  assert.equal(numbers, ['L898902C3', 'LB9890ZC3', 'LB9B902C3']);
  for (const cand of r.ambiguous.candidates) {
    assert.is(cand[0], L1);
    const p = parseMrz(cand, { referenceDate: ref });
    assert.ok(p.checks.find((c) => c.field === 'documentNumber')?.valid);
  }
  assert.match(amb.message, 'L898902C3');
});

test('a field needing more than two repairs is left alone', () => {
  const r = parseMrz([L1, 'L898902C36UTO7OO8I22F1204159ZE184226B<<<<<10'], correct);
  assert.not.ok(r.valid);
  assert.equal(r.corrections, []);
  assert.is(r.lines[1], 'L898902C36UTO7OO8I22F1204159ZE184226B<<<<<10');
  assert.ok(r.warnings.some((w) => w.code === 'MRZ_CORRECTION_SKIPPED' && w.field === 'birthDate'));
  assert.ok(r.errors.some((e) => e.code === 'MRZ_BIRTH_DATE_INVALID'));
});

test('a document number with three confusions is not repaired', () => {
  const input = [L1, 'L89B9OZC36UTO7408122F1204159ZE184226B<<<<<10'];
  const r = parseMrz(input, correct);
  assert.not.ok(r.valid);
  assert.equal(r.corrections, []);
  assert.equal(r.lines, input);
  assert.ok(r.errors.some((e) => e.code === 'MRZ_CHECK_DIGIT_DOCUMENT_NUMBER'));
});

test('a misread check digit is never changed to fit, and no data is bent to match it', () => {
  // Document number check digit 6 read as 9: the data is right, the digit is wrong.
  const r = parseMrz([L1, 'L898902C39UTO7408122F1204159ZE184226B<<<<<10'], correct);
  assert.not.ok(r.valid);
  assert.ok(r.corrections.every((c) => c.column !== 10));
  assert.is(r.lines[1].slice(0, 10), 'L898902C39');
});

test('a unique repair that leaves the composite failing is refused', () => {
  // Scan the single-change inputs for one where a repair satisfies a misread check digit only.
  const number = 'L898902C3';
  let refused = 0;
  for (let d = 0; d <= 9; d++) {
    if (d === 6) continue;
    const r = parseMrz([L1, number + d + L2.slice(10)], correct);
    assert.not.ok(r.valid, `check digit ${d}`);
    if (r.warnings.some((w) => w.code === 'MRZ_CORRECTION_SKIPPED')) {
      refused++;
      assert.equal(r.corrections, []);
    }
    assert.ok(r.corrections.every((c) => c.column !== 10));
  }
  assert.ok(refused >= 1, 'some check digit value invites a false repair');
});

test("TD1 long number: its check digit in the optional data read as 'O' becomes 0", () => {
  const lines = composeMrz({
    format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890735', nationality: 'UTO',
    birthDate: '340712', sex: 'M', expiryDate: '350712', surname: 'STEVENSON', givenNames: 'PETER',
  });
  assert.is(lines[0], 'I<UTOD23145890<7350<<<<<<<<<<<');
  const r = parseMrz(['I<UTOD23145890<735O<<<<<<<<<<<', lines[1], lines[2]], correct);
  assert.ok(r.valid, JSON.stringify(r.errors));
  assert.equal(changes(r), [[1, 19, 'documentNumber', 'O', '0']]);
  assert.is(r.fields?.documentNumber, 'D23145890735');
});

test('valid documents come back untouched in correction mode', () => {
  const r = parseMrz([L1, L2], correct);
  assert.ok(r.valid);
  assert.equal(r.corrections, []);
  const t = parseMrz(TD1, correct);
  assert.ok(t.valid);
  assert.equal(t.corrections, []);
});

test('correction mode also handles lower-case OCR output', () => {
  const r = parseMrz([L1.toLowerCase(), 'l898902c36uto74o8122f1204159ze184226b<<<<<10'], correct);
  assert.ok(r.valid, JSON.stringify(r.errors));
  assert.equal(changes(r), [[2, 16, 'birthDate', 'O', '0']]);
  assert.ok(r.warnings.some((w) => w.code === 'MRZ_LOWER_CASE'));
});

test('every correction keeps the line lengths', () => {
  const r = parseMrz(['P<UT0ERIKSS0N<<ANNA<MARIA<<<<<KK<<<<<<<<<<<<', 'L8989O2C36UTO74O8122F1204159ZE184226B<<<<<1O'], correct);
  assert.ok(r.valid, JSON.stringify(r.errors));
  assert.equal(r.lines, [L1, L2]);
  assert.is(r.corrections.length, 7);
});

test.run();
