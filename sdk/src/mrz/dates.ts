/**
 * YYMMDD dates: validation and century inference against a reference date.
 *
 * Century rules (two-digit years cannot be resolved otherwise):
 * - date of birth: the latest matching date that is not after the reference date
 *   (nobody is born in the future, and people older than 100 are rarer than newborns);
 * - date of expiry: the year that falls in [reference year − 80, reference year + 20),
 *   since documents are valid for at most ~10 years while expired documents still get
 *   inspected decades later.
 */

export interface ReferenceDay {
  year: number;
  month: number;
  day: number;
}

export function referenceDay(date: Date | undefined): ReferenceDay {
  const d = date ?? new Date();
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 'badCharacter': something other than digits, or fillers in whole YY/MM/DD pairs; `badIndex` is set. */
export type DateStatus = 'ok' | 'unknown' | 'partial' | 'badCharacter' | 'badMonth' | 'badDay';

export interface DateReading {
  status: DateStatus;
  iso: string | null;
  /** Full year when the year digits are known (also for partial dates). */
  year: number;
  month: number;
  day: number;
  /** Offset within the 6 characters of the first offending character. */
  badIndex: number;
}

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

export function monthName(month: number): string {
  return MONTH_NAMES[month - 1] ?? String(month);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Reads a pair at `at`: 0–99, -1 for '<<', -2 when malformed. */
function pair(s: string, at: number): number {
  const a = s.charCodeAt(at);
  const b = s.charCodeAt(at + 1);
  if (a >= 48 && a <= 57 && b >= 48 && b <= 57) return (a - 48) * 10 + (b - 48);
  if (a === 60 && b === 60) return -1;
  return -2;
}

/** Offset of the culprit in the first malformed pair: a non-digit non-filler, else the filler. */
function badIndexIn(s: string, at: number): number {
  for (let i = at; i < at + 6; i += 2) {
    if (pair(s, i) !== -2) continue;
    const a = s.charCodeAt(i);
    const aIsDigit = a >= 48 && a <= 57;
    if (!aIsDigit && a !== 60) return i - at;
    const b = s.charCodeAt(i + 1);
    if (!(b >= 48 && b <= 57) && b !== 60) return i + 1 - at;
    return aIsDigit ? i + 1 - at : i - at;
  }
  return 0;
}

/** Resolves the date at `s[at, at+6)`; `kind` selects the century rule. */
export function readDate(s: string, at: number, kind: 'birth' | 'expiry', ref: ReferenceDay): DateReading {
  const yy = pair(s, at);
  const mm = pair(s, at + 2);
  const dd = pair(s, at + 4);
  const r: DateReading = { status: 'ok', iso: null, year: -1, month: mm, day: dd, badIndex: -1 };
  if (yy === -2 || mm === -2 || dd === -2) {
    r.status = 'badCharacter';
    r.badIndex = badIndexIn(s, at);
    return r;
  }
  if (yy >= 0) r.year = resolveYear(yy, mm < 0 ? 1 : mm, dd < 0 ? 1 : dd, kind, ref);
  if (mm > 12 || mm === 0) {
    r.status = 'badMonth';
    r.badIndex = 2;
    return r;
  }
  if (dd === 0 || dd > 31 || (mm > 0 && dd > (r.year >= 0 ? daysInMonth(r.year, mm) : mm === 2 ? 29 : daysInMonth(2001, mm)))) {
    r.status = 'badDay';
    r.badIndex = 4;
    return r;
  }
  if (yy < 0 || mm < 0 || dd < 0) {
    r.status = yy < 0 && mm < 0 && dd < 0 ? 'unknown' : 'partial';
    return r;
  }
  r.iso = r.year + '-' + pad2(mm) + '-' + pad2(dd);
  return r;
}

function resolveYear(yy: number, mm: number, dd: number, kind: 'birth' | 'expiry', ref: ReferenceDay): number {
  const century = ref.year - (ref.year % 100);
  let year = century + yy;
  if (kind === 'birth') {
    if (year > ref.year || (year === ref.year && (mm > ref.month || (mm === ref.month && dd > ref.day)))) year -= 100;
  } else {
    if (year >= ref.year + 20) year -= 100;
    else if (year < ref.year - 80) year += 100;
  }
  return year;
}

/** True when the ISO date (YYYY-MM-DD) lies before the reference day. */
export function isBefore(iso: string, ref: ReferenceDay): boolean {
  const y = Number(iso.slice(0, 4));
  if (y !== ref.year) return y < ref.year;
  const m = Number(iso.slice(5, 7));
  if (m !== ref.month) return m < ref.month;
  return Number(iso.slice(8, 10)) < ref.day;
}
