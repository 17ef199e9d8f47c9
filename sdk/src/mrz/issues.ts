/**
 * Collecting issues and wording their locations. Everything shown to an officer is 1-based
 * ("line 2, column 20"); layouts are 0-based.
 */

import type { MrzErrorCode } from './error-codes.js';
import type { Slot } from './formats.js';
import type { MrzCheck, MrzFieldName, MrzFormat, MrzIssue } from './types.js';

export const FORMAT_LABELS: Readonly<Record<MrzFormat, string>> = {
  TD1: 'TD1 (ID card, 3 × 30)',
  TD2: 'TD2 (2 × 36)',
  TD3: 'TD3 (passport, 2 × 44)',
  MRVA: 'MRV-A (visa, 2 × 44)',
  MRVB: 'MRV-B (visa, 2 × 36)',
  FRA_ID: 'French ID card (2 × 36)',
};

export const FIELD_LABELS: Readonly<Record<MrzFieldName, string>> = {
  documentCode: 'document code',
  issuingState: 'issuing state',
  documentNumber: 'document number',
  nationality: 'nationality',
  birthDate: 'date of birth',
  sex: 'sex',
  expiryDate: 'date of expiry',
  surname: 'surname',
  givenNames: 'given names',
  optionalData1: 'optional data',
  optionalData2: 'optional data (line 2)',
  composite: 'composite check',
};

/** Collects the state of one parse; a class keeps the hot path free of closures. */
export class Run {
  readonly errors: MrzIssue[] = [];
  readonly warnings: MrzIssue[] = [];
  readonly checks: MrzCheck[] = [];
  lengthErrors = 0;

  error(code: MrzErrorCode, field: MrzFieldName | undefined, message: string, line?: number, column?: number): void {
    this.errors.push(issue(code, field, message, line, column));
  }

  warn(code: MrzErrorCode, field: MrzFieldName | undefined, message: string, line?: number, column?: number): void {
    this.warnings.push(issue(code, field, message, line, column));
  }
}

export function issue(code: MrzErrorCode, field: MrzFieldName | undefined, message: string, line?: number, column?: number): MrzIssue {
  const i: MrzIssue = { code, message };
  if (field !== undefined) i.field = field;
  if (line !== undefined) i.line = line;
  if (column !== undefined) i.column = column;
  return i;
}

export function at(line: number, column: number): string {
  return `line ${line}, column ${column}`;
}

export function span(slot: Slot): string {
  return slot.length === 1
    ? at(slot.line + 1, slot.start + 1)
    : `line ${slot.line + 1}, columns ${slot.start + 1}–${slot.start + slot.length}`;
}

export function showChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 32 || code === 127 || code === 0xa0) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}
