/**
 * The SLTD record as both halves of the plugin see it (online connector, reference service, offline
 * store), the normalisation every lookup key goes through, and a deterministic generator of realistic
 * data sets for the reference service, the tests and the 10-million-record benchmark.
 */
import { ISO_3166_ALPHA3_CODES } from '@tessera/sdk';

export type SltdStatus = 'stolen' | 'lost' | 'revoked' | 'invalid' | 'stolen_blank';

/** Every status, in a fixed order (the offline store's compact encoding relies on this order). */
export const SLTD_STATUSES: readonly SltdStatus[] = Object.freeze(['stolen', 'lost', 'revoked', 'invalid', 'stolen_blank'] as const);

export interface SltdRecord {
  documentNumber: string;      // as printed, normalised by normaliseDocumentNumber
  issuingState: string;        // ICAO 3-letter
  documentType: string;        // ICAO document code: 'P', 'I', 'V', 'A', 'C' …
  status: SltdStatus;
  reportingCountry?: string;   // ICAO 3-letter
  reportedOn?: string;         // YYYY-MM-DD
  reference?: string;          // national reference
}

/** Upper-case, without spaces, MRZ fillers ('<') and hyphens: 'l8989 02c-3<' → 'L898902C3'. */
export function normaliseDocumentNumber(raw: string): string {
  return raw.toUpperCase().replace(/[\s<-]/g, '');
}

/** Upper-case, without spaces and MRZ fillers, so the MRZ field 'D<<' and 'd' both become 'D'. */
export function normaliseIssuingState(raw: string): string {
  return raw.toUpperCase().replace(/[\s<]/g, '');
}

/** Upper-case, without spaces and MRZ fillers: the MRZ field 'P<' becomes 'P'. */
export function normaliseDocumentType(raw: string): string {
  return raw.toUpperCase().replace(/[\s<]/g, '');
}

/**
 * One string per record identity, for maps and sets: `STATE/TYPE/NUMBER` with every part normalised,
 * e.g. 'UTO/P/L898902C3'. Without a document type the middle part is empty ('UTO//L898902C3'): the key
 * of a query that matches any type.
 */
export function sltdKey(r: { documentNumber: string; issuingState: string; documentType?: string }): string {
  const type = r.documentType === undefined ? '' : normaliseDocumentType(r.documentType);
  return `${normaliseIssuingState(r.issuingState)}/${type}/${normaliseDocumentNumber(r.documentNumber)}`;
}

// ---------------------------------------------------------------------------------------------------
// Generator

/** States that report most records, with their share out of 1000; the rest spread over ISO 3166. */
const HEAVY_STATES: ReadonlyArray<readonly [string, number]> = [
  ['USA', 90], ['FRA', 60], ['GBR', 60], ['D', 50], ['ITA', 45], ['ESP', 40], ['CAN', 30], ['AUS', 25],
  ['NLD', 20], ['BEL', 15], ['POL', 15], ['RUS', 15], ['UKR', 15], ['CHN', 15], ['IND', 15], ['BRA', 15],
  ['MEX', 10], ['TUR', 10], ['ZAF', 10], ['NGA', 10],
];
const TAIL_STATES = ISO_3166_ALPHA3_CODES.filter((code) => code !== 'DEU' && !HEAVY_STATES.some(([s]) => s === code));
const HEAVY_SHARE = HEAVY_STATES.reduce((sum, [, share]) => sum + share, 0);

/** Document types with their share out of 100; the type decides which statuses are plausible. */
const TYPES: ReadonlyArray<readonly [string, number]> = [['P', 58], ['I', 30], ['V', 6], ['PD', 2], ['A', 2], ['C', 2]];

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
/** The alphabet of German-style numbers (no vowels, no look-alikes). */
const NO_VOWELS = 'CFGHJKLMNPRTVWXYZ0123456789';

/**
 * Number formats, each a list of alphabets (one per character). A state/type pair always uses the same
 * format, and a record's number renders a permutation of its ordinal in that format's capacity, so two
 * records of one state/type never share a number. Every capacity exceeds 128 million and stays below
 * 2^37, the range mulMod computes exactly.
 */
const FORMATS: ReadonlyArray<readonly string[]> = [
  [DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS],           // 123456789
  [LETTERS, LETTERS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS],         // AB1234567
  [LETTERS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS],          // X12345678
  ['C', NO_VOWELS, NO_VOWELS, NO_VOWELS, NO_VOWELS, NO_VOWELS, NO_VOWELS, NO_VOWELS, DIGITS], // CFGH1K2L5
  [LETTERS, LETTERS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS],                 // AB123456
];
/** Long numbers (beyond the 9 characters of the MRZ field), a small share of records. */
const LONG_FORMAT: readonly string[] = [LETTERS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS, DIGITS];
const LONG_NUMBER_PER_MILLE = 2;

/** Multipliers of the ordinal permutation: primes larger than every format's capacity factors. */
const PERMUTATION_MULTIPLIER = 2654435761;
const PERMUTATION_OFFSET = 40503;

function capacityOf(format: readonly string[]): number {
  return format.reduce((product, alphabet) => product * alphabet.length, 1);
}

/** (a × i) mod m without leaving exact double precision (a, m < 2^37, i < 2^32). */
function mulMod(a: number, i: number, m: number): number {
  const high = Math.floor(i / 65536);
  const low = i % 65536;
  return (((a % m) * high % m) * 65536 + (a % m) * low) % m;
}

function renderNumber(format: readonly string[], ordinal: number): string {
  const capacity = capacityOf(format);
  // An affine map with a multiplier coprime to the capacity is a bijection on [0, capacity).
  let value = (mulMod(PERMUTATION_MULTIPLIER, ordinal, capacity) + PERMUTATION_OFFSET) % capacity;
  let out = '';
  for (let position = format.length - 1; position >= 0; position--) {
    const alphabet = format[position]!;
    out = alphabet[value % alphabet.length]! + out;
    value = Math.floor(value / alphabet.length);
  }
  return out;
}

/** A 32-bit avalanche hash (the finaliser of MurmurHash3): cheap, deterministic per-record randomness. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

function pickWeighted<T>(table: ReadonlyArray<readonly [T, number]>, total: number, roll: number): T {
  let point = roll % total;
  for (const [value, share] of table) {
    if (point < share) return value;
    point -= share;
  }
  return table[table.length - 1]![0];
}

const DAY_MS = 86_400_000;
const FIRST_REPORT_DAY = Date.UTC(2003, 0, 1) / DAY_MS;
const LAST_REPORT_DAY = Date.UTC(2025, 5, 30) / DAY_MS;

function statusFor(type: string, roll: number): SltdStatus {
  const point = roll % 1000;
  if (type === 'V') return point < 500 ? 'stolen' : point < 800 ? 'revoked' : point < 950 ? 'invalid' : 'lost';
  if (point < 560) return 'lost';
  if (point < 850) return 'stolen';
  if (point < 930) return 'revoked';
  if (point < 970) return 'invalid';
  return 'stolen_blank';
}

/**
 * `count` records, the same for the same seed: a realistic mix of states (a few large reporters and a
 * long tail, Germany as ICAO's 'D'), types (mostly passports and identity cards), statuses (mostly lost
 * and stolen), reporting countries, report dates and a few national references. No two records share a
 * (state, type, number) key. Lazy: 10 million records never exist as objects at once.
 */
export function* generateSltdRecords(opts: { seed: number; count: number }): Iterable<SltdRecord> {
  const { seed, count } = opts;
  if (!Number.isSafeInteger(count) || count < 0 || count > 2 ** 32) throw new RangeError(`generateSltdRecords: count must be an integer in [0, 2^32], got ${count}`);
  const seedMix = mix32(seed >>> 0 ^ 0x9e3779b9);
  const formatCache = new Map<string, readonly string[]>();
  for (let i = 0; i < count; i++) {
    const r1 = mix32(seedMix ^ mix32(i));
    const r2 = mix32(r1 ^ 0x68e31da4);
    const r3 = mix32(r2 ^ 0xb5297a4d);
    const issuingState = (r1 % 1000) < HEAVY_SHARE
      ? pickWeighted(HEAVY_STATES, HEAVY_SHARE, r1 % 1000)
      : TAIL_STATES[(r1 >>> 10) % TAIL_STATES.length]!;
    const documentType = pickWeighted(TYPES, 100, r2 % 100);
    const pairKey = `${issuingState}/${documentType}`;
    let format = formatCache.get(pairKey);
    if (!format) {
      format = FORMATS[((stringHash(pairKey) ^ seedMix) >>> 0) % FORMATS.length]!;
      formatCache.set(pairKey, format);
    }
    const long = (r2 >>> 8) % 1000 < LONG_NUMBER_PER_MILLE;
    const documentNumber = renderNumber(long ? LONG_FORMAT : format, i);
    const record: SltdRecord = { documentNumber, issuingState, documentType, status: statusFor(documentType, r3) };
    const reportingRoll = (r3 >>> 10) % 100;
    if (reportingRoll < 85) record.reportingCountry = issuingState === 'D' ? 'DEU' : issuingState;
    else if (reportingRoll < 95) record.reportingCountry = HEAVY_STATES[(r3 >>> 17) % HEAVY_STATES.length]![0].replace(/^D$/, 'DEU');
    if ((r2 >>> 20) % 100 < 97) {
      const day = FIRST_REPORT_DAY + (mix32(r3) % (LAST_REPORT_DAY - FIRST_REPORT_DAY + 1));
      record.reportedOn = new Date(day * DAY_MS).toISOString().slice(0, 10);
    }
    if ((r1 >>> 24) % 100 < 3) {
      const year = record.reportedOn ? record.reportedOn.slice(0, 4) : '2010';
      record.reference = `${record.reportingCountry ?? issuingState}-${year}-${String(mix32(r1 ^ r3) % 1_000_000).padStart(6, '0')}`;
    }
    yield record;
  }
}
