// Check digits, state codes, format detection and the error-code catalogue.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  computeCheckDigit,
  detectMrzFormat,
  ICAO_SPECIAL_STATE_CODES,
  isKnownStateCode,
  ISO_3166_ALPHA3_CODES,
  MRZ_ERROR_CODES,
} from './index.js';

test('ICAO Doc 9303 part 3 worked examples', () => {
  assert.is(computeCheckDigit('520727'), 3);
  assert.is(computeCheckDigit('AB2134<<<'), 5);
});

test('part 11 BAC example: L898902C< / 690806 / 940623', () => {
  assert.is(computeCheckDigit('L898902C<'), 3);
  assert.is(computeCheckDigit('690806'), 1);
  assert.is(computeCheckDigit('940623'), 6);
});

test('specimen field check digits', () => {
  assert.is(computeCheckDigit('L898902C3'), 6);
  assert.is(computeCheckDigit('740812'), 2);
  assert.is(computeCheckDigit('120415'), 9);
  assert.is(computeCheckDigit('ZE184226B<<<<<'), 1);
  assert.is(computeCheckDigit('D23145890'), 7);
  assert.is(computeCheckDigit('D23145890734'), 9);
  assert.is(computeCheckDigit('L8988901C'), 4);
  // TD3 composite: line 2 columns 1–10, 14–20, 22–43
  assert.is(computeCheckDigit('L898902C36' + '7408122' + '1204159ZE184226B<<<<<1'), 0);
});

test('fillers count as zero; empty input gives 0', () => {
  assert.is(computeCheckDigit(''), 0);
  assert.is(computeCheckDigit('<<<<<<'), 0);
  assert.is(computeCheckDigit('A'), 0); // 10 × 7 = 70
  assert.is(computeCheckDigit('Z'), 5); // 35 × 7 = 245
});

test('computeCheckDigit rejects characters outside the MRZ alphabet', () => {
  assert.throws(() => computeCheckDigit('ab'), RangeError);
  assert.throws(() => computeCheckDigit('12 3'), RangeError);
  assert.throws(() => computeCheckDigit(42 as unknown as string), TypeError);
});

test('state codes: the whole ISO list and the ICAO special codes', () => {
  assert.is(ISO_3166_ALPHA3_CODES.length, 249);
  assert.is(new Set(ISO_3166_ALPHA3_CODES).size, 249);
  for (const code of ['DEU', 'FRA', 'NLD', 'USA', 'SSD', 'BES', 'ALA', 'ATA', 'TWN', 'PSE']) assert.ok(isKnownStateCode(code), code);
  const special = ['D', 'GBD', 'GBN', 'GBO', 'GBP', 'GBS', 'RKS', 'XXK', 'EUE', 'UNO', 'UNA', 'UNK', 'XBA', 'XIM', 'XCC',
    'XCE', 'XCO', 'XEC', 'XPO', 'XES', 'XMP', 'XOM', 'XDC', 'XXA', 'XXB', 'XXC', 'XXX', 'ANT', 'NTZ', 'UTO'];
  assert.equal([...ICAO_SPECIAL_STATE_CODES].sort(), [...special].sort());
  for (const code of special) assert.ok(isKnownStateCode(code), code);
  assert.ok(isKnownStateCode('D<<'));
  assert.not.ok(isKnownStateCode('ABC'));
  assert.not.ok(isKnownStateCode('deu'));
  assert.not.ok(isKnownStateCode('<<<'));
  assert.not.ok(isKnownStateCode(''));
  assert.not.ok(isKnownStateCode('DE'));
});

test('detectMrzFormat by line count, length and document code', () => {
  const l44 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<';
  const l36 = 'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<';
  const l30 = 'I<UTOD231458907<<<<<<<<<<<<<<<';
  assert.is(detectMrzFormat([l30, l30, l30]), 'TD1');
  assert.is(detectMrzFormat([l36, 'D231458907UTO7408122F1204159<<<<<<<6']), 'TD2');
  assert.is(detectMrzFormat([l44, l44]), 'TD3');
  assert.is(detectMrzFormat(['V' + l44.slice(1), l44]), 'MRVA');
  assert.is(detectMrzFormat(['V' + l36.slice(1), l36]), 'MRVB');
  assert.is(detectMrzFormat(['IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<', '8806923102858CORINNE<<<<<<<6512068F6']), 'FRA_ID');
  assert.is(detectMrzFormat([l44, l36]), null);
  assert.is(detectMrzFormat([l44]), null);
  assert.is(detectMrzFormat([l30, l30, l30, l30]), null);
  assert.is(detectMrzFormat([l30, l30, l36]), null);
  assert.is(detectMrzFormat([]), null);
});

test('a French TD2 document with code ID is not taken for the old French card', () => {
  // TD2 layout: nationality letters at columns 11–13, composite valid.
  assert.is(detectMrzFormat(['IDFRAERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6']), 'TD2');
});

test('error codes are stable SCREAMING_SNAKE names with one-line descriptions', () => {
  const codes = Object.keys(MRZ_ERROR_CODES);
  assert.ok(codes.length >= 25);
  for (const code of codes) {
    assert.ok(/^MRZ_[A-Z0-9_]+$/.test(code), code);
    const d = MRZ_ERROR_CODES[code as keyof typeof MRZ_ERROR_CODES];
    assert.ok(d.length > 10 && !d.includes('\n'), code);
  }
});

test.run();
