/**
 * Composes the specimens' machine readable zones from the data printed in their visual zone, so
 * every specimen's MRZ agrees with its VIZ by construction. The composing itself (check digits,
 * long document numbers, ICAO name shortening) is the SDK's composeMrz; this adapter adds what a
 * printed page needs first: transliterating names as printed (Østergaard → OESTERGAARD).
 */
import { composeMrz, recomputeCompositeCheckDigit, transliterateName } from '@tessera/sdk';

export { transliterateName };

export type MrzBuildFormat = 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB';

export interface MrzInput {
  /** One or two letters: 'P', 'I', 'ID', 'IR', 'V' … padded with '<' to two positions. */
  documentCode: string;
  issuingState: string;
  /** As printed in the VIZ; transliterated here. */
  surname: string;
  givenNames: string;
  documentNumber: string;
  nationality: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  sex: 'M' | 'F' | 'X';
  /** YYYY-MM-DD. */
  expiryDate: string;
  /** TD3: the personal number; TD1: optional data of line 1; others: the optional data field. */
  optionalData?: string;
  /** TD1 only: optional data of line 2. */
  optionalData2?: string;
}

/** Builds the MRZ lines of one document; throws RangeError when a field cannot be represented. */
export function buildMrz(format: MrzBuildFormat, input: MrzInput): string[] {
  const surname = transliterateName(input.surname);
  if (!surname) throw new RangeError('A name needs a primary identifier (surname)');
  return composeMrz({
    format,
    documentCode: input.documentCode,
    issuingState: input.issuingState,
    documentNumber: input.documentNumber,
    nationality: input.nationality,
    birthDate: input.birthDate,
    // ICAO writes an unspecified sex as '<' in the MRZ although the VIZ prints 'X'.
    sex: input.sex === 'X' ? '<' : input.sex,
    expiryDate: input.expiryDate,
    surname,
    givenNames: transliterateName(input.givenNames),
    optionalData1: input.optionalData ?? '',
    optionalData2: input.optionalData2 ?? '',
  });
}

/** Recomputes the composite check digit, for specimens whose defect is another check digit. */
export function recomputeComposite(format: MrzBuildFormat, lines: readonly string[]): string[] {
  return recomputeCompositeCheckDigit(format, lines);
}
