// The specimens' MRZ adapter against the worked examples of ICAO Doc 9303 (the Utopian specimen
// Anna María Eriksson, given as printed, accents and all). Transliteration and name shortening
// themselves are tested with the SDK (sdk/src/mrz/name-field.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMrz } from '@tessera/sdk';
import { buildMrz, type MrzInput } from './build-mrz.js';

const eriksson: Omit<MrzInput, 'documentCode' | 'documentNumber'> = {
  issuingState: 'UTO',
  surname: 'Eriksson',
  givenNames: 'Anna María',
  nationality: 'UTO',
  birthDate: '1974-08-12',
  sex: 'F',
  expiryDate: '2012-04-15',
};
const icaoReference = new Date('2010-01-01T00:00:00Z');

test('TD3 matches the Doc 9303 part 4 example, personal number and all', () => {
  const lines = buildMrz('TD3', { ...eriksson, documentCode: 'P', documentNumber: 'L898902C3', optionalData: 'ZE184226B' });
  assert.equal(lines, ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10']);
});

test('TD1 and TD2 match the Doc 9303 examples', () => {
  assert.equal(buildMrz('TD1', { ...eriksson, documentCode: 'I', documentNumber: 'D23145890' }), [
    'I<UTOD231458907<<<<<<<<<<<<<<<',
    '7408122F1204159UTO<<<<<<<<<<<6',
    'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
  ]);
  assert.equal(buildMrz('TD2', { ...eriksson, documentCode: 'I', documentNumber: 'D23145890' }), [
    'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<',
    'D231458907UTO7408122F1204159<<<<<<<6',
  ]);
});

test('a TD1 document number over nine characters continues in the optional data', () => {
  const lines = buildMrz('TD1', { ...eriksson, documentCode: 'I', documentNumber: 'D23145890734' });
  assert.is(lines[0], 'I<UTOD23145890<7349<<<<<<<<<<<');
  const parsed = parseMrz(lines, { referenceDate: icaoReference });
  assert.ok(parsed.valid, JSON.stringify(parsed.errors));
  assert.is(parsed.fields?.documentNumber, 'D23145890734');
});

test('visas carry no composite and every format parses as valid', () => {
  const visaA = buildMrz('MRVA', { ...eriksson, documentCode: 'V', documentNumber: 'L8988901C', nationality: 'XXX', birthDate: '1940-09-07', expiryDate: '1996-12-10', optionalData: '6ZE184226B' });
  assert.equal(visaA, ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<']);
  const visaB = buildMrz('MRVB', { ...eriksson, documentCode: 'V', documentNumber: 'L8988901C' });
  assert.is(visaB[1].length, 36);
  for (const lines of [visaA, visaB]) {
    const parsed = parseMrz(lines, { referenceDate: new Date('1995-01-01T00:00:00Z') });
    assert.ok(parsed.valid, JSON.stringify(parsed.errors));
  }
});

test('an unspecified sex is X in the VIZ and a filler in the MRZ', () => {
  const lines = buildMrz('TD3', { ...eriksson, sex: 'X', documentCode: 'P', documentNumber: 'L898902C3' });
  assert.is(lines[1][20], '<');
  assert.is(parseMrz(lines, { referenceDate: icaoReference }).fields?.sex, 'X');
});

test('printed names are transliterated and shortened to fit', () => {
  const lines = buildMrz('TD1', { ...eriksson, surname: 'Østergaard-Møller', givenNames: 'Jens Peter Aksel', documentCode: 'I', documentNumber: 'D23145890' });
  assert.is(lines[2], 'OESTERGAARD<MOELLER<<JENS<PETE');
  assert.throws(() => buildMrz('TD3', { ...eriksson, surname: "'", documentCode: 'P', documentNumber: 'L898902C3' }), /primary identifier/);
  assert.throws(() => buildMrz('TD3', { ...eriksson, documentCode: 'P', documentNumber: 'L898902C3AB' }), RangeError);
});

test.run();
