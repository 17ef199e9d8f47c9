/**
 * `national-documents`: every scanned document looked up, by its normalised number and issuing
 * state, in all the agency's imported document lists. A hit names the status (lost, stolen, revoked…),
 * the list and its version, so the officer knows which export to confirm it against.
 */
import type { Clock, DocumentQuery, InteropConnector, InteropRecord, InteropResult } from '@tessera/sdk';
import { normaliseDocumentNumber } from '../import/row-mapping.js';
import type { ListStore } from '../store/list-store.js';
import { demoDataReason, isDemoList } from '../demo/demo-lists.js';

export const DOCUMENTS_CONNECTOR_ID = 'national-documents';

export class NationalDocumentsConnector implements InteropConnector {
  readonly id = DOCUMENTS_CONNECTOR_ID;
  readonly displayName = 'National lists of lost, stolen and revoked documents';
  readonly queries = ['document'] as const;

  constructor(
    private readonly store: ListStore,
    private readonly clock: Clock,
  ) {}

  async queryDocument(query: DocumentQuery): Promise<InteropResult> {
    const checkedAt = this.clock.now().toISOString();
    const notChecked = (reason: string): InteropResult => ({ connectorId: this.id, outcome: 'not_checked', reason, records: [], checkedAt });
    const number = normaliseDocumentNumber(query.documentNumber);
    const state = query.issuingState.toUpperCase().replace(/[^A-Z]/g, '');
    if (!number || !state) return notChecked('The query has no document number or issuing state, so the national lists were not searched.');
    let found: Awaited<ReturnType<ListStore['findDocuments']>>;
    try {
      found = await this.store.findDocuments(number, state);
    } catch (error) {
      return notChecked(`The national lists database could not be read (${(error as Error).message}). Retry, or check the lists by another channel.`);
    }
    // No list imported means nothing was checked: saying "no hit" would be a silent pass.
    if (!found.lists.length) return notChecked('No national document list has been imported on this workstation (tessera lists import … --kind documents).');
    // Generated demonstration lists (setting demoData) answer like any other, and say what they are.
    const demoLists = found.lists.filter(isDemoList).map((l) => l.name);
    const records: InteropRecord[] = found.hits.map(({ list, listVersion, row }) => ({
      status: row.status,
      ...(row.reference ? { reference: row.reference } : {}),
      score: 1,
      details: {
        list,
        listVersion: String(listVersion),
        documentNumber: row.documentNumberAsListed,
        issuingState: row.issuingState,
        ...(row.documentType ? { documentType: row.documentType } : {}),
        ...(demoLists.includes(list) ? { source: 'demo data' } : {}),
      },
    }));
    const oldest = found.lists.map((l) => l.importedAt).sort()[0]!;
    return { connectorId: this.id, outcome: records.length ? 'hit' : 'no_hit', records, checkedAt, dataAsOf: oldest, ...(demoLists.length ? { reason: demoDataReason(demoLists) } : {}) };
  }
}
