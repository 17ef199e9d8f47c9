// Invalid MRZs: each case names the error code (and field) it must produce.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeMrz, parseMrz, type MrzComposeInput, type MrzErrorCode, type MrzFieldName } from './index.js';

const ref = new Date('2026-11-25T00:00:00Z');

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const MRVA = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'];
const FRA = ['IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<', '8806923102858CORINNE<<<<<<<6512068F6'];
const TD1_LONG = ['I<UTOD23145890<7349<<<<<<<<<<<', '3407127M9507122UTO<<<<<<<<<<<2', 'STEVENSON<<PETER<JOHN<<<<<<<<<'];

/** Replaces the character at 1-based `column` of 1-based `line`. */
function set(lines: readonly string[], line: number, column: number, ch: string): string[] {
  return lines.map((l, i) => (i === line - 1 ? l.slice(0, column - 1) + ch + l.slice(column - 1 + ch.length) : l));
}

/** A TD3 document whose check digits are all right, with some fields overridden. */
function td3(over: Partial<MrzComposeInput>): string[] {
  return composeMrz({
    format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO',
    birthDate: '740812', sex: 'F', expiryDate: '320415', surname: 'ERIKSSON', givenNames: 'ANNA MARIA',
    optionalData1: 'ZE184226B', ...over,
  });
}

function td1(over: Partial<MrzComposeInput>): string[] {
  return composeMrz({
    format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', nationality: 'UTO',
    birthDate: '740812', sex: 'F', expiryDate: '320415', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', ...over,
  });
}

interface Case {
  name: string;
  input: string | string[];
  code: MrzErrorCode;
  field?: MrzFieldName;
  /** When true the code must be the only error. */
  only?: boolean;
  line?: number;
  column?: number;
}

const cases: Case[] = [
  // Shape
  { name: 'empty string', input: '', code: 'MRZ_EMPTY_INPUT', only: true },
  { name: 'blank lines only', input: '\n   \n\t\n', code: 'MRZ_EMPTY_INPUT', only: true },
  { name: 'empty array', input: [], code: 'MRZ_EMPTY_INPUT', only: true },
  { name: 'a single line', input: [TD3[0]], code: 'MRZ_LINE_COUNT', only: true },
  { name: 'four lines', input: [...TD1, TD1[2]], code: 'MRZ_LINE_COUNT', only: true },
  { name: 'TD3 lines joined into one', input: TD3.join(''), code: 'MRZ_LINE_COUNT', only: true },
  { name: 'TD3 line 2 one character short', input: [TD3[0], TD3[1].slice(0, 43)], code: 'MRZ_LINE_LENGTH', only: true, line: 2 },
  { name: 'TD3 line 1 one character long', input: [TD3[0] + '<', TD3[1]], code: 'MRZ_LINE_LENGTH', only: true, line: 1 },
  { name: 'mixed lengths 44 and 36', input: [TD3[0], TD2[1]], code: 'MRZ_LINE_LENGTH', only: true, line: 2 },
  { name: 'TD1 line 3 short', input: [TD1[0], TD1[1], TD1[2].slice(0, 29)], code: 'MRZ_LINE_LENGTH', only: true, line: 3 },
  { name: 'two lines of 40 characters', input: [TD3[0].slice(0, 40), TD3[1].slice(0, 40)], code: 'MRZ_UNKNOWN_FORMAT', only: true },
  { name: "invalid character '#'", input: set(TD3, 1, 20, '#'), code: 'MRZ_INVALID_CHARACTER', line: 1, column: 20 },
  { name: 'space inside a line', input: set(TD3, 2, 30, ' '), code: 'MRZ_INVALID_CHARACTER', line: 2, column: 30 },
  { name: "guillemet '«' for a filler", input: set(TD1, 3, 30, '«'), code: 'MRZ_INVALID_CHARACTER', line: 3, column: 30 },
  // Document code
  { name: 'TD3 document code X', input: set(TD3, 1, 1, 'X'), code: 'MRZ_DOCUMENT_CODE_INVALID', field: 'documentCode', only: true },
  { name: 'TD1 document code P', input: set(TD1, 1, 1, 'P'), code: 'MRZ_DOCUMENT_CODE_INVALID', field: 'documentCode' },
  { name: 'document code with a digit second', input: set(TD3, 1, 2, '1'), code: 'MRZ_DOCUMENT_CODE_INVALID', field: 'documentCode', only: true },
  // Check digits
  { name: 'TD3 document number check digit', input: set(TD3, 2, 10, '5'), code: 'MRZ_CHECK_DIGIT_DOCUMENT_NUMBER', field: 'documentNumber', line: 2, column: 10 },
  { name: 'TD3 birth date check digit', input: set(TD3, 2, 20, '3'), code: 'MRZ_CHECK_DIGIT_BIRTH_DATE', field: 'birthDate', line: 2, column: 20 },
  { name: 'TD3 expiry date check digit', input: set(TD3, 2, 28, '1'), code: 'MRZ_CHECK_DIGIT_EXPIRY_DATE', field: 'expiryDate', line: 2, column: 28 },
  { name: 'TD3 personal number check digit', input: set(TD3, 2, 43, '2'), code: 'MRZ_CHECK_DIGIT_OPTIONAL_DATA', field: 'optionalData1', line: 2, column: 43 },
  { name: 'TD3 composite only', input: set(TD3, 2, 44, '1'), code: 'MRZ_CHECK_DIGIT_COMPOSITE', field: 'composite', only: true, line: 2, column: 44 },
  { name: 'TD1 composite only', input: set(TD1, 2, 30, '7'), code: 'MRZ_CHECK_DIGIT_COMPOSITE', field: 'composite', only: true },
  { name: 'TD2 composite only', input: set(TD2, 2, 36, '0'), code: 'MRZ_CHECK_DIGIT_COMPOSITE', field: 'composite', only: true },
  { name: 'French ID composite only (the remembered F4)', input: set(FRA, 2, 36, '4'), code: 'MRZ_CHECK_DIGIT_COMPOSITE', field: 'composite', only: true },
  { name: 'TD1 document number check digit', input: set(TD1, 1, 15, '8'), code: 'MRZ_CHECK_DIGIT_DOCUMENT_NUMBER', field: 'documentNumber', line: 1, column: 15 },
  { name: 'TD1 optional data altered (composite catches it)', input: set(TD1, 2, 20, '7'), code: 'MRZ_CHECK_DIGIT_COMPOSITE', only: true },
  { name: 'TD1 long number check digit', input: set(TD1_LONG, 1, 19, '8'), code: 'MRZ_CHECK_DIGIT_DOCUMENT_NUMBER', field: 'documentNumber', line: 1, column: 19 },
  { name: 'TD1 long number without continuation', input: set(TD1, 1, 15, '<'), code: 'MRZ_DOCUMENT_NUMBER_EXTENSION_INVALID', field: 'documentNumber' },
  { name: 'MRV-A document number check digit (no composite)', input: set(MRVA, 2, 10, '5'), code: 'MRZ_CHECK_DIGIT_DOCUMENT_NUMBER', only: true },
  { name: 'French ID document number check digit', input: set(FRA, 2, 13, '9'), code: 'MRZ_CHECK_DIGIT_DOCUMENT_NUMBER', field: 'documentNumber' },
  { name: 'French ID birth date check digit', input: set(FRA, 2, 34, '9'), code: 'MRZ_CHECK_DIGIT_BIRTH_DATE', field: 'birthDate' },
  { name: 'a letter as check digit', input: set(TD3, 2, 20, 'A'), code: 'MRZ_CHECK_DIGIT_NOT_A_DIGIT', field: 'birthDate', line: 2, column: 20 },
  { name: "'<' as the birth date check digit", input: set(TD3, 2, 20, '<'), code: 'MRZ_CHECK_DIGIT_NOT_A_DIGIT', field: 'birthDate' },
  { name: "'<' as check digit of a used personal number", input: set(TD3, 2, 43, '<'), code: 'MRZ_CHECK_DIGIT_NOT_A_DIGIT', field: 'optionalData1' },
  { name: "'<' as TD3 document number check digit", input: set(TD3, 2, 10, '<'), code: 'MRZ_CHECK_DIGIT_NOT_A_DIGIT', field: 'documentNumber' },
  // Dates (check digits recomputed so only the date itself is wrong)
  { name: 'birth month 13', input: td3({ birthDate: '741312' }), code: 'MRZ_BIRTH_DATE_INVALID', field: 'birthDate', only: true, line: 2, column: 16 },
  { name: 'birth month 00', input: td3({ birthDate: '740012' }), code: 'MRZ_BIRTH_DATE_INVALID', field: 'birthDate', only: true },
  { name: 'birth day 32', input: td3({ birthDate: '740832' }), code: 'MRZ_BIRTH_DATE_INVALID', field: 'birthDate', only: true, column: 18 },
  { name: 'birth day 00', input: td3({ birthDate: '740800' }), code: 'MRZ_BIRTH_DATE_INVALID', field: 'birthDate', only: true },
  { name: 'birth 30 February', input: td3({ birthDate: '740230' }), code: 'MRZ_BIRTH_DATE_INVALID', field: 'birthDate', only: true },
  { name: 'birth 29 February 1974 (not a leap year)', input: td3({ birthDate: '740229' }), code: 'MRZ_BIRTH_DATE_INVALID', field: 'birthDate', only: true },
  { name: 'letter O in the birth date', input: td3({ birthDate: '74O812' }), code: 'MRZ_BIRTH_DATE_INVALID', field: 'birthDate', only: true, column: 16 },
  { name: 'half-filled pair in the birth date', input: td3({ birthDate: '7<0812' }), code: 'MRZ_BIRTH_DATE_INVALID', field: 'birthDate', only: true },
  { name: 'expiry month 13', input: td3({ expiryDate: '321315' }), code: 'MRZ_EXPIRY_DATE_INVALID', field: 'expiryDate', only: true },
  { name: 'expiry 31 April', input: td3({ expiryDate: '320431' }), code: 'MRZ_EXPIRY_DATE_INVALID', field: 'expiryDate', only: true },
  { name: 'partly filled expiry date', input: td3({ expiryDate: '32<<<<' }), code: 'MRZ_EXPIRY_DATE_INVALID', field: 'expiryDate', only: true },
  { name: 'TD1 letters in the expiry date', input: td1({ expiryDate: '3204IS' }), code: 'MRZ_EXPIRY_DATE_INVALID', field: 'expiryDate', only: true },
  // Other fields
  { name: "sex 'Q'", input: td3({ sex: 'Q' as 'M' }), code: 'MRZ_SEX_INVALID', field: 'sex', only: true, line: 2, column: 21 },
  { name: "TD1 sex '1'", input: td1({ sex: '1' as 'M' }), code: 'MRZ_SEX_INVALID', field: 'sex', only: true },
  { name: 'unknown issuing state ABC', input: td3({ issuingState: 'ABC' }), code: 'MRZ_ISSUING_STATE_UNKNOWN', field: 'issuingState', only: true, line: 1, column: 3 },
  { name: 'issuing state with a digit', input: td3({ issuingState: 'UT0' }), code: 'MRZ_ISSUING_STATE_UNKNOWN', field: 'issuingState', only: true },
  { name: 'empty issuing state', input: td3({ issuingState: '<<<' }), code: 'MRZ_ISSUING_STATE_UNKNOWN', field: 'issuingState', only: true },
  { name: 'unknown nationality ZZZ', input: td3({ nationality: 'ZZZ' }), code: 'MRZ_NATIONALITY_UNKNOWN', field: 'nationality', only: true, line: 2, column: 11 },
  { name: 'TD1 unknown nationality', input: td1({ nationality: 'GER' }), code: 'MRZ_NATIONALITY_UNKNOWN', field: 'nationality', only: true },
  { name: 'name without surname', input: set(TD3, 1, 6, '<<<<<<<<<<'), code: 'MRZ_SURNAME_MISSING', field: 'surname' },
  { name: 'French ID without surname', input: set(FRA, 1, 6, '<<<<<<<<'), code: 'MRZ_SURNAME_MISSING', field: 'surname' },
  { name: 'digit in the surname', input: td3({ surname: 'ERIKSS0N' }), code: 'MRZ_NAME_INVALID_CHARACTER', field: 'surname', only: true, line: 1, column: 12 },
  { name: 'digit in the given names', input: td3({ givenNames: 'ANNA MAR1A' }), code: 'MRZ_NAME_INVALID_CHARACTER', field: 'givenNames', only: true },
  { name: 'letters in the filler-only end of the name', input: set(TD3, 1, 32, 'KK'), code: 'MRZ_FILLER_INVALID', field: 'givenNames', only: true, column: 32 },
  { name: 'document number of fillers only', input: td3({ documentNumber: '' }), code: 'MRZ_DOCUMENT_NUMBER_MISSING', field: 'documentNumber', only: true },
];

test(`at least 40 invalid cases are listed (${cases.length})`, () => {
  assert.ok(cases.length >= 40);
});

for (const c of cases) {
  test(`invalid: ${c.name} → ${c.code}`, () => {
    const r = parseMrz(c.input, { referenceDate: ref });
    assert.not.ok(r.valid, 'must be invalid');
    const hit = r.errors.find((e) => e.code === c.code);
    assert.ok(hit, `expected ${c.code}, got ${JSON.stringify(r.errors.map((e) => e.code))}`);
    if (c.only) assert.equal(r.errors.map((e) => e.code), [c.code]);
    if (c.field !== undefined) assert.is(hit.field, c.field);
    if (c.line !== undefined) assert.is(hit.line, c.line);
    if (c.column !== undefined) assert.is(hit.column, c.column);
    assert.ok(hit.message.length > 20 && !hit.message.includes('undefined'), hit.message);
    // Never throws, always a complete result.
    assert.type(r.checks, 'object');
    assert.type(r.warnings, 'object');
  });
}

test('messages say what is wrong and where', () => {
  const r = parseMrz(set(TD3, 2, 20, '3'), { referenceDate: ref });
  assert.is(r.errors[0].message, 'Check digit for the date of birth is 3 but the data computes to 2 (line 2, column 20)');
  const m = parseMrz(td3({ birthDate: '741312' }), { referenceDate: ref });
  assert.match(m.errors[0].message, "Date of birth '741312' (line 2, columns 14–19) has month 13");
  const f = parseMrz(td3({ birthDate: '740230' }), { referenceDate: ref });
  assert.match(f.errors[0].message, 'February 1974 has 28 days');
  const l = parseMrz([TD3[0], TD3[1].slice(0, 43)], { referenceDate: ref });
  assert.match(l.errors[0].message, 'Line 2 has 43 characters, but a TD3 (passport, 2 × 44) line has 44');
});

test('wrong line lengths still name the most plausible format but give no fields', () => {
  const r = parseMrz([TD3[0], TD3[1].slice(0, 43)], { referenceDate: ref });
  assert.is(r.format, 'TD3');
  assert.is(r.fields, null);
  assert.equal(r.checks, []);
});

test('the failing check is recorded with expected and found digits', () => {
  const r = parseMrz(set(TD3, 2, 44, '1'), { referenceDate: ref });
  assert.equal(r.checks.find((c) => c.field === 'composite'), { field: 'composite', valid: false, expected: '0', found: '1' });
});

test('garbage never throws', () => {
  const junk = ['<<<', '\u0000'.repeat(44), 'é'.repeat(30), '🙂'.repeat(22), 'P<'.repeat(22), '1'.repeat(88)];
  for (const a of junk) {
    for (const b of junk) {
      assert.not.throws(() => parseMrz([a, b]));
      assert.not.throws(() => parseMrz([a, b, a], { correct: true }));
    }
  }
});

test.run();
