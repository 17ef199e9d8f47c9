/**
 * The compact encoding of an SLTD record in the offline store: 12 bytes (three 32-bit words) per record.
 *
 * The lookup key (issuing state, document number) packs into 62 bits — the state as three base-27
 * letters (15 bits), the number as up to nine base-37 characters (47 bits) — and a 4-round Feistel
 * network on its two 31-bit halves turns that into a 62-bit "hash". A Feistel network is a bijection,
 * so the hash *is* the key, scrambled: records sorted by it are spread uniformly (good for bucketing and
 * searching), and two different keys can never share a hash, so a hit never needs a second check
 * against a stored copy of the number. The top 16 bits select one of 65,536 buckets (the table's
 * directory); the remaining 46 bits are stored. The document type is not part of the hash, because a
 * query may omit it: records differing only by type sit side by side.
 *
 *   word0: hash bits 0–30
 *   word1: hash bits 31–45 (15) | status (3) << 15 | document type (10) << 18
 *   word2: reporting country (15) | reported-on day (16) << 15 | has-reference (1) << 31
 *
 * Records that do not fit (a number longer than 9 characters or outside [0-9A-Z], a state or type with
 * other characters, a date outside 1900–2079) go to the store's small overflow list instead.
 */
import { SLTD_STATUSES, type SltdStatus } from '../records.js';

export const BUCKET_BITS = 16;
export const BUCKET_COUNT = 1 << BUCKET_BITS;
export const RECORD_WORDS = 3;
export const RECORD_BYTES = RECORD_WORDS * 4;

const MASK31 = 0x7fffffff;
const TWO_POW_31 = 2 ** 31;
const NUMBER_LENGTH = 9;
const NUMBER_RADIX = 37;
/** Feistel round keys: arbitrary odd constants; changing them changes the on-disk order (bump the format version). */
const ROUND_KEYS = [0x3c6ef372, 0x5be0cd19, 0x1f83d9ab, 0x9b05688c] as const;

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** 'A'–'Z' as 1–26 in base 27, up to three letters (0 pads): 'D' → 4·27², 'UTO' → …; -1 if not letters. */
export function encodeCountry(code: string): number {
  if (code.length < 1 || code.length > 3) return -1;
  let value = 0;
  for (let i = 0; i < 3; i++) {
    let digit = 0;
    if (i < code.length) {
      const c = code.charCodeAt(i);
      if (c < 65 || c > 90) return -1;
      digit = c - 64;
    }
    value = value * 27 + digit;
  }
  return value;
}

export function decodeCountry(value: number): string {
  let out = '';
  for (let divisor = 27 * 27; divisor >= 1; divisor = divisor / 27) {
    const digit = Math.floor(value / divisor) % 27;
    if (digit) out += String.fromCharCode(64 + digit);
  }
  return out;
}

/** One or two letters, 5 bits each ('P' → 16·32, 'PD' → 16·32 + 4); -1 otherwise. Never 0. */
export function encodeDocumentType(type: string): number {
  if (type.length < 1 || type.length > 2) return -1;
  const first = type.charCodeAt(0);
  if (first < 65 || first > 90) return -1;
  let value = (first - 64) << 5;
  if (type.length === 2) {
    const second = type.charCodeAt(1);
    if (second < 65 || second > 90) return -1;
    value |= second - 64;
  }
  return value;
}

export function decodeDocumentType(value: number): string {
  const second = value & 31;
  return String.fromCharCode(64 + (value >>> 5)) + (second ? String.fromCharCode(64 + second) : '');
}

/** Up to nine characters of [0-9A-Z] as base-37 digits 1–36, padded with 0 (< 37⁹ < 2⁴⁷); -1 otherwise. */
export function encodeNumber(number: string): number {
  if (number.length < 1 || number.length > NUMBER_LENGTH) return -1;
  let value = 0;
  for (let i = 0; i < NUMBER_LENGTH; i++) {
    let digit = 0;
    if (i < number.length) {
      const c = number.charCodeAt(i);
      if (c >= 48 && c <= 57) digit = c - 47;
      else if (c >= 65 && c <= 90) digit = c - 54;
      else return -1;
    }
    value = value * NUMBER_RADIX + digit;
  }
  return value;
}

export function decodeNumber(value: number): string {
  let out = '';
  for (let i = 0; i < NUMBER_LENGTH; i++) {
    const digit = value % NUMBER_RADIX;
    value = Math.floor(value / NUMBER_RADIX);
    if (digit) out = String.fromCharCode(digit <= 10 ? digit + 47 : digit + 54) + out;
  }
  return out;
}

/** The 62-bit hash as two 31-bit halves; `out` is reused to keep lookups allocation-free. */
export interface KeyHash { high: number; low: number }

/** Hash an encoded (state, number) pair: false when either does not fit the compact encoding. */
export function hashKey(issuingState: string, documentNumber: string, out: KeyHash): boolean {
  const state = encodeCountry(issuingState);
  const number = encodeNumber(documentNumber);
  if (state < 0 || number < 0) return false;
  const numberHigh = Math.floor(number / TWO_POW_31);
  let left = ((state << 16) | numberHigh) & MASK31;
  let right = number - numberHigh * TWO_POW_31;
  for (let round = 0; round < 4; round++) {
    const next = (left ^ mix32(right ^ ROUND_KEYS[round]!)) & MASK31;
    left = right;
    right = next;
  }
  out.high = left;
  out.low = right;
  return true;
}

/** The inverse of hashKey: which (state, number) a stored hash stands for. */
export function unhashKey(high: number, low: number): { issuingState: string; documentNumber: string } {
  let left = high;
  let right = low;
  for (let round = 3; round >= 0; round--) {
    const previousRight = left;
    const previousLeft = (right ^ mix32(previousRight ^ ROUND_KEYS[round]!)) & MASK31;
    left = previousLeft;
    right = previousRight;
  }
  const state = left >>> 16;
  const number = (left & 0xffff) * TWO_POW_31 + right;
  return { issuingState: decodeCountry(state), documentNumber: decodeNumber(number) };
}

export const bucketOf = (high: number): number => high >>> 15;

// ---- payload ----------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
/** 1900-01-01 as days since 1970-01-01. */
const DAY_ZERO = -25567;

function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/**
 * Days since 1970-01-01 of a calendar date written YYYY-MM-DD, or NaN when the text is not one (bad
 * shape, month 13, 30 February …). Plain arithmetic (Howard Hinnant's days_from_civil): it runs for
 * every record of an import, where building Date objects would dominate.
 */
export function isoDateToDays(text: string): number {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return NaN;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > monthDays) return NaN;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function isValidIsoDate(text: string): boolean {
  return !Number.isNaN(isoDateToDays(text));
}

/** Days since 1899-12-31 (so 0 means "no date"), or -1 when invalid or outside what 16 bits hold. */
export function encodeDay(isoDate: string): number {
  const day = isoDateToDays(isoDate) - DAY_ZERO + 1;
  return day >= 1 && day <= 0xffff ? day : -1;
}

export function decodeDay(value: number): string {
  return new Date((value - 1 + DAY_ZERO) * DAY_MS).toISOString().slice(0, 10);
}

export const STATUS_CODE: Readonly<Record<SltdStatus, number>> = Object.freeze(
  Object.fromEntries(SLTD_STATUSES.map((s, i) => [s, i])) as Record<SltdStatus, number>,
);

/** word1 for a hash and the payload fields. */
export function packWord1(high: number, status: number, type: number): number {
  return ((high & 0x7fff) | (status << 15) | (type << 18)) >>> 0;
}

/** word2 for the payload fields (0 for an absent country or date). */
export function packWord2(reportingCountry: number, day: number, hasReference: boolean): number {
  return (reportingCountry | (day << 15) | (hasReference ? 0x80000000 : 0)) >>> 0;
}

export const word1HashBits = (w1: number): number => w1 & 0x7fff;
export const word1Status = (w1: number): number => (w1 >>> 15) & 7;
export const word1Type = (w1: number): number => (w1 >>> 18) & 0x3ff;
export const word2Country = (w2: number): number => w2 & 0x7fff;
export const word2Day = (w2: number): number => (w2 >>> 15) & 0xffff;
export const word2HasReference = (w2: number): boolean => (w2 & 0x80000000) !== 0;
