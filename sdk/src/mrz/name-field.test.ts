// Writing names into the MRZ: the transliteration of Doc 9303 part 3 and the shortening of names
// too long for their field, directly and through composeMrz.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeMrz, mrzNameField, parseMrz, shortenIcaoName, transliterateName } from './index.js';

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
  assert.is(shortenIcaoName('WOLFESCHLEGELSTEINHAUSENBERGERDORFF', '', 30), 'WOLFESCHLEGELSTEINHAUSENBERGER');
  assert.throws(() => mrzNameField('', 'Anna', 30), /primary identifier/);
  // Cutting the primary identifier right after a component must not leave '<<<' before the initial.
  assert.is(shortenIcaoName('DOS<SANTOS<BOMFIM<DA<SILVA<MOREIRA', 'ZOE', 30), 'DOS<SANTOS<BOMFIM<DA<SILVA<<Z');
});

test('composeMrz shortens a long name by the ICAO rules rather than cutting the line', () => {
  const lines = composeMrz({
    format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', nationality: 'UTO',
    birthDate: '1974-08-12', sex: 'F', expiryDate: '2032-04-15', surname: 'OESTERGAARD MOELLER', givenNames: 'JENS PETER AKSEL',
  });
  assert.is(lines[2], 'OESTERGAARD<MOELLER<<JENS<PETE');
  const parsed = parseMrz(lines, { referenceDate: new Date('2025-01-01T00:00:00Z') });
  assert.ok(parsed.valid, JSON.stringify(parsed.errors));
  assert.is(parsed.fields?.givenNames, 'JENS PETE');
});

test.run();
