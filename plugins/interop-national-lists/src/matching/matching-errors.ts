/**
 * The error codes of the person-matching engine (building the index, screening a query), one
 * meaning each: docs/error-codes.md is generated from this catalogue.
 */
export const SCREENING_ERROR_CODES = {
  NATLIST_SCREEN_BIRTH_DATE_INVALID: 'A date of birth is not YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date; 00 or XX for an unknown month or day is accepted); the message names the person or query.',
  NATLIST_SCREEN_NAME_EMPTY: 'A surname holds no letter that transliterates into A–Z (empty, digits only, or a script the engine does not transliterate); the message names the person or query.',
  NATLIST_SCREEN_OPTIONS_INVALID: 'The screening options are out of range: the threshold must be a number in [0, 1] and the limit a positive integer.',
} as const;

export type ScreeningErrorCode = keyof typeof SCREENING_ERROR_CODES;
