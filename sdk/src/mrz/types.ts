/** Public data types of the MRZ library. */

import type { MrzErrorCode } from './error-codes.js';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB' | 'FRA_ID';

export type MrzSex = 'M' | 'F' | 'X';

/** Names of the fields, as used in `field` of checks, issues and corrections. */
export type MrzFieldName =
  | 'documentCode'
  | 'issuingState'
  | 'documentNumber'
  | 'nationality'
  | 'birthDate'
  | 'sex'
  | 'expiryDate'
  | 'surname'
  | 'givenNames'
  | 'optionalData1'
  | 'optionalData2'
  | 'composite';

export interface MrzFields {
  /** Filler-stripped: 'P', 'ID', 'V', 'IR', … */
  documentCode: string;
  /** Filler-stripped: 'D' for Germany. */
  issuingState: string;
  /** Full number, including the continuation of TD1/TD2 long numbers; trailing fillers stripped. */
  documentNumber: string;
  /** null only when the format carries none; FRA_ID implies 'FRA' (the card is issued to French nationals only). */
  nationality: string | null;
  /** YYYY-MM-DD; null when unknown, partially unknown or invalid (see birthDateRaw and the issues). */
  birthDate: string | null;
  /** The six MRZ characters as printed, e.g. '74<<<<'. */
  birthDateRaw: string;
  /** '<' (unspecified) is reported as 'X'. */
  sex: MrzSex;
  /** YYYY-MM-DD; null when unknown, invalid or absent from the format (FRA_ID). */
  expiryDate: string | null;
  /** Six MRZ characters, or null when the format has no expiry date. */
  expiryDateRaw: string | null;
  surname: string;
  givenNames: string;
  /** '' when the format has none; trailing fillers stripped. TD3: the personal number. FRA_ID: the issuing office code. */
  optionalData1: string;
  optionalData2: string;
  /** TD3 only (same as optionalData1); null for other formats. */
  personalNumber: string | null;
}

export interface MrzCheck {
  field: MrzFieldName;
  valid: boolean;
  /** The digit the data computes to. */
  expected?: string;
  /** The character printed in the check digit position. */
  found?: string;
}

export interface MrzIssue {
  code: MrzErrorCode;
  field?: MrzFieldName;
  message: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

export interface MrzCorrection {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  field: MrzFieldName;
  from: string;
  to: string;
  reason: string;
}

export interface MrzParseResult {
  /** The detected format, or the most plausible one when the line lengths are wrong; null when none fits. */
  format: MrzFormat | null;
  /** True when there is no error (warnings allowed). */
  valid: boolean;
  /** The lines as parsed: trimmed, upper-cased and, in correction mode, corrected. */
  lines: string[];
  /** null when the layout could not be applied (unknown format, wrong line count or length). */
  fields: MrzFields | null;
  checks: MrzCheck[];
  errors: MrzIssue[];
  warnings: MrzIssue[];
  corrections: MrzCorrection[];
  /** Set when correction mode found several equally supported repairs; then nothing is applied. */
  ambiguous?: { candidates: string[][] };
}

export interface MrzParseOptions {
  /** Date against which two-digit years are resolved and expiry is judged; default: now. Only the UTC date counts. */
  referenceDate?: Date;
  /** Repair common OCR confusions guided by character classes and check digits. */
  correct?: boolean;
}
