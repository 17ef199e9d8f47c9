/**
 * The error codes of the PACE layer with a one-line meaning each (PACE_ERROR_CODES, the catalogue
 * docs/error-codes.md is generated from) and the advice that goes with each as the error's hint.
 *
 * Every failure of performPace, verifyPaceCam and the PACE tables is a TesseraError with one of
 * these codes. Two shared codes pass through unchanged: EMRTD_CRYPTO_INPUT_INVALID when the
 * injected random source misbehaves (a programming error), and the ApduChannel's transport codes
 * (EMRTD_CHIP_NOT_ANSWERING, EMRTD_TRANSPORT_FAILED, …) when the reader fails.
 */

import { TesseraError } from '../../errors.js';

export const PACE_ERROR_CODES = {
  EMRTD_PACE_PASSWORD_INVALID: 'The PACE password given is unusable: not { mrz } or { can }, MRZ fields malformed, or an empty or non-Latin-1 CAN.',
  EMRTD_PACE_INFO_INVALID: 'No PACEInfo was given, or it is malformed: version other than 2, a parameter id of the wrong key-agreement type, undecodable DER.',
  EMRTD_PACE_UNSUPPORTED: 'The PACEInfo names something not implemented: an unknown protocol OID, proprietary (explicit) domain parameters, or the Integrated Mapping on P-224.',
  EMRTD_PACE_REFUSED: 'The chip answered MSE:Set AT or a GENERAL AUTHENTICATE step with an error status word (details.sw, details.step).',
  EMRTD_PACE_PASSWORD_REJECTED: "The chip rejected the terminal's authentication token (SW 63xx): the MRZ data or CAN does not match the chip's.",
  EMRTD_PACE_RESPONSE_MALFORMED: "A GENERAL AUTHENTICATE answer is not one '7C' object of BER-TLV data objects, or a required data object is missing or repeated.",
  EMRTD_PACE_NONCE_INVALID: 'The encrypted nonce is empty, not whole cipher blocks, or not the length the Integrated Mapping needs.',
  EMRTD_PACE_PUBLIC_KEY_INVALID: "A public key from the chip is not a valid group element (not on the curve, infinity, compressed, out of range, outside the subgroup) or reflects the terminal's key.",
  EMRTD_PACE_TOKEN_INVALID: "The chip's authentication token does not verify (or is not 8 bytes): the chip did not derive the same session keys.",
  EMRTD_PACE_CAM_INVALID: 'PACE-CAM chip authentication data is missing, does not decrypt to padded data, or does not turn the static key into the mapping key.',
  EMRTD_PACE_CARD_CONFIG_INVALID: 'A virtual PACE chip (PaceCard) was configured inconsistently: no PACEInfo or password, or a CAM PACEInfo without its key.',
} as const;

export type PaceErrorCode = keyof typeof PACE_ERROR_CODES;

export const PACE_ERROR_HINTS: Readonly<Record<PaceErrorCode, string>> = Object.freeze({
  EMRTD_PACE_PASSWORD_INVALID: 'Pass { mrz: { documentNumber, birthDate, expiryDate } } or { can: "123456" } as printed on the document.',
  EMRTD_PACE_INFO_INVALID: 'Pass the PACEInfo entries read from EF.CardAccess; Doc 9303 defines only PACE version 2.',
  EMRTD_PACE_UNSUPPORTED: 'Choose another PACEInfo the chip offers, or fall back to BAC if the chip allows it.',
  EMRTD_PACE_REFUSED: 'The chip did not accept the PACE parameters or a protocol step; retry once, then try another PACEInfo or BAC.',
  EMRTD_PACE_PASSWORD_REJECTED: 'The MRZ data or CAN is most likely wrong: check the document number, dates of birth and expiry (or the CAN) against the document.',
  EMRTD_PACE_RESPONSE_MALFORMED: 'The chip is not following ICAO Doc 9303; retry once, then treat the chip as faulty.',
  EMRTD_PACE_NONCE_INVALID: 'The chip is not following ICAO Doc 9303; retry once, then treat the chip as faulty.',
  EMRTD_PACE_PUBLIC_KEY_INVALID: 'The chip sent an invalid public key: it is faulty or the exchange is being tampered with. Do not trust this chip.',
  EMRTD_PACE_TOKEN_INVALID: 'The chip could not prove knowledge of the password-derived keys; the exchange may be under attack. Do not trust this chip.',
  EMRTD_PACE_CAM_INVALID: 'The chip failed PACE Chip Authentication Mapping: treat it as not genuine (a clone or a substituted chip).',
  EMRTD_PACE_CARD_CONFIG_INVALID: "Fix the virtual chip's configuration: its PACEInfos, passwords and chip authentication keys must agree.",
});

export function paceError(code: PaceErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown): TesseraError {
  return new TesseraError(code, message, {
    hint: PACE_ERROR_HINTS[code],
    ...(details ? { details } : {}),
    ...(cause === undefined ? {} : { cause }),
  });
}
