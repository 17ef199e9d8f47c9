/**
 * The SLTD online client: one document search over HTTP(S)/JSON with credentials, a per-attempt
 * timeout, retries with exponential backoff and jitter on the failures worth retrying (unreachable,
 * timeout, 5xx/429), an overall deadline that leaves the inspection time to fall back to the offline
 * copy, and a circuit breaker. Every failure is a TesseraError with an SLTD_ONLINE_* code and a message
 * an officer can act on; the connector turns it into `not_checked`, never into "no hit".
 */
import { TesseraError, type DocumentQuery } from '@tessera/sdk';
import { backoffDelayMs, sleep } from './backoff.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { API_KEY_HEADER, SLTD_PATHS, parseSearchResponse, type SltdSearchRequest, type SltdSearchResponse } from './sltd-protocol.js';
import type { SltdOnlineErrorCode } from './online-errors.js';

export interface SltdOnlineClientOptions {
  /** Base URL of the service, e.g. https://sltd.example.int or http://127.0.0.1:4480. */
  endpoint: string | undefined;
  /** Sent as `X-API-Key`. */
  apiKey?: string | undefined;
  /** Sent as `Authorization: Bearer …`; wins over apiKey when both are set. */
  bearerToken?: string | undefined;
  /** Longest wait for one attempt (connect, answer and body). */
  timeoutMs: number;
  /** Further attempts after the first, for retryable failures only. */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Longest time for the whole search, retries included; no attempt starts that could not finish in it. */
  deadlineMs: number;
  breaker: CircuitBreaker;
  random?: () => number;
}

export interface SltdOnlineAnswer extends SltdSearchResponse {
  attempts: number;
}

/** Why one attempt failed, before retry decisions. */
class AttemptFailure extends Error {
  constructor(
    readonly code: SltdOnlineErrorCode,
    /** Short words for messages and the breaker, e.g. "connection refused", "HTTP 503". */
    readonly what: string,
    readonly retryable: boolean,
    /** Whether this says the service is unhealthy (counts towards the breaker). */
    readonly serviceFailure: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(what);
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection dropped by the service',
  UND_ERR_CLOSED: 'connection dropped by the service',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name not found',
  EHOSTUNREACH: 'network unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** Short words for a failed connection ("connection refused"), from fetch's nested causes. */
export function networkWhat(error: unknown): string {
  let cause: unknown = error;
  // fetch wraps the socket error in TypeError('fetch failed'); undici sometimes nests once more.
  for (let i = 0; i < 3 && cause; i++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES[code]) return NETWORK_CODES[code]!;
    cause = (cause as { cause?: unknown }).cause;
  }
  const deepest = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
  return `network error: ${deepest}`;
}

/** HH:MM:SS on the workstation's clock, as an officer reads it. */
export function clockTime(date: Date): string {
  return date.toTimeString().slice(0, 8);
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export class SltdOnlineClient {
  constructor(private readonly options: SltdOnlineClientOptions) {}

  get breaker(): CircuitBreaker {
    return this.options.breaker;
  }

  get endpoint(): string | undefined {
    return this.options.endpoint;
  }

  async search(query: SltdSearchRequest | DocumentQuery, signal?: AbortSignal): Promise<SltdOnlineAnswer> {
    const { endpoint, retries, timeoutMs, deadlineMs, breaker } = this.options;
    if (!endpoint) {
      throw new TesseraError('SLTD_ONLINE_NOT_CONFIGURED', 'No SLTD endpoint configured — the document was not checked online.', {
        hint: 'Ask the system administrator to set the interop-sltd setting "endpoint", or to use the offline mode.',
      });
    }
    const started = performance.now();
    const remaining = () => deadlineMs - (performance.now() - started);
    for (let attempt = 1; ; attempt++) {
      if (!breaker.tryAcquire()) throw this.circuitOpenError();
      try {
        const answer = await this.attempt(endpoint, query, Math.max(1, Math.floor(Math.min(timeoutMs, remaining()))), signal);
        breaker.recordSuccess();
        return { ...answer, attempts: attempt };
      } catch (error) {
        if (signal?.aborted) {
          breaker.releaseTrial();
          throw this.abortedError();
        }
        if (!(error instanceof AttemptFailure)) {
          breaker.releaseTrial();
          throw error;
        }
        if (error.serviceFailure) breaker.recordFailure(error.what);
        else breaker.recordSuccess(); // it answered: the service is up, the fault is ours
        const delay = Math.max(backoffDelayMs(attempt, { baseMs: this.options.backoffBaseMs, maxMs: this.options.backoffMaxMs, ...(this.options.random ? { random: this.options.random } : {}) }), error.retryAfterMs ?? 0);
        // Retry only what may heal, only while attempts are left, and only if a whole attempt still fits the deadline.
        if (!error.retryable || attempt > retries || delay + Math.min(timeoutMs, 250) > remaining()) throw this.finalError(error, attempt);
        try {
          await sleep(delay, signal);
        } catch {
          throw this.abortedError();
        }
      }
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.options.bearerToken) headers.authorization = `Bearer ${this.options.bearerToken}`;
    else if (this.options.apiKey) headers[API_KEY_HEADER] = this.options.apiKey;
    return headers;
  }

  private async attempt(endpoint: string, query: SltdSearchRequest, timeoutMs: number, signal: AbortSignal | undefined): Promise<SltdSearchResponse> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const body: SltdSearchRequest = { documentNumber: query.documentNumber, issuingState: query.issuingState, ...(query.documentType ? { documentType: query.documentType } : {}) };
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(SLTD_PATHS.search, endpoint), { method: 'POST', headers: this.headers(), body: JSON.stringify(body), signal: combined });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout.aborted) throw new AttemptFailure('SLTD_ONLINE_TIMEOUT', `no answer within ${timeoutMs} ms`, true, true);
      throw new AttemptFailure('SLTD_ONLINE_UNREACHABLE', networkWhat(error), true, true);
    }
    const status = response.status;
    if (status === 401 || status === 403) throw new AttemptFailure('SLTD_ONLINE_CREDENTIALS_REJECTED', `HTTP ${status}`, false, false);
    if (status >= 500 || status === 429) throw new AttemptFailure('SLTD_ONLINE_SERVER_ERROR', `HTTP ${status}`, true, true, retryAfterMs(response.headers.get('retry-after')));
    if (status !== 200) throw new AttemptFailure('SLTD_ONLINE_REQUEST_REJECTED', `HTTP ${status}: ${text.slice(0, 200)}`, false, false);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AttemptFailure('SLTD_ONLINE_BAD_RESPONSE', text.length ? 'the answer is not JSON' : 'the answer is empty', false, true);
    }
    const parsed = parseSearchResponse(json);
    if ('problem' in parsed) throw new AttemptFailure('SLTD_ONLINE_BAD_RESPONSE', `the answer is not a search result (${parsed.problem})`, false, true);
    return parsed;
  }

  private finalError(failure: AttemptFailure, attempts: number): TesseraError {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const details = { attempts, cause: failure.what };
    switch (failure.code) {
      case 'SLTD_ONLINE_UNREACHABLE':
        return new TesseraError(failure.code, `SLTD service unreachable (${failure.what})${tries} — document not checked; will retry on the next query.`, {
          hint: 'Check the network link to the SLTD service; if it persists, tell the system administrator.',
          details,
        });
      case 'SLTD_ONLINE_TIMEOUT':
        return new TesseraError(failure.code, `SLTD service did not answer (${failure.what})${tries} — document not checked; will retry on the next query.`, {
          hint: 'The service or the link is slow; if it persists, tell the system administrator.',
          details,
        });
      case 'SLTD_ONLINE_SERVER_ERROR':
        return new TesseraError(failure.code, `SLTD service failed (${failure.what})${tries} — document not checked; will retry on the next query.`, {
          hint: 'The service reports a fault or is overloaded; if it persists, tell the system administrator.',
          details,
        });
      case 'SLTD_ONLINE_CREDENTIALS_REJECTED':
        return new TesseraError(failure.code, `SLTD credentials rejected (${failure.what}) — document not checked; contact the system administrator.`, {
          hint: 'The interop-sltd settings "apiKey" or "bearerToken" are missing, wrong or expired.',
          details,
        });
      case 'SLTD_ONLINE_BAD_RESPONSE':
        return new TesseraError(failure.code, `SLTD service sent an unreadable answer (${failure.what}) — document not checked; report it to the system administrator.`, {
          hint: 'A proxy or the service itself returns something other than the SLTD protocol.',
          details,
        });
      default:
        return new TesseraError(failure.code, `SLTD service refused the query (${failure.what}) — document not checked; report it to the system administrator.`, {
          hint: 'The client and the service disagree on the protocol (endpoint URL or version).',
          details,
        });
    }
  }

  private circuitOpenError(): TesseraError {
    const s = this.options.breaker.snapshot();
    const since = s.openedAt ? ` since ${clockTime(s.openedAt)}` : '';
    const last = s.lastFailure ? `; last: ${s.lastFailure}` : '';
    const next = s.retryAt ? `; next try after ${clockTime(s.retryAt)}` : '; a trial query is under way';
    return new TesseraError('SLTD_ONLINE_CIRCUIT_OPEN', `SLTD circuit open${since} after ${s.consecutiveFailures} failures${last} — document not checked${next}.`, {
      hint: 'The SLTD service kept failing, so it is not asked for a while; if it persists, tell the system administrator.',
      details: { consecutiveFailures: s.consecutiveFailures, ...(s.openedAt ? { openedAt: s.openedAt.toISOString() } : {}) },
    });
  }

  private abortedError(): TesseraError {
    return new TesseraError('SLTD_ONLINE_ABORTED', 'The SLTD query was cancelled before the service answered — document not checked.', {
      hint: 'The inspection ran out of time for this check; scan again to retry.',
    });
  }
}
