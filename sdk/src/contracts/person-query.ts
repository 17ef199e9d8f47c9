/**
 * The person query an MRZ gives, for connectors that screen persons (`queries` includes 'person'):
 * one mapping in the SDK, so the inspection pipeline and a plugin's own tools ask watchlists the same
 * question for the same document.
 */
import { readDate, referenceDay } from '../mrz/dates.js';
import type { MrzFields } from '../mrz/types.js';
import type { PersonQuery } from './interop-connector.js';

export type PersonQueryMrzFields = Pick<MrzFields, 'surname' | 'givenNames' | 'birthDate' | 'nationality'> & Partial<Pick<MrzFields, 'birthDateRaw'>>;

const withoutFillers = (value: string) => value.replace(/</g, ' ').replace(/\s+/g, ' ').trim();

/**
 * The birth date as a watchlist compares it: the parser's full date; for a date with `<<` parts
 * (unknown month or day) the known prefix, 'YYYY' or 'YYYY-MM', with the century inferred as the parser
 * does for birth dates against `referenceDate`. A date whose year is unknown, or that is invalid, is left out.
 */
function birthDateOf(fields: PersonQueryMrzFields, referenceDate: Date | undefined): string | undefined {
  if (fields.birthDate) return fields.birthDate;
  const raw = fields.birthDateRaw;
  if (!raw || raw.length !== 6) return undefined;
  const reading = readDate(raw, 0, 'birth', referenceDay(referenceDate));
  if (reading.status !== 'partial' || reading.year < 0) return undefined;
  const year = String(reading.year).padStart(4, '0');
  // A known day without its month cannot be written as a partial date: the year is what is known.
  return reading.month > 0 ? `${year}-${String(reading.month).padStart(2, '0')}` : year;
}

/**
 * The person query for the holder of a parsed MRZ: names without fillers, the birth date (partial when
 * the MRZ has `<<` in it), the nationality. Null when the MRZ gives no surname, so there is nobody to screen.
 * `referenceDate` must be the one the MRZ was parsed with (default: now), for the century of partial dates.
 */
export function personQueryFromMrz(fields: PersonQueryMrzFields | null | undefined, options: { referenceDate?: Date } = {}): PersonQuery | null {
  if (!fields) return null;
  const surname = withoutFillers(fields.surname ?? '');
  if (!surname) return null;
  const givenNames = withoutFillers(fields.givenNames ?? '');
  const birthDate = birthDateOf(fields, options.referenceDate);
  const nationality = fields.nationality?.replace(/</g, '');
  return {
    surname,
    ...(givenNames ? { givenNames } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...(nationality ? { nationality } : {}),
  };
}
