/**
 * Person-matching engine for national watchlists: the public interface that the rest of the
 * plugin (import, storage, `tessera lists screen`) calls. Modelled on OpenSanctions yente:
 * candidate retrieval from an index, per-feature scoring, a threshold, and an explanation per
 * feature that an officer can read. Results are candidates for a human, never verdicts.
 */

export interface PersonRecord {
  id: string;
  surname: string;
  givenNames?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD */
  birthDate?: string;
  /** ICAO 9303 / ISO 3166-1 alpha-3 code, or an alias such as D for Germany */
  nationality?: string;
  /** Further names the person is known by, each "SURNAME GIVEN NAMES" or free order */
  aliases?: string[];
}

export interface PersonQuery {
  id?: string;
  surname: string;
  givenNames?: string;
  birthDate?: string;
  nationality?: string;
}

export interface FeatureScore {
  score: number;
  weight: number;
  detail: string;
}

export interface Candidate {
  id: string;
  score: number;
  match: boolean;
  features: Record<string, FeatureScore>;
}

export interface ScreenOptions {
  /** Candidates scoring at or above it have `match: true`; DEFAULT_THRESHOLD when absent. */
  threshold?: number;
  /** At most this many candidates, best first (default 10). */
  limit?: number;
}

export interface PersonIndex {
  readonly size: number;
  screen(query: PersonQuery, opts?: ScreenOptions): Candidate[];
}

export { buildPersonIndex, DEFAULT_THRESHOLD } from './person-index.js';
export { SCREENING_ERROR_CODES, type ScreeningErrorCode } from './matching-errors.js';
