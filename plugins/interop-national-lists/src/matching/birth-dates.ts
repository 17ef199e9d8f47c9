/**
 * Dates of birth as watchlists hold them: often only a year or a year and month, sometimes with
 * day and month the wrong way round (a US-style entry, or a clerk's slip). Packed into one number
 * so a million-person index keeps them in a typed array.
 */
import { TesseraError } from '@tessera/sdk';

export interface PartialDate {
  year: number;
  /** 1–12, or 0 when unknown */
  month: number;
  /** 1–31, or 0 when unknown */
  day: number;
}

const DATE_PATTERN = /^(\d{4})(?:-(\d{2}|XX)(?:-(\d{2}|XX))?)?$/i;

/** The date, undefined for an absent or blank value, or NATLIST_SCREEN_BIRTH_DATE_INVALID. `who` names the record in the message. */
export function parseBirthDate(text: string | undefined, who: string): PartialDate | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const m = DATE_PATTERN.exec(text.trim());
  const fail = (why: string) =>
    new TesseraError('NATLIST_SCREEN_BIRTH_DATE_INVALID', `The date of birth "${text}" of ${who} ${why}.`, {
      hint: 'Write it as YYYY-MM-DD, or YYYY-MM / YYYY when only part is known (00 or XX for an unknown month or day).',
    });
  if (!m) throw fail('is not YYYY, YYYY-MM or YYYY-MM-DD');
  const year = Number(m[1]);
  const month = m[2] && !/x/i.test(m[2]) ? Number(m[2]) : 0;
  const day = m[3] && !/x/i.test(m[3]) ? Number(m[3]) : 0;
  if (year < 1800 || month > 12 || (day > 0 && month === 0)) throw fail('is out of range');
  if (day > 0 && day > new Date(Date.UTC(year, month, 0)).getUTCDate()) throw fail('is not a calendar date');
  return { year, month, day };
}

/** year·10000 + month·100 + day, 0 for no date: one Int32 per person in the index. */
export const packDate = (d: PartialDate | undefined): number => (d ? d.year * 10000 + d.month * 100 + d.day : 0);
export const unpackDate = (n: number): PartialDate | undefined =>
  n ? { year: Math.floor(n / 10000), month: Math.floor(n / 100) % 100, day: n % 100 } : undefined;

export const formatDate = (d: PartialDate): string =>
  [String(d.year), d.month ? String(d.month).padStart(2, '0') : '', d.day ? String(d.day).padStart(2, '0') : ''].filter(Boolean).join('-');

export interface DateComparison {
  score: number;
  detail: string;
  /**
   * How far the two dates agree: to the day (one person in ~25,000 shares it), the month (~1 in
   * 800), the year only (~1 in 70), or not at all. The scorer asks for more of the name the less
   * the date pins down.
   */
  agreement: DateAgreement;
}

export type DateAgreement = 'day' | 'month' | 'year' | 'none';

/**
 * How well two dates of birth agree. Exact full dates 1; a partial date consistent with the other
 * scores by how much it pins down (year only 0.8, year and month 0.9); day and month swapped 0.8;
 * one digit off in the year with the same day and month 0.1 (a possible slip, named in the detail); anything else 0.
 */
export function compareBirthDates(query: PartialDate, record: PartialDate): DateComparison {
  const q = formatDate(query);
  const r = formatDate(record);
  if (query.year === record.year) {
    if (query.month && record.month && query.month !== record.month) {
      if (query.day && record.day && query.day === record.month && query.month === record.day) {
        return { score: 0.8, detail: `${q} and ${r}: day and month swapped`, agreement: 'day' };
      }
      return { score: 0, detail: `${q} differs from ${r} (month)`, agreement: 'none' };
    }
    if (query.day && record.day && query.day !== record.day) return { score: 0, detail: `${q} differs from ${r} (day)`, agreement: 'none' };
    const known = Math.min(query.month ? (query.day ? 3 : 2) : 1, record.month ? (record.day ? 3 : 2) : 1);
    if (known === 3) return { score: 1, detail: `${q} equals ${r}`, agreement: 'day' };
    return {
      score: known === 2 ? 0.9 : 0.8,
      detail: `${q} consistent with ${r} (only ${known === 2 ? 'year and month' : 'the year'} compared)`,
      agreement: known === 2 ? 'month' : 'year',
    };
  }
  const sameDayMonth = query.month && query.day && query.month === record.month && query.day === record.day;
  if (sameDayMonth && oneDigitApart(query.year, record.year)) {
    // Shown to the officer, but worth little: namesakes born on the same day ten years apart are common enough.
    return { score: 0.1, detail: `${q} and ${r}: same day and month, year one digit apart`, agreement: 'none' };
  }
  return { score: 0, detail: `${q} differs from ${r} (year)`, agreement: 'none' };
}

function oneDigitApart(a: number, b: number): boolean {
  const x = String(a);
  const y = String(b);
  let diff = 0;
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) diff++;
  if (diff === 1) return true;
  // Two adjacent digits swapped (1987 / 1978) is the other common slip.
  return diff === 2 && [0, 1, 2].some((i) => x[i] === y[i + 1] && x[i + 1] === y[i] && x.slice(0, i) === y.slice(0, i) && x.slice(i + 2) === y.slice(i + 2));
}
