// Partial dates of birth: parsing, packing into one number, and the comparison rules with their
// explanations (partial dates, day/month swaps, year slips).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareBirthDates, packDate, parseBirthDate, unpackDate } from './birth-dates.js';

const d = (s: string) => parseBirthDate(s, 'test')!;

test('parses full and partial dates, and packs them losslessly', () => {
  assert.equal(d('1975-03-12'), { year: 1975, month: 3, day: 12 });
  assert.equal(d('1975-03'), { year: 1975, month: 3, day: 0 });
  assert.equal(d('1975'), { year: 1975, month: 0, day: 0 });
  assert.equal(d('1975-00-00'), { year: 1975, month: 0, day: 0 });
  assert.equal(d('1975-XX-XX'), { year: 1975, month: 0, day: 0 });
  assert.is(parseBirthDate('', 'test'), undefined);
  assert.is(parseBirthDate(undefined, 'test'), undefined);
  assert.equal(unpackDate(packDate(d('2004-02-29'))), d('2004-02-29'));
  assert.is(packDate(undefined), 0);
});

test('rejects what is not a date, naming the record', () => {
  for (const bad of ['12/03/1975', '1975-13', '1975-02-30', '2003-02-29', '1975-00-12', '75-03-12', '1700-01-01']) {
    assert.throws(() => parseBirthDate(bad, 'person P1'), (e: Error & { code?: string }) => e.code === 'NATLIST_SCREEN_BIRTH_DATE_INVALID' && e.message.includes('person P1'), bad);
  }
});

test('comparison: exact, partial, swapped, slipped and different dates', () => {
  assert.is(compareBirthDates(d('1975-03-12'), d('1975-03-12')).score, 1);
  // How far they agree, which sets what a name part left out of the query costs.
  assert.equal(['1975-03-12', '1975-03', '1975', '1976'].map((q) => compareBirthDates(d(q), d('1975-03-12')).agreement), ['day', 'month', 'year', 'none']);
  assert.is(compareBirthDates(d('1975-12-03'), d('1975-03-12')).agreement, 'day');
  assert.is(compareBirthDates(d('1975'), d('1975-03-12')).score, 0.8);
  assert.is(compareBirthDates(d('1975-03-12'), d('1975-03')).score, 0.9);
  const swapped = compareBirthDates(d('1975-12-03'), d('1975-03-12'));
  assert.is(swapped.score, 0.8);
  assert.match(swapped.detail, /day and month swapped/);
  assert.is(compareBirthDates(d('1975-03-12'), d('1975-03-13')).score, 0);
  assert.is(compareBirthDates(d('1975-03'), d('1975-04-01')).score, 0);
  assert.is(compareBirthDates(d('1975'), d('1976')).score, 0);
  const slip = compareBirthDates(d('1975-03-12'), d('1957-03-12'));
  assert.match(slip.detail, /year one digit apart/);
  assert.ok(slip.score > 0 && slip.score < 0.2);
  assert.match(compareBirthDates(d('1975-03-12'), d('1985-03-12')).detail, /year one digit apart/);
  assert.match(compareBirthDates(d('1975-03-12'), d('1964-03-12')).detail, /differs/);
});

test.run();
