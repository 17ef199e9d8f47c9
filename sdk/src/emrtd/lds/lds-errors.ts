/**
 * The error codes of the LDS library (ICAO Doc 9303 part 10 files, EF.SOD, master lists) with a
 * one-line description each, and the helpers that build them.
 *
 * Every parser here reads bytes that came off a chip or out of a file we do not trust yet, so
 * the only thing any of them throws is a TesseraError with one of these codes, or one of the
 * BER-TLV codec's codes (EMRTD_TLV_*) re-labelled with the file it happened in. Callers can
 * therefore tell "the chip sent garbage" (a code here) from "our program is wrong" (anything else).
 */

import { TesseraError, isTesseraError } from '../../errors.js';

export const LDS_ERROR_CODES = {
  EMRTD_LDS_INPUT_INVALID: 'A parser was given something that is not a non-empty Uint8Array.',
  EMRTD_LDS_WRONG_TAG: "The file's outer tag is not the one its file identifier calls for (e.g. DG2 bytes given to parseDg1).",
  EMRTD_LDS_MISSING_FIELD: 'A data object the file must contain is absent.',
  EMRTD_LDS_MALFORMED: 'A data object is present but its content cannot be what ICAO Doc 9303 part 10 says (wrong length, bad characters, inconsistent counts).',
  EMRTD_LDS_BUILD_INVALID: 'A builder was given values it cannot encode into a valid LDS file.',
  EMRTD_DG1_INVALID_MRZ: 'The MRZ in DG1 has a length no document format uses (88, 72 or 90 characters) or contains non-ASCII bytes.',
  EMRTD_DG2_MALFORMED: 'The biometric templates or the facial record in DG2 are inconsistent (counts, block lengths, missing image).',
  EMRTD_DG2_UNSUPPORTED_FORMAT: 'DG2 holds a face in an encoding or image type this library does not read (protected templates, ISO/IEC 19794-5:2011, PNG, ...).',
  EMRTD_DG15_MALFORMED: 'DG15 does not hold a readable SubjectPublicKeyInfo.',
  EMRTD_DG15_UNSUPPORTED_KEY: 'DG15 holds a public key that is neither RSA nor EC.',
  EMRTD_SECURITY_INFOS_MALFORMED: 'DG14, EF.CardAccess or EF.CardSecurity does not hold a readable SET OF SecurityInfo.',
  EMRTD_SOD_MALFORMED: 'EF.SOD is not a readable CMS SignedData with an LDS security object.',
  EMRTD_SOD_WRONG_CONTENT_TYPE: 'EF.SOD is signed CMS but its content is not an LDS security object (2.23.136.1.1.1).',
  EMRTD_SOD_UNSUPPORTED_HASH: 'The LDS security object names a hash algorithm other than SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512, or a hash of the wrong length.',
  EMRTD_MASTER_LIST_MALFORMED: 'The master list is not a readable CMS SignedData holding a CscaMasterList.',
  EMRTD_MASTER_LIST_WRONG_CONTENT_TYPE: 'The CMS content type is not id-icao-cscaMasterList (2.23.136.1.1.2).',
  EMRTD_CARD_SECURITY_WRONG_CONTENT_TYPE: 'EF.CardSecurity is signed CMS but its content is not id-SecurityObject (0.4.0.127.0.7.3.2.1).',
  EMRTD_CERTIFICATE_MALFORMED: 'A certificate is not a readable X.509 structure.',
} as const;

export type LdsErrorCode = keyof typeof LDS_ERROR_CODES;

const DEFAULT_HINTS: Record<LdsErrorCode, string> = {
  EMRTD_LDS_INPUT_INVALID: 'Pass the file content exactly as read from the chip, as a Uint8Array.',
  EMRTD_LDS_WRONG_TAG: 'Check that the file identifier that was selected matches the parser that was called.',
  EMRTD_LDS_MISSING_FIELD: 'The file is incomplete or was personalised wrongly; treat its content as unreadable.',
  EMRTD_LDS_MALFORMED: 'The file is corrupt or was personalised wrongly; compare it with its hash in EF.SOD.',
  EMRTD_LDS_BUILD_INVALID: 'Fix the values passed to the builder; this is a programming error in the caller.',
  EMRTD_DG1_INVALID_MRZ: 'The file is corrupt or not DG1; compare it with its hash in EF.SOD and with the printed MRZ.',
  EMRTD_DG2_MALFORMED: 'The face image cannot be extracted; compare DG2 with its hash in EF.SOD.',
  EMRTD_DG2_UNSUPPORTED_FORMAT: 'The face cannot be shown by this version; the rest of the document can still be checked.',
  EMRTD_DG15_MALFORMED: 'Active Authentication cannot be performed with this key; compare DG15 with its hash in EF.SOD.',
  EMRTD_DG15_UNSUPPORTED_KEY: 'Active Authentication is only defined for RSA and ECDSA keys.',
  EMRTD_SECURITY_INFOS_MALFORMED: 'PACE / Chip Authentication parameters cannot be read from this file; fall back to BAC if allowed.',
  EMRTD_SOD_MALFORMED: 'Passive Authentication cannot be performed; report the document security object as unreadable.',
  EMRTD_SOD_WRONG_CONTENT_TYPE: 'This is not an EF.SOD; check that file 011D was read from the eMRTD application.',
  EMRTD_SOD_UNSUPPORTED_HASH: 'The data-group hashes cannot be checked with the algorithms ICAO allows.',
  EMRTD_MASTER_LIST_MALFORMED: 'Download the master list again; it is truncated or not a CSCA master list.',
  EMRTD_MASTER_LIST_WRONG_CONTENT_TYPE: 'This CMS object is not a CSCA master list (deviation lists and others use different content types).',
  EMRTD_CARD_SECURITY_WRONG_CONTENT_TYPE: 'This is not EF.CardSecurity; check that file 011D was read from the master file, not from the eMRTD application.',
  EMRTD_CERTIFICATE_MALFORMED: 'The certificate cannot be used; it is truncated or not DER X.509.',
};

/** A TesseraError with one of the LDS codes; the hint defaults to the code's usual advice. */
export function ldsError(
  code: LdsErrorCode,
  message: string,
  options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
): TesseraError {
  return new TesseraError(code, message, { hint: options.hint ?? DEFAULT_HINTS[code], details: options.details, cause: options.cause });
}

export function ensureBytes(bytes: unknown, file: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw ldsError('EMRTD_LDS_INPUT_INVALID', `${file}: expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`, { details: { file } });
  }
  if (bytes.length === 0) throw ldsError('EMRTD_LDS_INPUT_INVALID', `${file}: the file is empty`, { details: { file } });
}

/**
 * Runs `fn` and prefixes any TesseraError it throws with the file name, so an EMRTD_TLV_TRUNCATED
 * from deep inside DG2 reads "DG2: ..." in a log. Anything that is not a TesseraError would be a
 * bug in a library we call on hostile bytes; it becomes the file's malformed code rather than
 * escaping as a TypeError.
 */
export function inFile<T>(file: string, fallbackCode: LdsErrorCode, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw relabel(error, file, fallbackCode);
  }
}

export function relabel(error: unknown, file: string, fallbackCode: LdsErrorCode): TesseraError {
  if (isTesseraError(error)) {
    if (error.message.startsWith(`${file}: `)) return error;
    return new TesseraError(error.code, `${file}: ${error.message}`, { hint: error.hint, details: { ...error.details, file }, cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return ldsError(fallbackCode, `${file}: ${reason}`, { details: { file }, cause: error });
}
