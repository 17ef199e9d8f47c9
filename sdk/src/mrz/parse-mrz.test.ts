// Known answers (ICAO Doc 9303 specimens, the French ID specimen) and valid edge cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeMrz, parseMrz, type MrzFields, type MrzParseResult } from './index.js';

const ref = new Date('2026-11-25T00:00:00Z');
const opts = { referenceDate: ref };

function codes(r: MrzParseResult): string[] {
  return r.errors.map((e) => e.code);
}

function warningCodes(r: MrzParseResult): string[] {
  return r.warnings.map((w) => w.code);
}

function expectValid(r: MrzParseResult): void {
  assert.equal(codes(r), [], JSON.stringify(r.errors));
  assert.ok(r.valid);
}

function expectFields(r: MrzParseResult, expected: Partial<MrzFields>): void {
  assert.ok(r.fields !== null);
  for (const [k, v] of Object.entries(expected)) {
    assert.equal((r.fields as unknown as Record<string, unknown>)[k], v, k);
  }
}

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const MRVA = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'];
const MRVB = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'];
const TD1_LONG = ['I<UTOD23145890<7349<<<<<<<<<<<', '3407127M9507122UTO<<<<<<<<<<<2', 'STEVENSON<<PETER<JOHN<<<<<<<<<'];

test('TD3 passport specimen (Doc 9303 part 4)', () => {
  const r = parseMrz(TD3, opts);
  expectValid(r);
  assert.is(r.format, 'TD3');
  expectFields(r, {
    documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO',
    birthDate: '1974-08-12', birthDateRaw: '740812', sex: 'F', expiryDate: '2012-04-15', expiryDateRaw: '120415',
    surname: 'ERIKSSON', givenNames: 'ANNA MARIA', optionalData1: 'ZE184226B', optionalData2: '', personalNumber: 'ZE184226B',
  });
  assert.equal(r.checks.map((c) => [c.field, c.valid, c.expected, c.found]), [
    ['documentNumber', true, '6', '6'], ['birthDate', true, '2', '2'], ['expiryDate', true, '9', '9'],
    ['optionalData1', true, '1', '1'], ['composite', true, '0', '0'],
  ]);
  assert.equal(warningCodes(r), ['MRZ_DOCUMENT_EXPIRED']);
  assert.equal(r.lines, TD3);
  assert.equal(r.corrections, []);
  assert.is(r.ambiguous, undefined);
});

test('TD1 specimen (Doc 9303 part 5)', () => {
  const r = parseMrz(TD1, opts);
  expectValid(r);
  assert.is(r.format, 'TD1');
  expectFields(r, {
    documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', nationality: 'UTO',
    birthDate: '1974-08-12', sex: 'F', expiryDate: '2012-04-15', surname: 'ERIKSSON', givenNames: 'ANNA MARIA',
    optionalData1: '', optionalData2: '', personalNumber: null,
  });
  assert.equal(r.checks.map((c) => c.field), ['documentNumber', 'birthDate', 'expiryDate', 'composite']);
});

test('TD2 specimen (Doc 9303 part 6)', () => {
  const r = parseMrz(TD2, opts);
  expectValid(r);
  assert.is(r.format, 'TD2');
  expectFields(r, {
    documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', nationality: 'UTO',
    birthDate: '1974-08-12', sex: 'F', expiryDate: '2012-04-15', surname: 'ERIKSSON', givenNames: 'ANNA MARIA',
    optionalData1: '', optionalData2: '',
  });
});

test('MRV-A visa specimen (Doc 9303 part 7): no composite', () => {
  const r = parseMrz(MRVA, opts);
  expectValid(r);
  assert.is(r.format, 'MRVA');
  expectFields(r, {
    documentCode: 'V', issuingState: 'UTO', documentNumber: 'L8988901C', nationality: 'XXX',
    birthDate: '1940-09-07', sex: 'F', expiryDate: '1996-12-10', surname: 'ERIKSSON', givenNames: 'ANNA MARIA',
    optionalData1: '6ZE184226B', optionalData2: '',
  });
  assert.equal(r.checks.map((c) => c.field), ['documentNumber', 'birthDate', 'expiryDate']);
});

test('MRV-B visa specimen (Doc 9303 part 7)', () => {
  const r = parseMrz(MRVB, opts);
  expectValid(r);
  assert.is(r.format, 'MRVB');
  expectFields(r, {
    documentCode: 'V', issuingState: 'UTO', documentNumber: 'L8988901C', nationality: 'XXX',
    birthDate: '1940-09-07', sex: 'F', expiryDate: '1996-12-10', surname: 'ERIKSSON', givenNames: 'ANNA MARIA',
    optionalData1: '', optionalData2: '',
  });
});

test('TD1 long document number (Doc 9303 part 11 D.2)', () => {
  const r = parseMrz(TD1_LONG, opts);
  expectValid(r);
  expectFields(r, {
    documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890734', nationality: 'UTO',
    birthDate: '1934-07-12', sex: 'M', expiryDate: '1995-07-12', surname: 'STEVENSON', givenNames: 'PETER JOHN',
    optionalData1: '', optionalData2: '',
  });
  const dn = r.checks.find((c) => c.field === 'documentNumber');
  assert.equal(dn, { field: 'documentNumber', valid: true, expected: '9', found: '9' });
});

test('TD1 long number keeps only what follows it as optional data', () => {
  const lines = composeMrz({
    format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890734', nationality: 'UTO',
    birthDate: '340712', sex: 'M', expiryDate: '950712', surname: 'STEVENSON', givenNames: 'PETER JOHN', optionalData1: 'AB12',
  });
  assert.is(lines[0], 'I<UTOD23145890<7349<AB12<<<<<<');
  const r = parseMrz(lines, opts);
  expectValid(r);
  expectFields(r, { documentNumber: 'D23145890734', optionalData1: 'AB12' });
});

test('TD2 long document number continues in the optional data', () => {
  const lines = composeMrz({
    format: 'TD2', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890734', nationality: 'UTO',
    birthDate: '1974-08-12', sex: 'F', expiryDate: '2032-04-15', surname: 'ERIKSSON', givenNames: 'ANNA MARIA',
  });
  assert.is(lines[1].slice(0, 10), 'D23145890<');
  assert.is(lines[1].slice(28, 32), '7349');
  const r = parseMrz(lines, opts);
  expectValid(r);
  expectFields(r, { documentNumber: 'D23145890734', optionalData1: '', expiryDate: '2032-04-15' });
});

test('French national ID card specimen (BERTHIER)', () => {
  const r = parseMrz(['IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<', '8806923102858CORINNE<<<<<<<6512068F6'], opts);
  expectValid(r);
  assert.is(r.format, 'FRA_ID');
  expectFields(r, {
    documentCode: 'ID', issuingState: 'FRA', documentNumber: '880692310285', nationality: 'FRA',
    birthDate: '1965-12-06', sex: 'F', expiryDate: null, expiryDateRaw: null, surname: 'BERTHIER', givenNames: 'CORINNE',
    optionalData1: '', optionalData2: '',
  });
  assert.equal(r.checks.map((c) => [c.field, c.valid]), [['documentNumber', true], ['birthDate', true], ['composite', true]]);
});

test('French ID: the variant with number 940992310285 and the DOUEL specimen with an office code', () => {
  const a = parseMrz(['IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<', '9409923102854CORINNE<<<<<<<6512068F4'], opts);
  expectValid(a);
  expectFields(a, { documentNumber: '940992310285' });
  const b = parseMrz(['IDFRADOUEL<<<<<<<<<<<<<<<<<<<<932013', '0506932020438CHRISTIANE<<NI2906209F3'], opts);
  expectValid(b);
  expectFields(b, {
    surname: 'DOUEL', givenNames: 'CHRISTIANE NI', documentNumber: '050693202043', birthDate: '1929-06-20', optionalData1: '932013',
  });
  assert.equal(warningCodes(b), ['MRZ_NAME_TRUNCATED']);
});

test('input: surrounding whitespace, CRLF, blank lines, one string', () => {
  const r = parseMrz(`\n  ${TD3[0]}  \r\n\t${TD3[1]}\r\n\n`, opts);
  expectValid(r);
  assert.equal(r.lines, TD3);
  assert.is(r.fields?.documentNumber, 'L898902C3');
});

test('lower-case input is read as upper case with a warning', () => {
  const r = parseMrz(TD3.map((l) => l.toLowerCase()), opts);
  expectValid(r);
  assert.equal(r.lines, TD3);
  assert.equal(warningCodes(r).filter((c) => c === 'MRZ_LOWER_CASE').length, 2);
  assert.is(r.warnings[0].line, 1);
  assert.is(r.warnings[0].column, 1);
});

test('Germany as D<< in both state fields', () => {
  const lines = composeMrz({
    format: 'TD3', documentCode: 'P', issuingState: 'D', documentNumber: 'C01X00T47', nationality: 'D',
    birthDate: '1964-08-12', sex: 'F', expiryDate: '2027-10-31', surname: 'MUSTERMANN', givenNames: 'ERIKA',
  });
  assert.is(lines[0].slice(0, 5), 'P<D<<');
  assert.is(lines[1].slice(10, 13), 'D<<');
  const r = parseMrz(lines, opts);
  expectValid(r);
  expectFields(r, { issuingState: 'D', nationality: 'D', surname: 'MUSTERMANN', givenNames: 'ERIKA', expiryDate: '2027-10-31' });
  assert.equal(r.warnings, []);
});

test('XXA stateless person', () => {
  const lines = composeMrz({
    format: 'TD3', documentCode: 'PT', issuingState: 'NLD', documentNumber: 'XA1234567', nationality: 'XXA',
    birthDate: '1990-01-01', sex: 'M', expiryDate: '2030-01-01', surname: 'DOE', givenNames: 'JOHN',
  });
  const r = parseMrz(lines, opts);
  expectValid(r);
  expectFields(r, { nationality: 'XXA', documentCode: 'PT' });
});

test('unknown date of birth <<<<<< is a warning, not an error; check digit still verified', () => {
  const lines = composeMrz({
    format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO',
    birthDate: '<<<<<<', sex: 'F', expiryDate: '2030-04-15', surname: 'ERIKSSON', givenNames: 'ANNA',
  });
  assert.is(lines[1].slice(13, 20), '<<<<<<0');
  const r = parseMrz(lines, opts);
  expectValid(r);
  expectFields(r, { birthDate: null, birthDateRaw: '<<<<<<' });
  assert.equal(warningCodes(r), ['MRZ_BIRTH_DATE_UNKNOWN']);
  assert.ok(r.checks.find((c) => c.field === 'birthDate')?.valid);
});

test('partially unknown date of birth 74<<<< and 7408<<', () => {
  for (const raw of ['74<<<<', '7408<<']) {
    const lines = composeMrz({
      format: 'TD1', documentCode: 'ID', issuingState: 'UTO', documentNumber: 'D23145890', nationality: 'UTO',
      birthDate: raw, sex: 'F', expiryDate: '2030-04-15', surname: 'ERIKSSON', givenNames: 'ANNA',
    });
    const r = parseMrz(lines, opts);
    expectValid(r);
    expectFields(r, { birthDate: null, birthDateRaw: raw });
    assert.equal(warningCodes(r), ['MRZ_BIRTH_DATE_PARTIAL']);
    assert.match(r.warnings[0].message, 'year 1974');
  }
});

test("personal number all fillers: check digit '<' or 0 is valid", () => {
  const filler = 'L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<8';
  const zero = 'L898902C36UTO7408122F1204159<<<<<<<<<<<<<<08';
  for (const l2 of [filler, zero]) {
    const r = parseMrz([TD3[0], l2], opts);
    expectValid(r);
    expectFields(r, { personalNumber: '', optionalData1: '' });
    assert.ok(r.checks.find((c) => c.field === 'optionalData1')?.valid);
  }
});

test("sex '<' and X are reported as X", () => {
  for (const sex of ['<', 'X'] as const) {
    const r = parseMrz(composeMrz({
      format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO',
      birthDate: '740812', sex, expiryDate: '320415', surname: 'ERIKSSON', givenNames: 'ANNA',
    }), opts);
    expectValid(r);
    expectFields(r, { sex: 'X' });
  }
});

test('names: mononym, compound names, truncation warning', () => {
  const mono = parseMrz(['P<UTOSUKARNO<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<', TD3[1]], opts);
  expectValid(mono);
  expectFields(mono, { surname: 'SUKARNO', givenNames: '' });
  const compound = parseMrz(['P<UTOVAN<DER<BERG<<JAN<PIETER<<<<<<<<<<<<<<<', TD3[1]], opts);
  expectValid(compound);
  expectFields(compound, { surname: 'VAN DER BERG', givenNames: 'JAN PIETER' });
  const cut = parseMrz(['P<UTOWOLFESCHLEGELSTEINHAUSEN<<HUBERT<BLAINE', TD3[1]], opts);
  expectValid(cut);
  expectFields(cut, { surname: 'WOLFESCHLEGELSTEINHAUSEN', givenNames: 'HUBERT BLAINE' });
  assert.equal(warningCodes(cut), ['MRZ_NAME_TRUNCATED', 'MRZ_DOCUMENT_EXPIRED']);
});

test('century inference: birth never in the future, expiry within [ref − 80, ref + 20)', () => {
  const make = (birth: string, expiry: string) =>
    parseMrz(composeMrz({
      format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO',
      birthDate: birth, sex: 'F', expiryDate: expiry, surname: 'A', givenNames: 'B',
    }), opts).fields as MrzFields;
  assert.is(make('261125', '300101').birthDate, '2026-11-25'); // born on the reference day
  assert.is(make('261126', '300101').birthDate, '1926-11-26'); // tomorrow → last century
  assert.is(make('000229', '300101').birthDate, '2000-02-29'); // leap year 2000
  assert.is(make('740812', '451231').expiryDate, '2045-12-31');
  assert.is(make('740812', '460101').expiryDate, '1946-01-01');
  assert.is(make('740812', '991231').expiryDate, '1999-12-31');
});

test('expiry date: future date has no expired warning; unknown expiry is a warning', () => {
  const future = parseMrz(composeMrz({
    format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO',
    birthDate: '740812', sex: 'F', expiryDate: '2026-11-25', surname: 'ERIKSSON', givenNames: 'ANNA',
  }), opts);
  expectValid(future);
  assert.equal(future.warnings, []);
  const none = parseMrz(composeMrz({
    format: 'TD1', documentCode: 'ID', issuingState: 'UTO', documentNumber: 'D23145890', nationality: 'UTO',
    birthDate: '740812', sex: 'F', expiryDate: '<<<<<<', surname: 'ERIKSSON', givenNames: 'ANNA',
  }), opts);
  expectValid(none);
  expectFields(none, { expiryDate: null, expiryDateRaw: '<<<<<<' });
  assert.equal(warningCodes(none), ['MRZ_EXPIRY_DATE_UNKNOWN']);
});

test('referenceDate defaults to now', () => {
  const r = parseMrz(TD3);
  expectValid(r);
  assert.is(r.fields?.birthDate, '1974-08-12');
});

test('composeMrz reproduces every ICAO specimen', () => {
  const base = {
    issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', sex: 'F' as const,
  };
  assert.equal(composeMrz({ ...base, format: 'TD3', documentCode: 'P', documentNumber: 'L898902C3', nationality: 'UTO',
    birthDate: '740812', expiryDate: '120415', optionalData1: 'ZE184226B' }), TD3);
  assert.equal(composeMrz({ ...base, format: 'TD1', documentCode: 'I', documentNumber: 'D23145890', nationality: 'UTO',
    birthDate: '740812', expiryDate: '120415' }), TD1);
  assert.equal(composeMrz({ ...base, format: 'TD2', documentCode: 'I', documentNumber: 'D23145890', nationality: 'UTO',
    birthDate: '740812', expiryDate: '120415' }), TD2);
  assert.equal(composeMrz({ ...base, format: 'MRVA', documentCode: 'V', documentNumber: 'L8988901C', nationality: 'XXX',
    birthDate: '400907', expiryDate: '961210', optionalData1: '6ZE184226B' }), MRVA);
  assert.equal(composeMrz({ ...base, format: 'MRVB', documentCode: 'V', documentNumber: 'L8988901C', nationality: 'XXX',
    birthDate: '400907', expiryDate: '961210' }), MRVB);
  assert.equal(composeMrz({ format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890734',
    nationality: 'UTO', birthDate: '340712', sex: 'M', expiryDate: '950712', surname: 'STEVENSON', givenNames: 'PETER JOHN' }), TD1_LONG);
  assert.equal(composeMrz({ format: 'FRA_ID', documentCode: 'ID', issuingState: 'FRA', documentNumber: '880692310285',
    birthDate: '651206', sex: 'F', surname: 'BERTHIER', givenNames: 'CORINNE' }),
  ['IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<', '8806923102858CORINNE<<<<<<<6512068F6']);
  assert.throws(() => composeMrz({ ...base, surname: 'MÜLLER', format: 'TD3', documentCode: 'P', documentNumber: '1', birthDate: '740812' }), RangeError);
});

test('parseMrz throws TypeError only for a non-string input', () => {
  assert.throws(() => parseMrz(42 as unknown as string), TypeError);
  assert.throws(() => parseMrz([TD3[0], 7] as unknown as string[]), TypeError);
  assert.not.throws(() => parseMrz('\u0000\uFFFF garbage <<<'));
});

test.run();
