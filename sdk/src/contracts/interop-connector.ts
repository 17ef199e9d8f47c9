/**
 * A connector to an external or local database queried for every inspection: INTERPOL SLTD,
 * national lost/stolen lists, person watchlists. "Could not check" is a result, never a silent pass.
 */
export interface DocumentQuery {
  documentNumber: string;
  /** ICAO 3-letter code. */
  issuingState: string;
  /** ICAO document code, e.g. 'P', 'I', 'V'. */
  documentType?: string;
}

export interface PersonQuery {
  surname: string;
  givenNames?: string;
  /** YYYY-MM-DD, or partial YYYY / YYYY-MM. */
  birthDate?: string;
  nationality?: string;
}

export type InteropOutcome = 'hit' | 'no_hit' | 'not_checked';

export interface InteropRecord {
  /** E.g. stolen, lost, revoked, invalid, stolen_blank, or a watchlist category. */
  status: string;
  reference?: string;
  reportingCountry?: string;
  /** 0–1 for fuzzy person matches; 1 for exact document matches. */
  score?: number;
  details?: Record<string, string>;
}

export interface InteropQueryContext {
  /** The user on whose behalf the query runs; audit-logged. */
  actor: string;
  /** The legal purpose, e.g. 'border-control'. */
  purpose: string;
  signal: AbortSignal;
}

export interface InteropResult {
  connectorId: string;
  outcome: InteropOutcome;
  /** Why the outcome is not_checked, in words an officer can act on. */
  reason?: string;
  records: InteropRecord[];
  /** ISO 8601. */
  checkedAt: string;
  /** For offline copies: when the data was last refreshed (ISO 8601). */
  dataAsOf?: string;
}

export interface InteropConnector {
  /** Declared in the manifest's contributes.connectors. */
  readonly id: string;
  readonly displayName: string;
  readonly queries: ReadonlyArray<'document' | 'person'>;
  queryDocument?(query: DocumentQuery, context: InteropQueryContext): Promise<InteropResult>;
  queryPerson?(query: PersonQuery, context: InteropQueryContext): Promise<InteropResult>;
}
