/**
 * MRZ_information, the BAC password (ICAO Doc 9303 part 11 §9.7.2): document number, date of
 * birth and date of expiry, each followed by its check digit. A document number shorter than 9
 * characters is padded with '<' to the width of its MRZ field; a longer one (TD1/TD2 long
 * numbers continued in the optional data) is used whole, with the check digit over the whole.
 */

import { TesseraError } from '../../errors.js';
import { computeCheckDigit } from '../../mrz/check-digit.js';

export interface BacMrzInput {
  /** As printed in the MRZ, without its check digit; trailing fillers are allowed. */
  documentNumber: string;
  /** YYMMDD as in the MRZ ('<' where the issuer left a part unknown). */
  birthDate: string;
  /** YYMMDD as in the MRZ. */
  expiryDate: string;
}

const DOCUMENT_NUMBER_WIDTH = 9;

function invalid(message: string, hint: string): TesseraError {
  return new TesseraError('EMRTD_BAC_MRZ_INVALID', message, { hint });
}

function mrzDate(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalid(`${name} must be a string`, 'Pass the six MRZ characters, e.g. 690806.');
  const date = value.trim();
  if (!/^[0-9<]{6}$/.test(date)) throw invalid(`${name} ${JSON.stringify(value)} is not six MRZ characters (YYMMDD)`, 'Use the date as the MRZ prints it, e.g. 690806 for 6 August 1969.');
  return date;
}

/** Builds MRZ_information, e.g. 'L898902C<369080619406236' for the Doc 9303 specimen. */
export function mrzInformation(input: BacMrzInput): string {
  if (typeof input?.documentNumber !== 'string') throw invalid('documentNumber must be a string', 'Pass the document number as printed in the MRZ.');
  const number = input.documentNumber.trim().toUpperCase().replace(/<+$/, '');
  if (number.length === 0) throw invalid('The document number is empty', 'Pass the document number as printed in the MRZ.');
  if (!/^[A-Z0-9<]+$/.test(number)) {
    throw invalid(`Document number ${JSON.stringify(input.documentNumber)} has characters outside A–Z, 0–9 and '<'`, 'Copy the document number exactly as the MRZ prints it.');
  }
  const field = number.length < DOCUMENT_NUMBER_WIDTH ? number.padEnd(DOCUMENT_NUMBER_WIDTH, '<') : number;
  const birth = mrzDate(input.birthDate, 'birthDate');
  const expiry = mrzDate(input.expiryDate, 'expiryDate');
  return `${field}${computeCheckDigit(field)}${birth}${computeCheckDigit(birth)}${expiry}${computeCheckDigit(expiry)}`;
}
