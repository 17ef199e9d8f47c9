/**
 * The reference service's database: the demo records plus `generateSltdRecords({seed, count})`, held
 * in memory and indexed by issuing state and document number. Each change set applied through the
 * admin API takes the next sequence number, so the service can serve offline copies their deltas.
 * The first sequence is the start time in seconds: a copy made from an earlier run of the service
 * (other data) then has a sequence this run never issued, and is told to fetch a new snapshot.
 */
import { generateSltdRecords, normaliseDocumentNumber, normaliseDocumentType, normaliseIssuingState, sltdKey, type SltdRecord } from '../records.js';
import { documentTypeMatches } from '../online/sltd-protocol.js';
import type { SltdChange, SltdRecordKey } from '../offline/snapshot-files.js';
import { DEMO_RECORDS } from './demo-records.js';

export interface DocumentSearch {
  documentNumber: string;
  issuingState: string;
  documentType?: string | undefined;
}

const documentKey = (state: string, number: string) => `${normaliseIssuingState(state)}/${normaliseDocumentNumber(number)}`;

export class ReferenceDataSet {
  private readonly byDocument = new Map<string, SltdRecord[]>();
  private readonly changes: SltdChange[][] = [];
  private recordCount = 0;
  /** The sequence of the data as generated. */
  readonly baseSequence: number;
  /** The current sequence: baseSequence plus the change sets applied since. */
  sequence: number;
  dataAsOf: Date;

  constructor(records: Iterable<SltdRecord>, dataAsOf: Date, baseSequence = Math.floor(dataAsOf.getTime() / 1000)) {
    this.dataAsOf = dataAsOf;
    this.baseSequence = this.sequence = baseSequence;
    for (const record of records) this.put(record);
  }

  static generate(options: { seed: number; count: number; dataAsOf?: Date; baseSequence?: number }): ReferenceDataSet {
    function* all() {
      yield* DEMO_RECORDS;
      yield* generateSltdRecords({ seed: options.seed, count: options.count });
    }
    return new ReferenceDataSet(all(), options.dataAsOf ?? new Date(), options.baseSequence);
  }

  get size(): number {
    return this.recordCount;
  }

  search(query: DocumentSearch): SltdRecord[] {
    const candidates = this.byDocument.get(documentKey(query.issuingState, query.documentNumber)) ?? [];
    return candidates.filter((r) => documentTypeMatches(r.documentType, query.documentType));
  }

  *records(): Iterable<SltdRecord> {
    for (const list of this.byDocument.values()) yield* list;
  }

  /** Applies one change set as the next sequence number. */
  apply(changes: SltdChange[], at: Date = new Date()): number {
    for (const change of changes) {
      if (change.op === 'add') this.put(change.record);
      else if (change.op === 'remove') this.remove(change);
      else for (const record of this.matching(change)) record.status = change.status;
    }
    this.changes.push(changes.map((c) => structuredClone(c)));
    this.sequence++;
    this.dataAsOf = at;
    return this.sequence;
  }

  /** The change sets after `sequence`, oldest first; undefined when `sequence` is not one this service issued. */
  changesAfter(sequence: number): SltdChange[][] | undefined {
    if (!Number.isInteger(sequence) || sequence < this.baseSequence || sequence > this.sequence) return undefined;
    return this.changes.slice(sequence - this.baseSequence);
  }

  private matching(key: SltdRecordKey): SltdRecord[] {
    return (this.byDocument.get(documentKey(key.issuingState, key.documentNumber)) ?? []).filter((r) => sltdKey(r) === sltdKey(key));
  }

  private put(record: SltdRecord): void {
    const key = documentKey(record.issuingState, record.documentNumber);
    const normalised: SltdRecord = { ...record, documentNumber: normaliseDocumentNumber(record.documentNumber), issuingState: normaliseIssuingState(record.issuingState), documentType: normaliseDocumentType(record.documentType) };
    const list = this.byDocument.get(key);
    if (!list) {
      this.byDocument.set(key, [normalised]);
      this.recordCount++;
      return;
    }
    const same = list.findIndex((r) => sltdKey(r) === sltdKey(normalised));
    if (same >= 0) list[same] = normalised;
    else {
      list.push(normalised);
      this.recordCount++;
    }
  }

  private remove(record: SltdRecordKey): void {
    const key = documentKey(record.issuingState, record.documentNumber);
    const list = this.byDocument.get(key);
    if (!list) return;
    const kept = list.filter((r) => sltdKey(r) !== sltdKey(record));
    this.recordCount -= list.length - kept.length;
    if (kept.length) this.byDocument.set(key, kept);
    else this.byDocument.delete(key);
  }
}
