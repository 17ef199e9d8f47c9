/**
 * An InteropConnector over a JSON file of lost and stolen documents. The file is read on each query
 * (it is small and an agency may replace it at any time); a missing or broken file is "not checked"
 * with the reason, never "no hit".
 */
import { readFile } from 'node:fs/promises';
import type { DocumentQuery, InteropConnector, InteropResult } from '@tessera/sdk';

interface ListEntry {
  documentNumber: string;
  issuingState: string;
  status: string;
  reference?: string;
  reportingCountry?: string;
}

/** MRZ fields arrive with fillers and sometimes in lower case from OCR; compare on the bare characters. */
const normalise = (value: string) => value.toUpperCase().replace(/[^A-Z0-9]/g, '');

export class LostDocumentsConnector implements InteropConnector {
  readonly id = 'example.lost-documents';
  readonly displayName = 'Lost-documents list (example)';
  readonly queries = ['document'] as const;

  constructor(private readonly listFile: string) {}

  private async load(): Promise<ListEntry[]> {
    const entries = JSON.parse(await readFile(this.listFile, 'utf8')) as unknown;
    if (!Array.isArray(entries)) throw new Error('the list is not a JSON array');
    return entries as ListEntry[];
  }

  async queryDocument(query: DocumentQuery): Promise<InteropResult> {
    const checkedAt = new Date().toISOString();
    let entries: ListEntry[];
    try {
      entries = await this.load();
    } catch (error) {
      return {
        connectorId: this.id,
        outcome: 'not_checked',
        reason: `The lost-documents list ${this.listFile} could not be read (${(error as Error).message}); check the file, then retry.`,
        records: [],
        checkedAt,
      };
    }
    const number = normalise(query.documentNumber);
    const state = normalise(query.issuingState);
    const matches = entries.filter((e) => normalise(e.documentNumber) === number && normalise(e.issuingState) === state);
    return {
      connectorId: this.id,
      outcome: matches.length ? 'hit' : 'no_hit',
      records: matches.map((e) => ({ status: e.status, ...(e.reference ? { reference: e.reference } : {}), ...(e.reportingCountry ? { reportingCountry: e.reportingCountry } : {}), score: 1 })),
      checkedAt,
    };
  }
}
