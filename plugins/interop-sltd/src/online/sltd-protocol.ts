/**
 * The SLTD online protocol, shared by the online client and the reference service so the two cannot
 * drift apart: the paths, the credentials headers, the search request and answer, and the check that
 * an answer really is one (a proxy's HTML error page or a truncated body must never read as "no hit").
 *
 *   POST /v1/documents/search   {documentNumber, issuingState, documentType?} → {outcome, records, dataAsOf, searchId}
 *   GET  /v1/snapshot           the whole database as a snapshot file (src/offline/FORMAT.md)
 *   GET  /v1/deltas?after=N     the changes after sequence N as a delta file; 204 when there are none
 *   GET  /v1/health             {status: 'ok', records, sequence, dataAsOf}; no credentials needed
 *
 * Credentials: `Authorization: Bearer TOKEN` or `X-API-Key: KEY`.
 */
import { SLTD_STATUSES, normaliseDocumentType, type SltdRecord, type SltdStatus } from '../records.js';

export const SLTD_PATHS = {
  search: '/v1/documents/search',
  snapshot: '/v1/snapshot',
  deltas: '/v1/deltas',
  health: '/v1/health',
} as const;

export const API_KEY_HEADER = 'x-api-key';

export interface SltdSearchRequest {
  documentNumber: string;
  issuingState: string;
  documentType?: string;
}

export interface SltdSearchResponse {
  outcome: 'hit' | 'no_hit';
  records: SltdRecord[];
  /** When the service's data was last updated (ISO 8601). */
  dataAsOf: string;
  /** The service's id of this search, for the audit trail and for confirming a hit. */
  searchId: string;
}

/**
 * Whether a record answers a query's document type, online and offline alike. The MRZ's document code
 * carries the category in its first letter and an optional national subtype in the second ('P' and
 * 'PD', 'I' and 'ID'), and the two sides do not always record the subtype the same way: a stolen
 * identity card listed as 'I' must still be found when the card's MRZ says 'ID'. So the first letters
 * decide; a query without a type matches every type.
 */
export function documentTypeMatches(recordType: string, queryType: string | undefined): boolean {
  const query = queryType === undefined ? '' : normaliseDocumentType(queryType);
  return !query || normaliseDocumentType(recordType)[0] === query[0];
}

const isString = (value: unknown): value is string => typeof value === 'string';
const optionalString = (value: unknown) => value === undefined || isString(value);

/** Returns the answer, or a short description of why the body is not a search answer. */
export function parseSearchResponse(body: unknown): SltdSearchResponse | { problem: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: 'not a JSON object' };
  const b = body as Record<string, unknown>;
  if (b.outcome !== 'hit' && b.outcome !== 'no_hit') return { problem: `outcome is ${JSON.stringify(b.outcome)}, not "hit" or "no_hit"` };
  if (!Array.isArray(b.records)) return { problem: 'records is not a list' };
  for (const [i, r] of b.records.entries()) {
    const rec = r as Record<string, unknown> | null;
    if (typeof rec !== 'object' || rec === null) return { problem: `records[${i}] is not an object` };
    if (!isString(rec.documentNumber) || !isString(rec.issuingState) || !isString(rec.documentType)) return { problem: `records[${i}] lacks the document number, issuing state or type` };
    if (!SLTD_STATUSES.includes(rec.status as SltdStatus)) return { problem: `records[${i}] has the unknown status ${JSON.stringify(rec.status)}` };
    if (!optionalString(rec.reportingCountry) || !optionalString(rec.reportedOn) || !optionalString(rec.reference)) return { problem: `records[${i}] has a malformed optional field` };
  }
  // A hit without records, or records under "no_hit", is a contradiction: trust neither reading.
  if ((b.outcome === 'hit') !== b.records.length > 0) return { problem: `outcome "${b.outcome}" with ${b.records.length} record(s)` };
  if (!isString(b.dataAsOf) || Number.isNaN(Date.parse(b.dataAsOf))) return { problem: 'dataAsOf is not an ISO 8601 date' };
  if (!isString(b.searchId)) return { problem: 'searchId is missing' };
  return b as unknown as SltdSearchResponse;
}
