/**
 * Which characters may stand at each position of each MRZ format (ICAO Doc 9303 parts 4–7).
 * The recognisers only rank the characters a position allows, so a '0' is never read in a name
 * nor an 'O' in a date — the character-class half of the SDK's correction, applied before the
 * choice rather than after it.
 */
import type { MrzFormat } from '@tessera/sdk';

export type OcrFormat = Extract<MrzFormat, 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB'>;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const L = `${LETTERS}<`;
const D = DIGITS;
const DF = `${DIGITS}<`;
const A = `${LETTERS}${DIGITS}<`;
const SEX = 'MFX<';

export const LINE_LENGTHS: Readonly<Record<OcrFormat, number>> = { TD1: 30, TD2: 36, TD3: 44, MRVA: 44, MRVB: 36 };
export const LINE_COUNTS: Readonly<Record<OcrFormat, number>> = { TD1: 3, TD2: 2, TD3: 2, MRVA: 2, MRVB: 2 };

function run(set: string, count: number): string[] {
  return Array.from({ length: count }, () => set);
}

/** Line 1 of the two-line formats: document code, issuing state, name. */
function nameLine(length: number): string[] {
  return [LETTERS, L, L, L, L, ...run(L, length - 5)];
}

/** Line 2 of the two-line formats up to the expiry date check digit (columns 1–28). */
function dataLine(numberCheck: string): string[] {
  return [...run(A, 9), numberCheck, L, L, L, ...run(DF, 6), D, SEX, ...run(DF, 6), D];
}

const TABLE: Readonly<Record<OcrFormat, string[][]>> = {
  TD1: [
    [LETTERS, L, L, L, L, ...run(A, 9), DF, ...run(A, 15)],
    [...run(DF, 6), D, SEX, ...run(DF, 6), D, L, L, L, ...run(A, 11), D],
    run(L, 30),
  ],
  TD2: [nameLine(36), [...dataLine(DF), ...run(A, 7), D]],
  TD3: [nameLine(44), [...dataLine(D), ...run(A, 14), DF, D]],
  MRVA: [nameLine(44), [...dataLine(D), ...run(A, 16)]],
  MRVB: [nameLine(36), [...dataLine(D), ...run(A, 8)]],
};

/** The allowed characters per position of line `line` (0-based) of `format`. */
export function allowedCharacters(format: OcrFormat, line: number): readonly string[] {
  return TABLE[format][line];
}

/** The formats with `lineCount` lines of `length` characters; the first line's document code picks among them. */
export function formatsFor(lineCount: number, length: number): OcrFormat[] {
  return (Object.keys(LINE_LENGTHS) as OcrFormat[]).filter((f) => LINE_COUNTS[f] === lineCount && LINE_LENGTHS[f] === length);
}

/** TD3 or MRV-A (44), TD2 or MRV-B (36): visas start with 'V'. */
export function formatByDocumentCode(candidates: readonly OcrFormat[], firstChar: string): OcrFormat {
  if (candidates.length === 1) return candidates[0];
  const visa = candidates.find((f) => f.startsWith('MRV'));
  const other = candidates.find((f) => !f.startsWith('MRV'));
  return firstChar === 'V' && visa ? visa : (other ?? candidates[0]);
}
