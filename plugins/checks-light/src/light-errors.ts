/**
 * The light checks' codes. LIGHT_ERROR_CODES are the errors behind an 'error' result (a page image
 * the checks cannot use); LIGHT_FINDING_CODES are what a completed check reports.
 */
import { TesseraError } from '@tessera/sdk';

export const LIGHT_ERROR_CODES = {
  LIGHT_IMAGE_UNREADABLE: 'A page image from the reader could not be decoded (not a PNG or JPEG, truncated, or larger than the checks accept); the check reports an error instead of a result.',
} as const;

export const LIGHT_FINDING_CODES = {
  LIGHT_IR_MRZ_MISSING: 'Under infrared the MRZ is (nearly) invisible: genuine MRZ ink absorbs IR, ordinary printing ink does not.',
  LIGHT_IR_MRZ_FAINT: 'Under infrared the MRZ is visible but much fainter than under white light.',
  LIGHT_IR_MRZ_UNREADABLE: 'No MRZ could be read from the infrared image.',
  LIGHT_IR_MRZ_DIFFERS: 'The MRZ read under infrared differs from the one read under white light.',
  LIGHT_UV_PAPER_BRIGHT: 'Under ultraviolet the paper glows blue-white: optical brighteners, which security paper does not contain.',
  LIGHT_UV_PAPER_LIT: 'Under ultraviolet the paper is brighter than security paper, but not with the blue-white of brighteners (lamp or exposure?).',
} as const;

export type LightFindingCode = keyof typeof LIGHT_FINDING_CODES;

export function unreadableImage(what: string, cause: unknown): TesseraError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TesseraError('LIGHT_IMAGE_UNREADABLE', `The ${what} could not be decoded: ${reason}.`, {
    cause,
    hint: 'Scan the document again; if it persists, the reader driver delivers broken images.',
  });
}
