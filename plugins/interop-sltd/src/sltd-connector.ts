/**
 * The SLTD connector: every scanned document is looked up in INTERPOL's Stolen and Lost Travel
 * Documents database, online (the service, through SltdOnlineClient), offline (the local copy,
 * OfflineSltdStore), or online with the offline copy as the fallback. Whatever fails becomes
 * `not_checked` with a reason the officer can act on; an old offline copy answers with a warning and
 * its date; a hit carries the reminder that it must be confirmed with the issuing country.
 */
import { describeError, isTesseraError, type DocumentQuery, type InteropConnector, type InteropQueryContext, type InteropRecord, type InteropResult } from '@tessera/sdk';
import { normaliseDocumentNumber, normaliseDocumentType, normaliseIssuingState, type SltdRecord } from './records.js';
import { isDemoCopy, offlineDataAge, type OfflineSltdStore } from './offline/offline-store.js';
import type { SltdOnlineClient } from './online/sltd-online-client.js';
import { documentTypeMatches } from './online/sltd-protocol.js';
import { SLTD_CONNECTOR_ID, SLTD_CONNECTOR_NAME, type SltdMode } from './sltd-settings.js';

export type { SltdMode };

/** Shown with every hit: a hit is not a verdict (domain rules: confirm with the issuing country first). */
export const HIT_CONFIRMATION =
  'A hit is not a verdict: confirm it with the issuing country (through its INTERPOL National Central Bureau) before any action.';

export const NO_OFFLINE_COPY_REASON =
  'no offline SLTD copy imported yet — document not checked; import one with `tessera sltd import FILE` or `tessera sltd sync --from URL`';

/** Said with every answer from a demonstration copy (setting `demoData`): the officer must not take it for a real check. */
export const DEMO_DATA_REASON =
  'Demo data: answered from generated demonstration records, not from INTERPOL\'s SLTD — the document was not really checked against SLTD.';

export interface SltdConnectorOptions {
  mode: SltdMode;
  /** The online client; absent means online is not configured (no endpoint). */
  online?: SltdOnlineClient | undefined;
  /** Opens (once) the offline copy; resolves null when there is no place for one (no data folder). */
  offline?: (() => Promise<OfflineSltdStore | null>) | undefined;
  /** An offline copy older than this answers with a warning. */
  maxAgeHours: number;
  now?: () => Date;
}

type Attempt = { result: InteropResult } | { notChecked: string };

function toInteropRecord(record: SltdRecord, source: string, extra: Record<string, string> = {}): InteropRecord {
  return {
    status: record.status,
    ...(record.reference ? { reference: record.reference } : {}),
    ...(record.reportingCountry ? { reportingCountry: record.reportingCountry } : {}),
    score: 1,
    details: {
      documentNumber: record.documentNumber,
      issuingState: record.issuingState,
      documentType: record.documentType,
      ...(record.reportedOn ? { reportedOn: record.reportedOn } : {}),
      source,
      confirmation: HIT_CONFIRMATION,
      ...extra,
    },
  };
}

/** "73 h", "5 d 2 h": an age an officer reads at a glance. */
export function formatAge(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 48) return `${Math.max(0, hours)} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export class SltdConnector implements InteropConnector {
  readonly id = SLTD_CONNECTOR_ID;
  readonly displayName = SLTD_CONNECTOR_NAME;
  readonly queries = ['document'] as const;
  private readonly now: () => Date;

  constructor(private readonly options: SltdConnectorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async queryDocument(query: DocumentQuery, context: InteropQueryContext): Promise<InteropResult> {
    const documentNumber = normaliseDocumentNumber(query.documentNumber ?? '');
    const issuingState = normaliseIssuingState(query.issuingState ?? '');
    const documentType = normaliseDocumentType(query.documentType ?? '') || undefined;
    if (!documentNumber || !issuingState) {
      return this.notChecked('the document number or issuing state could not be read, so SLTD was not asked — check the MRZ and query by hand');
    }
    const q = { documentNumber, issuingState, ...(documentType ? { documentType } : {}) };
    const { mode } = this.options;
    if (mode === 'offline') return this.finish(await this.queryOffline(q));
    const online = await this.queryOnline(q, context.signal);
    if (mode === 'online' || 'result' in online) return this.finish(online);
    // online-then-offline: say that the answer comes from the fallback, and why.
    const offline = await this.queryOffline(q);
    if ('notChecked' in offline) return this.notChecked(`${online.notChecked} Offline fallback: ${offline.notChecked}`);
    const fallback = `Online SLTD unavailable (${online.notChecked.replace(/\.$/, '')}); answered from the offline copy of ${offline.result.dataAsOf}.`;
    return { ...offline.result, reason: offline.result.reason ? `${fallback} ${offline.result.reason}` : fallback };
  }

  private finish(attempt: Attempt): InteropResult {
    return 'result' in attempt ? attempt.result : this.notChecked(attempt.notChecked);
  }

  private notChecked(reason: string): InteropResult {
    return { connectorId: this.id, outcome: 'not_checked', reason, records: [], checkedAt: this.now().toISOString() };
  }

  private async queryOnline(q: DocumentQuery, signal: AbortSignal): Promise<Attempt> {
    const client = this.options.online;
    if (!client?.endpoint) return { notChecked: 'no SLTD endpoint configured — document not checked online; ask the system administrator to set the interop-sltd "endpoint" or use the offline mode.' };
    try {
      const answer = await client.search(q, signal);
      return {
        result: {
          connectorId: this.id,
          outcome: answer.outcome,
          records: answer.records.map((r) => toInteropRecord(r, 'SLTD online', { searchId: answer.searchId })),
          checkedAt: this.now().toISOString(),
        },
      };
    } catch (error) {
      if (isTesseraError(error)) return { notChecked: error.message };
      return { notChecked: `SLTD online query failed unexpectedly (${describeError(error)}) — document not checked; report it to the system administrator.` };
    }
  }

  private async queryOffline(q: DocumentQuery): Promise<Attempt> {
    let store: OfflineSltdStore | null;
    try {
      store = this.options.offline ? await this.options.offline() : null;
    } catch (error) {
      return { notChecked: `the offline SLTD copy could not be opened (${describeError(error)}) — document not checked; re-import it with \`tessera sltd import FILE\`.` };
    }
    const problem = store?.problem();
    if (problem) return { notChecked: `the offline SLTD copy is damaged (${problem.message}) — document not checked; import a fresh snapshot with \`tessera sltd sync\` or \`tessera sltd import FILE\`.` };
    const info = store?.info();
    if (!store || !info) return { notChecked: NO_OFFLINE_COPY_REASON };
    let records: SltdRecord[];
    try {
      // The store matches types exactly; ask for every type and apply the protocol's category rule, so
      // offline and online answer the same query the same way.
      const { documentType, ...document } = q;
      records = store.lookup(document).filter((r) => documentTypeMatches(r.documentType, documentType));
    } catch (error) {
      return { notChecked: `the offline SLTD copy could not be read (${describeError(error)}) — document not checked; re-import it with \`tessera sltd import FILE\`.` };
    }
    const { ageMs, stale } = offlineDataAge(info, { now: this.now(), maxAgeMs: this.options.maxAgeHours * 3_600_000 });
    const demo = isDemoCopy(info);
    const warnings = [
      ...(demo ? [DEMO_DATA_REASON] : []),
      ...(stale ? [`Warning: the offline SLTD copy is ${formatAge(ageMs)} old (data as of ${info.dataAsOf}), older than the ${this.options.maxAgeHours} h limit — records reported since then are missing; refresh it with \`tessera sltd sync\`.`] : []),
    ];
    return {
      result: {
        connectorId: this.id,
        outcome: records.length ? 'hit' : 'no_hit',
        records: records.map((r) => toInteropRecord(r, demo ? 'demo data' : 'SLTD offline copy', { dataAsOf: info.dataAsOf })),
        checkedAt: this.now().toISOString(),
        dataAsOf: info.dataAsOf,
        ...(warnings.length ? { reason: warnings.join(' ') } : {}),
      },
    };
  }
}
