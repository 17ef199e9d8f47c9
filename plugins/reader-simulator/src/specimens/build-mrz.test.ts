// The MRZ composer against the worked examples of ICAO Doc 9303 (the Utopian specimen Anna María
// Eriksson), plus the transliteration and truncation rules the examples do not reach.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMrz } from '@tessera/sdk';
import { buildMrz, mrzDate, mrzField, mrzNameField, recomputeComposite, transliterateName, type MrzInput } from './build-mrz.js';

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

test('transliteration follows Doc 9303 part 3: multi-letter forms, stripped accents, no apostrophes', () => {
  assert.is(transliterateName('Østergaard-Møller'), 'OESTERGAARD<MOELLER');
  assert.is(transliterateName('Müller Straße'), 'MUELLER<STRASSE');
  assert.is(transliterateName("O'Sullivan"), 'OSULLIVAN');
  assert.is(transliterateName('Castellanos  Ruíz'), 'CASTELLANOS<RUIZ');
  assert.is(transliterateName('Hélène Łucja'), 'HELENE<LUCJA');
});

test('long names lose given-name components first, then the primary identifier', () => {
  assert.is(mrzNameField('Eriksson', 'Anna María', 39), 'ERIKSSON<<ANNA<MARIA'.padEnd(39, '<'));
  // The last given name is cut rather than dropped while some of it still fits.
  assert.is(mrzNameField('Østergaard-Møller', 'Jens Peter Aksel', 30), 'OESTERGAARD<MOELLER<<JENS<PETE');
  assert.is(mrzNameField('Papadopoulou-Konstantinidou', 'Alexandra Evangelia', 30), 'PAPADOPOULOU<KONSTANTINIDOU<<A');
  const veryLong = mrzNameField('Wolfeschlegelsteinhausenbergerdorff', 'Hubert Blaine', 30);
  assert.is(veryLong, 'WOLFESCHLEGELSTEINHAUSENBER<<H');
  assert.is(veryLong.length, 30);
});

test('field helpers refuse data that would be silently lost', () => {
  assert.is(mrzField('ab 12', 7), 'AB<12<<');
  assert.throws(() => mrzField('L898902C3X', 9), /longer/);
  assert.throws(() => mrzField('L89#', 9), /alphabet/);
  assert.is(mrzDate('1974-08-12'), '740812');
  assert.throws(() => mrzDate('12.08.1974'), /YYYY-MM-DD/);
  assert.throws(() => buildMrz('TD3', { ...eriksson, documentCode: 'P', documentNumber: 'L898902C3AB' }), RangeError);
});

test('recomputeComposite repairs only the composite digit', () => {
  const good = buildMrz('TD3', { ...eriksson, documentCode: 'P', documentNumber: 'L898902C3', optionalData: 'ZE184226B' });
  const altered = good[1].slice(0, 19) + '9' + good[1].slice(20);
  const fixed = recomputeComposite('TD3', [good[0], altered]);
  assert.is(fixed[1].slice(0, 43), altered.slice(0, 43));
  const codes = parseMrz(fixed, { referenceDate: icaoReference }).errors.map((e) => e.code);
  assert.equal(codes, ['MRZ_CHECK_DIGIT_BIRTH_DATE']);
});

test.run();
