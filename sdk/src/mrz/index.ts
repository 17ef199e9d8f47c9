/**
 * ICAO Doc 9303 machine readable zone library: parsing, validation with explained issues,
 * OCR correction and composition. Pure functions, no I/O.
 */

export type {
  MrzCheck,
  MrzCorrection,
  MrzFieldName,
  MrzFields,
  MrzFormat,
  MrzIssue,
  MrzParseOptions,
  MrzParseResult,
  MrzSex,
} from './types.js';
export { MRZ_ERROR_CODES, type MrzErrorCode } from './error-codes.js';
export { computeCheckDigit } from './check-digit.js';
export { detectMrzFormat } from './formats.js';
export { isKnownStateCode, ISO_3166_ALPHA3_CODES, ICAO_SPECIAL_STATE_CODES } from './state-codes.js';
export { parseMrz } from './parse-mrz.js';
export { composeMrz, recomputeCompositeCheckDigit, type MrzComposeInput } from './compose-mrz.js';
export { mrzNameField, shortenIcaoName, transliterateName } from './name-field.js';
export { hasArabicScript, transliterateToLatin, type TransliterationOptions } from './transliteration.js';
