// The MRZ → person query mapping on the ICAO 9303 part 4 specimen, and its birth dates with unknown parts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMrz } from '../mrz/parse-mrz.js';
import { personQueryFromMrz } from './person-query.js';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const withBirthDate = (yymmdd: string) => [TD3[0]!, TD3[1]!.slice(0, 13) + yymmdd + TD3[1]!.slice(19)];
const REFERENCE = new Date('2011-06-01T00:00:00Z');

test('the ICAO specimen: names without fillers, full birth date, nationality', () => {
  const mrz = parseMrz(TD3, { referenceDate: REFERENCE });
  assert.equal(personQueryFromMrz(mrz.fields, { referenceDate: REFERENCE }), { surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '1974-08-12', nationality: 'UTO' });
});

test('unknown day, or month and day: the known prefix, with the parser\'s century inference', () => {
  const month = parseMrz(withBirthDate('7408<<'), { referenceDate: REFERENCE });
  assert.is(month.fields!.birthDate, null, 'the parser gives no full date');
  assert.is(personQueryFromMrz(month.fields, { referenceDate: REFERENCE })!.birthDate, '1974-08');
  const year = parseMrz(withBirthDate('05<<<<'), { referenceDate: REFERENCE });
  assert.is(personQueryFromMrz(year.fields, { referenceDate: REFERENCE })!.birthDate, '2005', '05 before the reference year: this century');
  const lastCentury = parseMrz(withBirthDate('15<<<<'), { referenceDate: REFERENCE });
  assert.is(personQueryFromMrz(lastCentury.fields, { referenceDate: REFERENCE })!.birthDate, '1915', '15 after the reference year: the previous century');
  const dayOnly = parseMrz(withBirthDate('74<<12'), { referenceDate: REFERENCE });
  assert.is(personQueryFromMrz(dayOnly.fields, { referenceDate: REFERENCE })!.birthDate, '1974', 'a day without its month: the year only');
});

test('an unknown year or an invalid date leaves the birth date out; no surname gives no query', () => {
  for (const yymmdd of ['<<<<<<', '<<0812', '741312']) {
    const mrz = parseMrz(withBirthDate(yymmdd), { referenceDate: REFERENCE });
    const query = personQueryFromMrz(mrz.fields, { referenceDate: REFERENCE })!;
    assert.is(query.birthDate, undefined, yymmdd);
    assert.is(query.surname, 'ERIKSSON');
  }
  assert.is(personQueryFromMrz({ surname: '<<', givenNames: 'ANNA', birthDate: null, nationality: 'UTO' }), null);
  assert.is(personQueryFromMrz(null), null);
});

test('a holder without given names or nationality: only what the MRZ has', () => {
  assert.equal(personQueryFromMrz({ surname: 'DE<LA<CRUZ', givenNames: '', birthDate: '1980-02-29', nationality: null }), { surname: 'DE LA CRUZ', birthDate: '1980-02-29' });
});

test.run();
