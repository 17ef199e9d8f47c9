/**
 * Where each field sits in each MRZ format (ICAO Doc 9303 parts 4–7, and the French national
 * identity card of 1988–2021), plus format detection. Positions are 0-based here; everything
 * reported to users is converted to 1-based.
 */

import { weightedSum } from './check-digit.js';
import type { MrzFormat } from './types.js';

export interface Slot {
  line: number;
  start: number;
  length: number;
}

export interface Layout {
  format: MrzFormat;
  lineCount: number;
  lineLength: number;
  documentCode: Slot;
  issuingState: Slot;
  /** ICAO name field (primary '<<' secondary); null for FRA_ID, which has separate fields. */
  name: Slot | null;
  surname: Slot | null;
  givenNames: Slot | null;
  documentNumber: Slot;
  documentNumberCheck: Slot;
  /** Where a TD1/TD2 long document number continues when its check digit position holds '<'. */
  documentNumberContinuation: Slot | null;
  nationality: Slot | null;
  birthDate: Slot;
  birthDateCheck: Slot;
  sex: Slot;
  expiryDate: Slot | null;
  expiryDateCheck: Slot | null;
  optionalData1: Slot | null;
  /** TD3 personal number check digit. */
  optionalData1Check: Slot | null;
  optionalData2: Slot | null;
  composite: { check: Slot; ranges: readonly Slot[] } | null;
}

const s = (line: number, start: number, length: number): Slot => ({ line, start, length });

const TD1: Layout = {
  format: 'TD1',
  lineCount: 3,
  lineLength: 30,
  documentCode: s(0, 0, 2),
  issuingState: s(0, 2, 3),
  name: s(2, 0, 30),
  surname: null,
  givenNames: null,
  documentNumber: s(0, 5, 9),
  documentNumberCheck: s(0, 14, 1),
  documentNumberContinuation: s(0, 15, 15),
  optionalData1: s(0, 15, 15),
  optionalData1Check: null,
  birthDate: s(1, 0, 6),
  birthDateCheck: s(1, 6, 1),
  sex: s(1, 7, 1),
  expiryDate: s(1, 8, 6),
  expiryDateCheck: s(1, 14, 1),
  nationality: s(1, 15, 3),
  optionalData2: s(1, 18, 11),
  composite: { check: s(1, 29, 1), ranges: [s(0, 5, 25), s(1, 0, 7), s(1, 8, 7), s(1, 18, 11)] },
};

/** Line 2 of TD2 and MRV-B, and of TD3 and MRV-A, share their first 28 positions. */
function twoLine(format: MrzFormat, lineLength: 36 | 44, optionalLength: number, hasChecks: boolean): Layout {
  return {
    format,
    lineCount: 2,
    lineLength,
    documentCode: s(0, 0, 2),
    issuingState: s(0, 2, 3),
    name: s(0, 5, lineLength - 5),
    surname: null,
    givenNames: null,
    documentNumber: s(1, 0, 9),
    documentNumberCheck: s(1, 9, 1),
    documentNumberContinuation: format === 'TD2' ? s(1, 28, 7) : null,
    nationality: s(1, 10, 3),
    birthDate: s(1, 13, 6),
    birthDateCheck: s(1, 19, 1),
    sex: s(1, 20, 1),
    expiryDate: s(1, 21, 6),
    expiryDateCheck: s(1, 27, 1),
    optionalData1: s(1, 28, optionalLength),
    optionalData1Check: format === 'TD3' ? s(1, 42, 1) : null,
    optionalData2: null,
    composite: hasChecks
      ? { check: s(1, lineLength - 1, 1), ranges: [s(1, 0, 10), s(1, 13, 7), s(1, 21, lineLength - 22)] }
      : null,
  };
}

const TD2 = twoLine('TD2', 36, 7, true);
const TD3 = twoLine('TD3', 44, 14, true);
const MRVA = twoLine('MRVA', 44, 16, false);
const MRVB = twoLine('MRVB', 36, 8, false);

// French identity card: line 1 'ID' 'FRA' surname(25) office(6); line 2 number(12) check,
// given names(14), birth date(6) check, sex, composite over all of line 1 and line 2 up to the sex.
const FRA_ID: Layout = {
  format: 'FRA_ID',
  lineCount: 2,
  lineLength: 36,
  documentCode: s(0, 0, 2),
  issuingState: s(0, 2, 3),
  name: null,
  surname: s(0, 5, 25),
  givenNames: s(1, 13, 14),
  documentNumber: s(1, 0, 12),
  documentNumberCheck: s(1, 12, 1),
  documentNumberContinuation: null,
  nationality: null,
  birthDate: s(1, 27, 6),
  birthDateCheck: s(1, 33, 1),
  sex: s(1, 34, 1),
  expiryDate: null,
  expiryDateCheck: null,
  optionalData1: s(0, 30, 6),
  optionalData1Check: null,
  optionalData2: null,
  composite: { check: s(1, 35, 1), ranges: [s(0, 0, 36), s(1, 0, 35)] },
};

export const LAYOUTS: Readonly<Record<MrzFormat, Layout>> = { TD1, TD2, TD3, MRVA, MRVB, FRA_ID };

function startsWithIdFra(line: string): boolean {
  return line.length >= 5 && line.charCodeAt(0) === 73 && line.charCodeAt(1) === 68 && line.charCodeAt(2) === 70 &&
    line.charCodeAt(3) === 82 && line.charCodeAt(4) === 65;
}

/** Format by line count, exact line lengths and document code; null when nothing fits exactly. */
export function detectMrzFormat(lines: readonly string[]): MrzFormat | null {
  if (lines.length === 3) {
    return lines[0].length === 30 && lines[1].length === 30 && lines[2].length === 30 ? 'TD1' : null;
  }
  if (lines.length !== 2) return null;
  const [a, b] = lines;
  if (a.length !== b.length) return null;
  return formatForTwoLines(a, b, a.length);
}

function digitAt(line: string, i: number): number {
  const c = line.charCodeAt(i);
  return c >= 48 && c <= 57 ? c - 48 : -1;
}

function isLetterOrFiller(line: string, i: number): boolean {
  const c = line.charCodeAt(i);
  return (c >= 65 && c <= 90) || c === 60;
}

/**
 * A French TD2 document with code 'ID' also starts with IDFRA. The French card has digits of
 * its document number where TD2 has the nationality (columns 11–13), so TD2 is chosen only
 * when those hold letters, column 21 holds a sex and the TD2 composite check digit passes.
 */
function looksLikeTd2(second: string): boolean {
  if (second.length !== 36) return false;
  if (!isLetterOrFiller(second, 10) || !isLetterOrFiller(second, 11) || !isLetterOrFiller(second, 12)) return false;
  const sex = second.charCodeAt(20);
  if (sex !== 77 && sex !== 70 && sex !== 88 && sex !== 60) return false;
  const composite = weightedSum(second, 0, 10, 0) + weightedSum(second, 13, 7, 10) + weightedSum(second, 21, 14, 17);
  return digitAt(second, 35) === composite % 10;
}

function formatForTwoLines(first: string, second: string, length: number): MrzFormat | null {
  const isVisa = first.charCodeAt(0) === 86; // 'V'
  if (length === 44) return isVisa ? 'MRVA' : 'TD3';
  if (length === 36) {
    if (isVisa) return 'MRVB';
    return startsWithIdFra(first) && !looksLikeTd2(second) ? 'FRA_ID' : 'TD2';
  }
  return null;
}

/**
 * The most plausible format even when line lengths are off, so a length error can name the
 * format it was measured against. Null when the line count or every length rules all out.
 */
export function guessMrzFormat(lines: readonly string[]): MrzFormat | null {
  if (lines.length === 3) return 'TD1';
  if (lines.length !== 2) return null;
  const [a, b] = lines;
  if (a.length === 44 || a.length === 36) return formatForTwoLines(a, b, a.length);
  if (b.length === 44 || b.length === 36) return formatForTwoLines(a, b, b.length);
  return null;
}
