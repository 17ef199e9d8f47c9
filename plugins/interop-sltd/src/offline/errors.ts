/** The offline SLTD store's error codes, listed in docs/error-codes.md by scripts/generate-docs.ts. */
import { TesseraError } from '@tessera/sdk';

export const SLTD_OFFLINE_ERROR_CODES = {
  SLTD_FILE_UNREADABLE: 'A snapshot or delta file could not be opened or is not gzip data.',
  SLTD_FILE_TRUNCATED: 'A snapshot or delta file ends early: the gzip stream is cut off or the checksum trailer is missing.',
  SLTD_FILE_CORRUPT: 'A snapshot or delta file is damaged: gzip CRC error, a line that is not JSON, or data after the trailer.',
  SLTD_FILE_CHECKSUM_MISMATCH: 'The SHA-256 or the record count in the trailer does not match the file\'s content.',
  SLTD_FILE_HEADER_INVALID: 'The first line is not a valid SLTD snapshot/delta header (wrong format, kind or version, or a missing field).',
  SLTD_RECORD_INVALID: 'A record or change in a snapshot or delta file (or given to a writer) lacks a field or has an invalid value.',
  SLTD_DELTA_OUT_OF_SEQUENCE: 'The delta does not follow the store\'s current sequence (a gap, or already applied).',
  SLTD_DELTA_WITHOUT_SNAPSHOT: 'A delta was given to a store into which no snapshot has been imported.',
  SLTD_STORE_EMPTY: 'The offline store has never imported a snapshot, so it cannot answer (never a silent "no hit").',
  SLTD_STORE_CORRUPT: 'The offline store\'s files on disk are damaged or of an unknown version.',
  SLTD_STORE_BUSY: 'An import or delta is already running on this store.',
  SLTD_STORE_LOCKED: 'Another process (e.g. `tessera sltd import` beside the running workstation) holds the offline store\'s import lock.',
  SLTD_SNAPSHOT_OLDER: 'The snapshot is older (by dataAsOf or sequence) than the copy it would replace; refused unless forced.',
  SLTD_STORE_CLOSED: 'The offline store was closed.',
  SLTD_QUERY_INVALID: 'A lookup lacks a document number or has an issuing state that is not 1–3 letters.',
} as const;

export type SltdOfflineErrorCode = keyof typeof SLTD_OFFLINE_ERROR_CODES;

export function sltdError(code: SltdOfflineErrorCode, message: string, hint?: string, cause?: unknown): TesseraError {
  return new TesseraError(code, message, { ...(hint ? { hint } : {}), ...(cause === undefined ? {} : { cause }) });
}
