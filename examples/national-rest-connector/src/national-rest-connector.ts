/**
 * An InteropConnector for a national REST service of lost, stolen and revoked documents:
 * `GET {baseUrl}/documents?number=…&issuingState=…[&type=…]` with a bearer token, answering
 * `{"matches": [{"status", "reference"?, "reportingCountry"?}]}`. Anything but a well-formed 200 —
 * refused token, server error, time-out, broken JSON — is "not checked" with the reason, never "no hit".
 */
import type { DocumentQuery, InteropConnector, InteropQueryContext, InteropResult } from '@tessera/sdk';

export interface NationalRestOptions {
  baseUrl: string;
  token?: string;
  timeoutMs?: number;
}

interface ServiceMatch {
  status: string;
  reference?: string;
  reportingCountry?: string;
}

/** MRZ fields arrive with fillers and sometimes in lower case from OCR; the service expects bare characters. */
const bare = (value: string) => value.toUpperCase().replace(/[^A-Z0-9]/g, '');

function isMatchList(body: unknown): body is { matches: ServiceMatch[] } {
  const matches = (body as { matches?: unknown } | null)?.matches;
  return Array.isArray(matches) && matches.every((m) => typeof m === 'object' && m !== null && typeof (m as ServiceMatch).status === 'string');
}

export class NationalRestConnector implements InteropConnector {
  readonly id = 'example.national-rest';
  readonly displayName = 'National document service (example)';
  readonly queries = ['document'] as const;

  constructor(private readonly options: NationalRestOptions) {}

  async queryDocument(query: DocumentQuery, context: InteropQueryContext): Promise<InteropResult> {
    const checkedAt = new Date().toISOString();
    const notChecked = (why: string): InteropResult => ({ connectorId: this.id, outcome: 'not_checked', reason: `The national document service ${why}; retry, or check by phone.`, records: [], checkedAt });
    const url = new URL(`${this.options.baseUrl.replace(/\/$/, '')}/documents`);
    url.searchParams.set('number', bare(query.documentNumber));
    url.searchParams.set('issuingState', bare(query.issuingState));
    if (query.documentType) url.searchParams.set('type', bare(query.documentType));
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          accept: 'application/json',
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
          // The service keeps its own log of who asked and why.
          'x-actor': context.actor,
          'x-purpose': context.purpose,
        },
        signal: AbortSignal.any([context.signal, AbortSignal.timeout(this.options.timeoutMs ?? 3000)]),
      });
    } catch (error) {
      const name = (error as Error).name;
      return notChecked(name === 'TimeoutError' ? `did not answer within ${this.options.timeoutMs ?? 3000} ms` : `could not be reached (${(error as Error).message})`);
    }
    if (response.status === 401 || response.status === 403) return notChecked(`refused the workstation's token (HTTP ${response.status})`);
    if (!response.ok) return notChecked(`answered HTTP ${response.status}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return notChecked('sent an answer that is not JSON');
    }
    if (!isMatchList(body)) return notChecked('sent an answer without a "matches" list');
    return {
      connectorId: this.id,
      outcome: body.matches.length ? 'hit' : 'no_hit',
      records: body.matches.map((m) => ({ status: m.status, ...(m.reference ? { reference: m.reference } : {}), ...(m.reportingCountry ? { reportingCountry: m.reportingCountry } : {}), score: 1 })),
      checkedAt,
    };
  }
}
