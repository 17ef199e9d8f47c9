/**
 * One generation of the offline store: a folder holding keys.bin, refs.bin, overflow.json and
 * meta.json (FORMAT.md). Builds a generation from a snapshot file (streamed into hash partitions, each
 * sorted on its own) or from the previous generation plus a delta file (a sorted merge), and loads one.
 * Nothing here touches the store's CURRENT pointer: a half-built generation is just a folder to delete.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { SLTD_STATUSES, type SltdRecord } from '../records.js';
import {
  bucketOf, decodeCountry, decodeDay, decodeDocumentType, encodeCountry, encodeDay, encodeDocumentType, hashKey,
  packWord1, packWord2, STATUS_CODE, word1Status, word1Type, word2Country, word2Day, word2HasReference, type KeyHash,
} from './key-codec.js';
import { compareKeys, FileAppender, KeyTable, KeyTableWriter, readWholeFile, RefsTable, RefsWriter, SORT_STRIDE, sortEntries } from './key-table.js';
import { checkChange, checkRecord, readSltdFile, relocateError, type DeltaHeader, type SltdChange, type SltdFileHeader, type SnapshotHeader } from './snapshot-files.js';
import { sltdError } from './errors.js';

export const STORE_FORMAT = 'tessera-sltd-store';
export const STORE_VERSION = 1;

export interface GenerationMeta {
  format: typeof STORE_FORMAT;
  version: number;
  snapshotId: string;
  sequence: number;
  dataAsOf: string;
  importedAt: string;
  deltasApplied: number;
  compactRecords: number;
  overflowRecords: number;
  references: number;
}

export interface Generation {
  dir: string;
  meta: GenerationMeta;
  keys: KeyTable;
  refs: RefsTable;
  /** Records that do not fit the compact encoding, by `STATE/NUMBER`. */
  overflow: Map<string, SltdRecord[]>;
  bytesOnDisk: number;
}

export type ProgressCallback = (done: number, total?: number) => void;

const FILES = { keys: 'keys.bin', refs: 'refs.bin', overflow: 'overflow.json', meta: 'meta.json' } as const;

export const overflowKey = (issuingState: string, documentNumber: string): string => `${issuingState}/${documentNumber}`;

// ---- encoding a record -----------------------------------------------------------------------------------

const scratchHash: KeyHash = { high: 0, low: 0 };

/** Fill `out` (bucket, word0, word1, word2) for a checked record; false if it belongs in the overflow list. */
export function encodeRecord(record: SltdRecord, out: Uint32Array, at = 0): boolean {
  if (!hashKey(record.issuingState, record.documentNumber, scratchHash)) return false;
  const type = encodeDocumentType(record.documentType);
  const country = record.reportingCountry === undefined ? 0 : encodeCountry(record.reportingCountry);
  const day = record.reportedOn === undefined ? 0 : encodeDay(record.reportedOn);
  if (type < 0 || country < 0 || day < 0) return false;
  out[at] = bucketOf(scratchHash.high);
  out[at + 1] = scratchHash.low;
  out[at + 2] = packWord1(scratchHash.high, STATUS_CODE[record.status], type);
  out[at + 3] = packWord2(country, day, record.reference !== undefined);
  return true;
}

export function decodeRecord(issuingState: string, documentNumber: string, w1: number, w2: number, reference: string | undefined): SltdRecord {
  const record: SltdRecord = { documentNumber, issuingState, documentType: decodeDocumentType(word1Type(w1)), status: SLTD_STATUSES[word1Status(w1)]! };
  const country = word2Country(w2);
  if (country) record.reportingCountry = decodeCountry(country);
  const day = word2Day(w2);
  if (day) record.reportedOn = decodeDay(day);
  if (reference !== undefined) record.reference = reference;
  return record;
}

// ---- loading ---------------------------------------------------------------------------------------------

export function loadGeneration(dir: string): Generation {
  let meta: GenerationMeta;
  let overflowRecords: SltdRecord[];
  try {
    meta = JSON.parse(readFileSync(path.join(dir, FILES.meta), 'utf8')) as GenerationMeta;
    overflowRecords = JSON.parse(readFileSync(path.join(dir, FILES.overflow), 'utf8')) as SltdRecord[];
  } catch (error) {
    throw sltdError('SLTD_STORE_CORRUPT', `The offline SLTD copy in ${dir} cannot be read: ${(error as Error).message}.`, 'Import a fresh snapshot; the damaged copy is replaced.', error);
  }
  if (meta.format !== STORE_FORMAT || meta.version !== STORE_VERSION || !Array.isArray(overflowRecords)) {
    throw sltdError('SLTD_STORE_CORRUPT', `The offline SLTD copy in ${dir} has an unknown format or version.`, 'Import a fresh snapshot; the copy is rebuilt in the current format.');
  }
  const keys = KeyTable.load(path.join(dir, FILES.keys));
  const refs = RefsTable.load(path.join(dir, FILES.refs));
  if (keys.count !== meta.compactRecords || refs.count !== meta.references || overflowRecords.length !== meta.overflowRecords) {
    throw sltdError('SLTD_STORE_CORRUPT', `The offline SLTD copy in ${dir} does not match its meta.json.`, 'Import a fresh snapshot; the damaged copy is replaced.');
  }
  const overflow = new Map<string, SltdRecord[]>();
  for (const record of overflowRecords) {
    const key = overflowKey(record.issuingState, record.documentNumber);
    const list = overflow.get(key);
    if (list) list.push(record);
    else overflow.set(key, [record]);
  }
  let bytesOnDisk = 0;
  for (const name of readdirSync(dir)) bytesOnDisk += statSync(path.join(dir, name)).size;
  return { dir, meta, keys, refs, overflow, bytesOnDisk };
}

// ---- writing ---------------------------------------------------------------------------------------------

/** Write and flush to disk before the generation can be switched to, so a power cut cannot leave it half-written. */
function writeFileDurably(file: string, text: string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Receives records in sort order and writes keys.bin and refs.bin. */
class GenerationWriter {
  private readonly keys: KeyTableWriter;
  private readonly refs: RefsWriter;

  constructor(readonly dir: string) {
    this.keys = new KeyTableWriter(path.join(dir, FILES.keys));
    this.refs = new RefsWriter(path.join(dir, FILES.refs));
  }

  add(bucket: number, w0: number, w1: number, w2: number, reference: string | undefined): void {
    if (reference !== undefined) this.refs.add(this.keys.count, reference);
    this.keys.append(bucket, w0, w1, reference === undefined ? w2 & 0x7fffffff : w2 | 0x80000000);
  }

  finish(overflow: Map<string, SltdRecord[]>, meta: Omit<GenerationMeta, 'format' | 'version' | 'compactRecords' | 'overflowRecords' | 'references'>): GenerationMeta {
    const compactRecords = this.keys.count;
    this.keys.finish();
    const references = this.refs.count;
    this.refs.finish();
    const overflowRecords = [...overflow.values()].flat();
    writeFileDurably(path.join(this.dir, FILES.overflow), JSON.stringify(overflowRecords));
    const full: GenerationMeta = { format: STORE_FORMAT, version: STORE_VERSION, ...meta, compactRecords, overflowRecords: overflowRecords.length, references };
    // Written last: a generation folder without meta.json is incomplete.
    writeFileDurably(path.join(this.dir, FILES.meta), JSON.stringify(full, null, 2));
    return full;
  }

  abandon(): void {
    this.keys.abandon();
    this.refs.abandon();
  }
}

/** Overflow records keyed by full identity (state/type/number) inside each `STATE/NUMBER` list. */
function putOverflow(overflow: Map<string, SltdRecord[]>, record: SltdRecord): void {
  const key = overflowKey(record.issuingState, record.documentNumber);
  const list = (overflow.get(key) ?? []).filter((r) => r.documentType !== record.documentType);
  list.push(record);
  overflow.set(key, list);
}

function dropOverflow(overflow: Map<string, SltdRecord[]>, issuingState: string, documentNumber: string, documentType: string): void {
  const key = overflowKey(issuingState, documentNumber);
  const list = overflow.get(key);
  if (!list) return;
  const rest = list.filter((r) => r.documentType !== documentType);
  if (rest.length) overflow.set(key, rest);
  else overflow.delete(key);
}

// ---- snapshot import: hash partitions -----------------------------------------------------------------------

/** Records per partition aimed at: bounds the memory of sorting one partition (~28 bytes a record). */
const PARTITION_TARGET = 2_000_000;

/**
 * Spills encoded records to one file per range of buckets, in input order, with each record's reference
 * (if any) in a side file under its ordinal. Partitions are then sorted one at a time.
 */
class Partitions {
  private readonly records: FileAppender[] = [];
  private readonly references: FileAppender[] = [];
  private readonly sizes: number[] = [];
  private readonly shift: number;

  constructor(private readonly dir: string, expectedRecords: number, target = PARTITION_TARGET) {
    const bits = Math.min(8, Math.max(0, Math.ceil(Math.log2(Math.max(1, expectedRecords) / target))));
    this.shift = 16 - bits;
    mkdirSync(dir, { recursive: true });
    const bufferBytes = Math.max(1 << 16, (1 << 22) >> bits);
    for (let p = 0; p < 1 << bits; p++) {
      this.records.push(new FileAppender(path.join(dir, `part-${p}.bin`), bufferBytes));
      this.references.push(new FileAppender(path.join(dir, `part-${p}.refs`), 1 << 16));
      this.sizes.push(0);
    }
  }

  add(entry: Uint32Array, reference: string | undefined): void {
    const p = entry[0]! >>> this.shift;
    const out = this.records[p]!;
    const at = out.reserve(16);
    const bytes = out.bytes;
    bytes.writeUInt32LE(entry[0]!, at);
    bytes.writeUInt32LE(entry[1]!, at + 4);
    bytes.writeUInt32LE(entry[2]!, at + 8);
    bytes.writeUInt32LE(entry[3]!, at + 12);
    if (reference !== undefined) {
      const text = Buffer.from(reference, 'utf8');
      const refs = this.references[p]!;
      const head = refs.reserve(8);
      refs.bytes.writeUInt32LE(this.sizes[p]!, head);
      refs.bytes.writeUInt32LE(text.length, head + 4);
      refs.writeBuffer(text);
    }
    this.sizes[p]!++;
  }

  /** Sort each partition and hand its records to `writer` in order; of equal keys the last one read wins. */
  async writeSorted(writer: GenerationWriter): Promise<void> {
    for (const out of [...this.records, ...this.references]) out.close(false);
    for (let p = 0; p < this.records.length; p++) {
      const raw = readWholeFile(this.records[p]!.file);
      const n = raw.length / 16;
      const data = new Uint32Array(raw.buffer, raw.byteOffset, n * SORT_STRIDE);
      const references = new Map<number, string>();
      const refBytes = readWholeFile(this.references[p]!.file);
      for (let at = 0; at < refBytes.length;) {
        const ordinal = refBytes.readUInt32LE(at);
        const length = refBytes.readUInt32LE(at + 4);
        references.set(ordinal, refBytes.toString('utf8', at + 8, at + 8 + length));
        at += 8 + length;
      }
      const ordinals = sortEntries(data, n);
      for (let k = 0; k < n; k++) {
        const base = k * SORT_STRIDE;
        const next = base + SORT_STRIDE;
        if (k + 1 < n && compareKeys(data[base]!, data[base + 1]!, data[base + 2]!, data[next]!, data[next + 1]!, data[next + 2]!) === 0) continue;
        writer.add(data[base]!, data[base + 1]!, data[base + 2]!, data[base + 3]!, references.size ? references.get(ordinals[k]!) : undefined);
      }
      rmSync(this.records[p]!.file, { force: true });
      rmSync(this.references[p]!.file, { force: true });
      await yieldToEventLoop();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  abandon(): void {
    for (const out of [...this.records, ...this.references]) out.abandon();
  }
}

/**
 * Build a complete generation in `buildDir` from a snapshot file; throws (leaving debris in buildDir) on
 * any problem. `partitionTarget` (records per sort partition) exists for tests of the partitioning.
 */
export async function buildFromSnapshot(file: string, buildDir: string, onProgress?: ProgressCallback, options: { partitionTarget?: number } = {}): Promise<GenerationMeta> {
  mkdirSync(buildDir, { recursive: true });
  const fileSize = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  let partitions: Partitions | undefined;
  let header: SnapshotHeader | undefined;
  const overflow = new Map<string, SltdRecord[]>();
  const entry = new Uint32Array(4);
  let total: number | undefined;
  try {
    await readSltdFile(file, {
      onHeader(h: SltdFileHeader) {
        if (h.kind !== 'snapshot') throw sltdError('SLTD_FILE_HEADER_INVALID', `${file} is a delta, not a snapshot.`, 'Apply it with applyDelta, after its snapshot.');
        header = h;
        total = h.records;
        // Without an announced count, guess from the compressed size (~20 bytes a record) to size partitions.
        partitions = new Partitions(path.join(buildDir, 'partitions'), h.records ?? fileSize / 20, options.partitionTarget);
      },
      onLine(value, lineNumber) {
        let record: SltdRecord;
        try {
          record = checkRecord(value, 'record');
        } catch (error) {
          throw relocateError(error, 'record', `${file} line ${lineNumber}`);
        }
        if (encodeRecord(record, entry)) partitions!.add(entry, record.reference);
        else putOverflow(overflow, record);
      },
      onChunk(done) {
        onProgress?.(done, total);
      },
    });
    const writer = new GenerationWriter(buildDir);
    try {
      await partitions!.writeSorted(writer);
    } catch (error) {
      writer.abandon();
      throw error;
    }
    return writer.finish(overflow, {
      snapshotId: header!.snapshotId, sequence: header!.sequence, dataAsOf: header!.dataAsOf,
      importedAt: new Date().toISOString(), deltasApplied: 0,
    });
  } catch (error) {
    partitions?.abandon();
    throw error;
  }
}

// ---- delta: sorted merge ------------------------------------------------------------------------------------

const OP_ADD = 0;
const OP_REMOVE = 1;
const OP_STATUS = 2;

/** The compact part of a delta: entries (bucket, word0, word1, word2) with a kind and reference each. */
class DeltaOps {
  data = new Uint32Array(4 * 1024);
  kinds: number[] = [];
  references = new Map<number, string>();
  count = 0;

  push(kind: number, entry: Uint32Array, reference: string | undefined): void {
    if ((this.count + 1) * SORT_STRIDE > this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(entry, this.count * SORT_STRIDE);
    this.kinds.push(kind);
    if (reference !== undefined) this.references.set(this.count, reference);
    this.count++;
  }
}

function keyEntry(issuingState: string, documentNumber: string, documentType: string, out: Uint32Array): boolean {
  const type = encodeDocumentType(documentType);
  if (type < 0 || !hashKey(issuingState, documentNumber, scratchHash)) return false;
  out[0] = bucketOf(scratchHash.high);
  out[1] = scratchHash.low;
  out[2] = packWord1(scratchHash.high, 0, type);
  out[3] = 0;
  return true;
}

/** Sort a delta's changes into compact operations and direct edits of a copy of the overflow list. */
function routeChange(change: SltdChange, ops: DeltaOps, overflow: Map<string, SltdRecord[]>, entry: Uint32Array): void {
  if (change.op === 'add') {
    const r = change.record;
    if (encodeRecord(r, entry)) {
      dropOverflow(overflow, r.issuingState, r.documentNumber, r.documentType);
      ops.push(OP_ADD, entry, r.reference);
    } else {
      if (keyEntry(r.issuingState, r.documentNumber, r.documentType, entry)) ops.push(OP_REMOVE, entry, undefined);
      putOverflow(overflow, r);
    }
    return;
  }
  if (change.op === 'remove') {
    dropOverflow(overflow, change.issuingState, change.documentNumber, change.documentType);
    if (keyEntry(change.issuingState, change.documentNumber, change.documentType, entry)) ops.push(OP_REMOVE, entry, undefined);
    return;
  }
  const inOverflow = overflow.get(overflowKey(change.issuingState, change.documentNumber))?.find((r) => r.documentType === change.documentType);
  if (inOverflow) {
    putOverflow(overflow, { ...inOverflow, status: change.status });
  } else if (keyEntry(change.issuingState, change.documentNumber, change.documentType, entry)) {
    entry[2] = (entry[2]! & ~(7 << 15)) | (STATUS_CODE[change.status] << 15);
    ops.push(OP_STATUS, entry, undefined);
  }
}

/** Build a generation in `buildDir`: `previous` with the delta file applied. */
export async function buildFromDelta(previous: Generation, file: string, buildDir: string, onProgress?: ProgressCallback): Promise<GenerationMeta> {
  mkdirSync(buildDir, { recursive: true });
  const ops = new DeltaOps();
  const overflow = new Map<string, SltdRecord[]>([...previous.overflow].map(([k, list]) => [k, [...list]]));
  const entry = new Uint32Array(4);
  let header: DeltaHeader | undefined;
  await readSltdFile(file, {
    onHeader(h) {
      if (h.kind !== 'delta') throw sltdError('SLTD_FILE_HEADER_INVALID', `${file} is a snapshot, not a delta.`, 'Import it with importSnapshot.');
      if (h.baseSequence !== previous.meta.sequence) {
        const why = h.sequence <= previous.meta.sequence ? 'it is already applied' : `deltas ${previous.meta.sequence + 1}–${h.baseSequence} are missing`;
        throw sltdError(
          'SLTD_DELTA_OUT_OF_SEQUENCE',
          `The delta ${h.baseSequence}→${h.sequence} does not follow the offline copy, which is at sequence ${previous.meta.sequence}: ${why}.`,
          `Apply the deltas after sequence ${previous.meta.sequence} in order (GET /v1/deltas?after=${previous.meta.sequence}), or import a fresh snapshot.`,
        );
      }
      header = h;
    },
    onLine(value, lineNumber) {
      let change: SltdChange;
      try {
        change = checkChange(value, 'change');
      } catch (error) {
        throw relocateError(error, 'change', `${file} line ${lineNumber}`);
      }
      routeChange(change, ops, overflow, entry);
    },
    onChunk(done) {
      onProgress?.(done, header?.changes);
    },
  });

  const ordinals = sortEntries(ops.data, ops.count);
  const writer = new GenerationWriter(buildDir);
  try {
    mergeIntoWriter(previous, ops, ordinals, writer);
  } catch (error) {
    writer.abandon();
    throw error;
  }
  return writer.finish(overflow, {
    snapshotId: previous.meta.snapshotId, sequence: header!.sequence, dataAsOf: header!.dataAsOf,
    importedAt: new Date().toISOString(), deltasApplied: previous.meta.deltasApplied + 1,
  });
}

/**
 * Walk the old table and the sorted operations together, applying each key's operations in file order.
 * `ops.data` is sorted; `ordinals[k]` is the position in the file of sorted operation k.
 */
function mergeIntoWriter(previous: Generation, ops: DeltaOps, ordinals: Uint32Array, writer: GenerationWriter): void {
  const { directory, words } = previous.keys;
  const data = ops.data;
  let j = 0;
  let oldIndex = 0;
  const total = previous.keys.count;
  let bucket = 0;
  while (oldIndex < total || j < ops.count) {
    while (oldIndex < total && directory[bucket + 1]! <= oldIndex) bucket++;
    const oldW0 = oldIndex < total ? words[oldIndex * 3]! : 0;
    const oldW1 = oldIndex < total ? words[oldIndex * 3 + 1]! : 0;
    const opBase = j * SORT_STRIDE;
    const cmp = oldIndex >= total ? 1 : j >= ops.count ? -1 : compareKeys(bucket, oldW0, oldW1, data[opBase]!, data[opBase + 1]!, data[opBase + 2]!);
    if (cmp < 0) {
      const w2 = words[oldIndex * 3 + 2]!;
      writer.add(bucket, oldW0, oldW1, w2, word2HasReference(w2) ? previous.refs.get(oldIndex) : undefined);
      oldIndex++;
      continue;
    }
    // One key's worth of operations, starting from the old record if there is one.
    let present = cmp === 0;
    let w1 = oldW1;
    let w2 = present ? words[oldIndex * 3 + 2]! : 0;
    let reference = present && word2HasReference(w2) ? previous.refs.get(oldIndex) : undefined;
    if (cmp === 0) oldIndex++;
    const keyBucket = data[opBase]!;
    const keyW0 = data[opBase + 1]!;
    const keyW1 = data[opBase + 2]!;
    while (j < ops.count) {
      const op = ordinals[j]!;
      const base = j * SORT_STRIDE;
      if (compareKeys(keyBucket, keyW0, keyW1, data[base]!, data[base + 1]!, data[base + 2]!) !== 0) break;
      const kind = ops.kinds[op]!;
      if (kind === OP_ADD) {
        present = true;
        w1 = data[base + 2]!;
        w2 = data[base + 3]!;
        reference = ops.references.get(op);
      } else if (kind === OP_REMOVE) {
        present = false;
      } else if (present) {
        w1 = ((w1 & ~(7 << 15)) | (data[base + 2]! & (7 << 15))) >>> 0;
      }
      j++;
    }
    if (present) writer.add(keyBucket, keyW0, w1, w2, reference);
  }
}
