/**
 * The stable codes of every MRZ problem the library reports, with a one-line description
 * for the documentation. Codes marked (warning) never make a document invalid on their own.
 * A code never changes meaning once released; add new codes instead.
 */

const DESCRIPTIONS = {
  // Shape of the input
  MRZ_EMPTY_INPUT: 'No MRZ text was given (only blank lines or an empty string).',
  MRZ_LINE_COUNT: 'The MRZ has a number of lines no ICAO format uses (TD1 has 3; TD2, TD3 and visas have 2).',
  MRZ_LINE_LENGTH: 'A line is not as long as the detected format requires (30, 36 or 44 characters).',
  MRZ_UNKNOWN_FORMAT: 'The line count and lengths match no ICAO Doc 9303 format.',
  MRZ_INVALID_CHARACTER: "A line contains a character outside the MRZ alphabet (A–Z, 0–9 and the filler '<').",
  MRZ_LOWER_CASE: '(warning) A line contained lower-case letters; they were read as upper case.',
  // Fields
  MRZ_DOCUMENT_CODE_INVALID: 'The document code does not fit the format (P for passports, V for visas, A/C/I for cards).',
  MRZ_ISSUING_STATE_UNKNOWN: 'The issuing state is neither an ISO 3166-1 alpha-3 code nor an ICAO special code.',
  MRZ_NATIONALITY_UNKNOWN: 'The nationality is neither an ISO 3166-1 alpha-3 code nor an ICAO special code.',
  MRZ_DOCUMENT_NUMBER_MISSING: 'The document number field holds only fillers.',
  MRZ_DOCUMENT_NUMBER_EXTENSION_INVALID:
    "The document number check digit is '<' (long number) but the optional data holds no valid continuation.",
  MRZ_BIRTH_DATE_INVALID: 'The date of birth is not a YYMMDD calendar date (bad month or day, or a non-digit).',
  MRZ_BIRTH_DATE_UNKNOWN: '(warning) The date of birth is entirely unknown (all fillers).',
  MRZ_BIRTH_DATE_PARTIAL: '(warning) Part of the date of birth is unknown (fillers); only the raw value is kept.',
  MRZ_EXPIRY_DATE_INVALID: 'The date of expiry is not a YYMMDD calendar date (bad month or day, or a non-digit).',
  MRZ_EXPIRY_DATE_UNKNOWN: '(warning) The date of expiry is not given (all fillers).',
  MRZ_DOCUMENT_EXPIRED: '(warning) The date of expiry lies before the reference date.',
  MRZ_SEX_INVALID: "The sex field is not M, F, X or '<'.",
  MRZ_SURNAME_MISSING: 'The name field has no primary identifier (surname).',
  MRZ_NAME_INVALID_CHARACTER: 'The name field contains a digit; names use letters and fillers only.',
  MRZ_NAME_TRUNCATED: '(warning) The name fills its whole field and may have been truncated by the issuer.',
  MRZ_FILLER_INVALID: 'A position that may only hold fillers holds another character.',
  // Check digits
  MRZ_CHECK_DIGIT_DOCUMENT_NUMBER: 'The document number does not match its check digit.',
  MRZ_CHECK_DIGIT_BIRTH_DATE: 'The date of birth does not match its check digit.',
  MRZ_CHECK_DIGIT_EXPIRY_DATE: 'The date of expiry does not match its check digit.',
  MRZ_CHECK_DIGIT_OPTIONAL_DATA: 'The optional data (personal number) does not match its check digit.',
  MRZ_CHECK_DIGIT_COMPOSITE: 'The composite check digit over the checked fields does not match.',
  MRZ_CHECK_DIGIT_NOT_A_DIGIT: 'A check digit position holds something other than a digit (or an allowed filler).',
  // Correction mode
  MRZ_CORRECTION_AMBIGUOUS: 'Several equally likely OCR repairs exist; none was applied.',
  MRZ_CORRECTION_SKIPPED:
    '(warning) A repair was not applied: the field needed more than 2 changes, or the repair contradicted the composite check digit.',
} as const;

export type MrzErrorCode = keyof typeof DESCRIPTIONS;

export const MRZ_ERROR_CODES: Readonly<Record<MrzErrorCode, string>> = Object.freeze(DESCRIPTIONS);
