// The person-matching engine end to end: transliterated scripts, swapped order, missing middle
// names, typos, partial and swapped dates, nationality aliases, explanations, unrelated people,
// the threshold, and the errors for bad input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTesseraError } from '@tessera/sdk';
import { buildPersonIndex, DEFAULT_THRESHOLD, SCREENING_ERROR_CODES, type Candidate, type PersonQuery, type PersonRecord } from './index.js';

const LIST: PersonRecord[] = [
  { id: 'ivanov', surname: 'IVANOV', givenNames: 'SERGEI PETROVICH', birthDate: '1975-03-12', nationality: 'RUS' },
  { id: 'mueller', surname: 'Müller', givenNames: 'Jörg', birthDate: '1980', nationality: 'D' },
  { id: 'khaled', surname: 'HADDAD', givenNames: 'KHALED MOHAMMED', birthDate: '1990-07-01', nationality: 'SYR' },
  { id: 'papadopoulos', surname: 'PAPADOPOULOS', givenNames: 'GEORGIOS', birthDate: '1969-11', nationality: 'GRC' },
  { id: 'smith', surname: 'Smith', givenNames: 'John Paul', birthDate: '1970-01-02', nationality: 'GBR' },
  { id: 'wang', surname: 'WANG', givenNames: 'WEI', birthDate: '1985-05-20', nationality: 'CHN' },
  { id: 'garcia', surname: 'García Márquez', givenNames: 'Gabriel José', birthDate: '1947-03-06', nationality: 'COL', aliases: ['Gabo Márquez'] },
  // Namesakes that must not be confused with the people above.
  { id: 'ivanov-2', surname: 'IVANOV', givenNames: 'SERGEI', birthDate: '1951-08-30', nationality: 'RUS' },
  { id: 'wang-2', surname: 'WANG', givenNames: 'WEI', birthDate: '1962-10-10', nationality: 'CHN' },
  { id: 'petrova', surname: 'PETROVA', givenNames: 'ANNA', birthDate: '1975-03-12', nationality: 'RUS' },
];
const index = buildPersonIndex(LIST);

const top = (q: PersonQuery): Candidate | undefined => index.screen(q)[0];
const matched = (q: PersonQuery) => index.screen(q).filter((c) => c.match).map((c) => c.id);

test('the index holds every person, and the default threshold is the calibrated 0.8', () => {
  assert.is(index.size, LIST.length);
  assert.is(DEFAULT_THRESHOLD, 0.8);
});

test('a name written in Cyrillic, Greek or Arabic script finds its Latin list entry', () => {
  assert.equal(matched({ surname: 'Иванов', givenNames: 'Сергей Петрович', birthDate: '1975-03-12' }), ['ivanov']);
  assert.equal(matched({ surname: 'Παπαδόπουλος', givenNames: 'Γεώργιος', birthDate: '1969-11-02' }), ['papadopoulos']);
  const arabic = top({ surname: 'حداد', givenNames: 'خالد محمد', birthDate: '1990-07-01' });
  assert.is(arabic?.id, 'khaled');
  assert.ok(arabic?.match);
  assert.match(arabic!.features.name.detail, /XKHALD ≈ KHALED \(same consonants, Arabic script\)/);
});

test('Doc 9303 multi-letter and single-letter spellings of Ü and Ö both match', () => {
  for (const surname of ['MUELLER', 'MULLER', 'Müller']) {
    const c = top({ surname, givenNames: surname === 'MULLER' ? 'JORG' : 'JOERG', birthDate: '1980-05-05', nationality: 'DEU' });
    assert.is(c?.id, 'mueller', surname);
    assert.ok(c?.match, surname);
    assert.is(c?.features.name.score, 1, surname);
  }
});

test('surname and given names swapped, and a missing middle name, still match', () => {
  const swapped = top({ surname: 'SERGEI', givenNames: 'IVANOV', birthDate: '1975-03-12' });
  assert.is(swapped?.id, 'ivanov');
  assert.ok(swapped?.match);
  assert.match(swapped!.features.name.detail, /another order/);
  const noMiddle = top({ surname: 'Smith', givenNames: 'John', birthDate: '1970-01-02' });
  assert.is(noMiddle?.id, 'smith');
  assert.ok(noMiddle!.features.name.score < 1 && noMiddle!.match);
  assert.match(noMiddle!.features.name.detail, /PAUL not in the query/);
});

test('typing slips are tolerated and named', () => {
  const c = top({ surname: 'PAPADOPOLOUS', givenNames: 'GEORIGOS', birthDate: '1969' });
  assert.is(c?.id, 'papadopoulos');
  assert.ok(c?.match);
  assert.match(c!.features.name.detail, /typing slip/);
  assert.is(top({ surname: 'IVANOW', givenNames: 'SERGEJ PETROVICH', birthDate: '1975-03-12' })?.id, 'ivanov');
  // A female surname form with one letter more is close, but it is the typo rule that says so.
  assert.match(top({ surname: 'PETROV', givenNames: 'ANNA', birthDate: '1975-03-12' })!.features.name.detail, /PETROV ≈ PETROVA \(typing slip\)/);
});

test('partial dates are compared as far as they go; day and month swapped still match', () => {
  const yearOnly = top({ surname: 'IVANOV', givenNames: 'SERGEI PETROVICH', birthDate: '1975' })!;
  assert.is(yearOnly.features.birthDate.score, 0.8);
  assert.match(yearOnly.features.birthDate.detail, /only the year/);
  const swapped = top({ surname: 'IVANOV', givenNames: 'SERGEI PETROVICH', birthDate: '1975-12-03' })!;
  assert.is(swapped.id, 'ivanov');
  assert.ok(swapped.match);
  assert.match(swapped.features.birthDate.detail, /day and month swapped/);
  // The list's year-month entry against a full date in the query.
  assert.is(top({ surname: 'PAPADOPOULOS', givenNames: 'GEORGIOS', birthDate: '1969-11-30' })?.features.birthDate.score, 0.9);
});

test('a listed name part left out costs more the less the date of birth pins down', () => {
  const spanish = buildPersonIndex([
    { id: 'ruiz', surname: 'GARCIA RUIZ', givenNames: 'DANIELA', birthDate: '1978-04-23', nationality: 'ESP' },
    { id: 'gomez', surname: 'GARCIA GOMEZ', givenNames: 'DANIELA', birthDate: '1978-12-06', nationality: 'MEX' },
  ]);
  const score = (birthDate: string) => spanish.screen({ surname: 'GARCIA', givenNames: 'DANIELA', birthDate }, { threshold: 0 }).find((c) => c.id === 'ruiz')!;
  const fullDate = score('1978-04-23');
  const yearMonth = score('1978-04');
  const yearOnly = score('1978');
  // The name score is the same each time; only the date's agreement changes what the left-out part costs.
  assert.is(fullDate.features.name.score, yearOnly.features.name.score);
  assert.ok(fullDate.match && !/left out/.test(fullDate.features.name.detail), JSON.stringify(fullDate));
  assert.match(yearMonth.features.name.detail, /a listed name part left out while the date of birth agrees only to the month \(−0\.05 overall\)/);
  assert.match(yearOnly.features.name.detail, /agrees only to the year \(−0\.1 overall\)/);
  assert.ok(fullDate.score > yearMonth.score && yearMonth.score > yearOnly.score, `${fullDate.score} ${yearMonth.score} ${yearOnly.score}`);
  // DANIELA GARCIA born 1978 is either of them: with only the year and another nationality, no alert.
  assert.not.ok(spanish.screen({ surname: 'GARCIA', givenNames: 'DANIELA', birthDate: '1978', nationality: 'ARG' }).some((c) => c.match));
  // The whole name with only the year still matches: nothing listed was left out.
  assert.ok(spanish.screen({ surname: 'GARCIA RUIZ', givenNames: 'DANIELA', birthDate: '1978' })[0].match);
});

test('compound names: connecting words, and parts written as one word or apart', () => {
  const compound = buildPersonIndex([
    { id: 'cruz', surname: 'DE LA CRUZ', givenNames: 'ROSA', birthDate: '1960-02-02', nationality: 'MEX' },
    { id: 'husseini', surname: 'ALHUSSEINI', givenNames: 'OMAR', birthDate: '1971-09-09', nationality: 'JOR' },
    { id: 'salman', surname: 'SALMAN', givenNames: 'MOHAMMED', birthDate: '1985-08-31', nationality: 'SAU' },
    { id: 'ruiz', surname: 'GARCIA RUIZ', givenNames: 'YOLANDA', birthDate: '1950-05-05', nationality: 'ESP' },
  ]);
  const best = (q: PersonQuery) => compound.screen(q, { threshold: 0 })[0];
  const cruz = best({ surname: 'CRUZ', givenNames: 'ROSA', birthDate: '1960' });
  assert.is(cruz.id, 'cruz');
  assert.is(cruz.features.name.score, 1);
  assert.match(cruz.features.name.detail, /DE LA on one side only \(a connecting word, not compared\)/);
  const apart = best({ surname: 'AL HUSSEINI', givenNames: 'OMAR', birthDate: '1971-09-09' });
  assert.is(apart.features.name.score, 1);
  assert.match(apart.features.name.detail, /AL HUSSEINI = ALHUSSEINI \(written as one word\)/);
  const joined = best({ surname: 'GARCIARUIZ', givenNames: 'YOLANDA', birthDate: '1950-05-05' });
  assert.is(joined.id, 'ruiz');
  assert.match(joined.features.name.detail, /GARCIARUIZ = GARCIA RUIZ \(written apart\)/);
  assert.ok(joined.score >= DEFAULT_THRESHOLD);
  const nasab = best({ surname: 'BIN SALMAN', givenNames: 'MOHAMMED', birthDate: '1985-08-31' });
  assert.is(nasab.features.name.score, 1);
  assert.ok(nasab.score >= DEFAULT_THRESHOLD);
  // Y joins Spanish surnames; it is not YOLANDA's initial, and a contradicting name is still one.
  const y = best({ surname: 'GARCIA Y RUIZ', givenNames: 'ANA', birthDate: '1950-05-05' });
  assert.match(y.features.name.detail, /ANA not on the list entry/);
  assert.ok(y.score < DEFAULT_THRESHOLD, String(y.score));
});

test('a different date of birth separates namesakes', () => {
  assert.equal(matched({ surname: 'WANG', givenNames: 'WEI', birthDate: '1985-05-20', nationality: 'CHN' }), ['wang']);
  assert.equal(matched({ surname: 'WANG', givenNames: 'WEI', birthDate: '1962-10-10' }), ['wang-2']);
  const other = index.screen({ surname: 'WANG', givenNames: 'WEI', birthDate: '1999-01-01' });
  assert.ok(other.length >= 2 && other.every((c) => !c.match && c.features.birthDate.score === 0));
});

test('nationality aliases: D is DEU, GBD is GBR; a different nationality lowers the score', () => {
  const d = top({ surname: 'MUELLER', givenNames: 'JOERG', birthDate: '1980', nationality: 'DEU' })!;
  assert.is(d.features.nationality.score, 1);
  assert.match(d.features.nationality.detail, /DEU and D are the same state/);
  assert.is(top({ surname: 'SMITH', givenNames: 'JOHN PAUL', birthDate: '1970-01-02', nationality: 'GBD' })?.features.nationality.score, 1);
  const other = top({ surname: 'SMITH', givenNames: 'JOHN PAUL', birthDate: '1970-01-02', nationality: 'USA' })!;
  assert.is(other.features.nationality.score, 0);
  assert.ok(other.score < top({ surname: 'SMITH', givenNames: 'JOHN PAUL', birthDate: '1970-01-02' })!.score);
});

test('aliases are searched and marked as such', () => {
  const c = top({ surname: 'MARQUEZ', givenNames: 'GABO' })!;
  assert.is(c.id, 'garcia');
  assert.match(c.features.name.detail, /\[alias\]/);
});

test('every candidate explains each feature with a score, a weight and a sentence', () => {
  const c = top({ surname: 'IVANOV', givenNames: 'SERGEI', birthDate: '1975-03-12', nationality: 'RUS' })!;
  assert.equal(Object.keys(c.features).sort(), ['birthDate', 'name', 'nationality']);
  for (const f of Object.values(c.features)) {
    assert.type(f.score, 'number');
    assert.type(f.weight, 'number');
    assert.ok(f.detail.length > 5, f.detail);
  }
  assert.match(c.features.name.detail, /IVANOV = IVANOV; SERGEI = SERGEI; PETROVICH not in the query/);
  const noDate = top({ surname: 'IVANOV', givenNames: 'SERGEI PETROVICH' })!;
  assert.is(noDate.features.birthDate.weight, 0);
  assert.match(noDate.features.birthDate.detail, /not in the query: not compared/);
});

test('unrelated people are not matched', () => {
  assert.equal(matched({ surname: 'JONES', givenNames: 'MARY', birthDate: '1970-01-02', nationality: 'GBR' }), []);
  assert.equal(matched({ surname: 'PETROVA', givenNames: 'MARIA', birthDate: '1975-03-12', nationality: 'RUS' }), []);
  assert.equal(matched({ surname: 'Schmidt', givenNames: 'Jörg', birthDate: '1980' }), []);
  // Same surname and birth year, but a given name that contradicts the list's: not the same person.
  assert.equal(matched({ surname: 'IVANOV', givenNames: 'OLEG', birthDate: '1951' }), []);
  const contradicted = top({ surname: 'García Márquez', givenNames: 'Pedro José', birthDate: '1947-03-06', nationality: 'COL' })!;
  assert.is(contradicted.id, 'garcia');
  assert.not.ok(contradicted.match, JSON.stringify(contradicted));
  // Names that merely sound or look a little alike do not pair up (PAUL / BELL, CHARLES / CHRISTOPHER).
  assert.equal(matched({ surname: 'Smith', givenNames: 'Bell Charles' }), []);
});

test('the threshold decides match; the limit caps the list', () => {
  const q = { surname: 'IVANOV', givenNames: 'SERGEI', birthDate: '1975' };
  const all = index.screen(q, { threshold: 0 });
  assert.ok(all.length >= 2 && all.every((c) => c.match));
  const strict = index.screen(q, { threshold: 0.99 });
  assert.ok(strict.every((c) => !c.match));
  assert.equal(strict.map((c) => c.score), all.map((c) => c.score));
  assert.is(index.screen(q, { limit: 1, threshold: 0 }).length, 1);
  assert.ok(all[0].score >= all[1].score);
});

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isTesseraError(e) ? e.code : String(e);
  }
  return undefined;
};

test('bad input gets a specific error', () => {
  assert.is(code(() => index.screen({ surname: 'IVANOV', birthDate: '12/03/1975' })), 'NATLIST_SCREEN_BIRTH_DATE_INVALID');
  assert.is(code(() => index.screen({ surname: 'IVANOV', birthDate: '1975-02-30' })), 'NATLIST_SCREEN_BIRTH_DATE_INVALID');
  assert.is(code(() => index.screen({ surname: '123' })), 'NATLIST_SCREEN_NAME_EMPTY');
  assert.is(code(() => index.screen({ surname: 'IVANOV' }, { threshold: 1.5 })), 'NATLIST_SCREEN_OPTIONS_INVALID');
  assert.is(code(() => index.screen({ surname: 'IVANOV' }, { limit: 0 })), 'NATLIST_SCREEN_OPTIONS_INVALID');
  assert.is(code(() => buildPersonIndex([{ id: 'x', surname: 'A', birthDate: '1975-13' }])), 'NATLIST_SCREEN_BIRTH_DATE_INVALID');
  assert.is(code(() => buildPersonIndex([{ id: 'x', surname: ' - ' }])), 'NATLIST_SCREEN_NAME_EMPTY');
  assert.ok('NATLIST_SCREEN_NAME_EMPTY' in SCREENING_ERROR_CODES);
  // Unknown parts of a date written as 00 or XX are accepted, not errors.
  assert.is(code(() => index.screen({ surname: 'IVANOV', birthDate: '1975-XX-XX' })), undefined);
});

test.run();
