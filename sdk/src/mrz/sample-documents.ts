/**
 * Seeded generator of valid synthetic MRZs in every format, for the property tests and the
 * benchmark. Not exported from the package entry: fixtures only.
 */

import { composeMrz, type MrzComposeInput } from './compose-mrz.js';
import type { MrzFormat } from './types.js';

/** Small deterministic PRNG (mulberry32) so generated fixtures are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const STATES = ['UTO', 'D', 'FRA', 'NLD', 'GBR', 'USA', 'XXA', 'CAN', 'ITA', 'ESP', 'JPN', 'BRA', 'EUE', 'UNO'];
const SURNAMES = ['ERIKSSON', 'MUSTERMANN', 'DUPONT', 'VAN DER BERG', 'SMITH', 'GARCIA LOPEZ', 'NGUYEN', "O BRIEN", 'LI'];
const GIVEN = ['ANNA MARIA', 'PETER JOHN', 'ERIKA', 'JEAN PIERRE', 'MAX', '', 'SOPHIE', 'CARLOS', 'MEI'];

export const ALL_FORMATS: readonly MrzFormat[] = ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB', 'FRA_ID'];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function chars(rand: () => number, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

function date(rand: () => number, fromYear: number, span: number): string {
  const y = fromYear + Math.floor(rand() * span);
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Fields of a random valid document; dates suit a reference date in 2026. */
export function randomDocument(rand: () => number, format: MrzFormat): MrzComposeInput {
  const visa = format === 'MRVA' || format === 'MRVB';
  const fra = format === 'FRA_ID';
  const card = format === 'TD1' || format === 'TD2';
  const longNumber = card && rand() < 0.2;
  const optionalLength = { TD1: 10, TD2: 0, TD3: 14, MRVA: 16, MRVB: 8, FRA_ID: 6 }[format];
  return {
    format,
    documentCode: fra ? 'ID' : visa ? pick(rand, ['V', 'VC', 'VD']) : format === 'TD3' ? pick(rand, ['P', 'PD', 'PO']) : pick(rand, ['I', 'ID', 'IR', 'AC', 'C']),
    issuingState: fra ? 'FRA' : pick(rand, STATES),
    documentNumber: fra ? chars(rand, '0123456789', 12) : longNumber ? chars(rand, ALNUM, 10 + Math.floor(rand() * 3)) : chars(rand, ALNUM, 8 + Math.floor(rand() * 2)),
    nationality: pick(rand, STATES),
    birthDate: date(rand, 1930, 95),
    sex: pick(rand, ['M', 'F', 'X', '<'] as const),
    expiryDate: date(rand, 2010, 30),
    surname: pick(rand, SURNAMES),
    givenNames: pick(rand, GIVEN),
    optionalData1: longNumber || optionalLength === 0 ? '' : rand() < 0.5 ? '' : chars(rand, ALNUM, 1 + Math.floor(rand() * (optionalLength - 1))),
    optionalData2: format === 'TD1' && rand() < 0.5 ? chars(rand, ALNUM, 1 + Math.floor(rand() * 10)) : '',
  };
}

export function randomMrz(rand: () => number, format: MrzFormat): string[] {
  return composeMrz(randomDocument(rand, format));
}
