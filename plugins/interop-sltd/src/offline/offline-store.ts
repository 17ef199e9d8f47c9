/**
 * The offline SLTD copy (like INTERPOL's MIND): imported from a snapshot file, kept fresh by delta
 * files, answering lookups synchronously from memory. Each import or delta builds a new generation
 * folder beside the current one and switches the CURRENT pointer file by an atomic rename, so a failed
 * or interrupted import leaves the previous copy answering. Layouts and sizing in FORMAT.md.
 *
 * Imports may run in another process than the one answering (the CLI beside the workstation): each takes
 * the folder's import lock (import-lock.ts), and `open()` leaves the folders alone while a live process
 * holds it. A snapshot older than the copy it would replace is refused unless forced, so a stale file
 * imported by mistake cannot roll the copy back.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TesseraError } from '@tessera/sdk';
import { isTesseraError } from '@tessera/sdk';
import { normaliseDocumentNumber, normaliseDocumentType, normaliseIssuingState, type SltdRecord } from '../records.js';
import { bucketOf, encodeDocumentType, hashKey, word1Type, type KeyHash } from './key-codec.js';
import { buildFromDelta, buildFromSnapshot, decodeRecord, loadGeneration, overflowKey, type Generation, type ProgressCallback } from './generation.js';
import { sltdError } from './errors.js';
import { ImportLock, liveImportLock, type ImportLockOptions } from './import-lock.js';
import { readSltdFile, type SnapshotHeader } from './snapshot-files.js';

export interface OfflineStoreInfo {
  records: number;
  /** ISO date-time, from the header of the snapshot or of the last delta applied. */
  dataAsOf: string;
  importedAt: string;
  snapshotId: string;
  deltasApplied: number;
  bytesOnDisk: number;
  /** The sequence the copy is at: fetch the deltas after it (GET /v1/deltas?after=N). */
  sequence: number;
}

export interface SltdQuery { documentNumber: string; issuingState: string; documentType?: string }

const POINTER_FILE = 'CURRENT';
const GENERATION_PREFIX = 'gen-';
const BUILD_PREFIX = 'build-';
const STATE_PATTERN = /^[A-Z]{1,3}$/;
/** Snapshots generated for the demonstration workstation carry this snapshotId prefix. */
export const DEMO_SNAPSHOT_PREFIX = 'demo-';

/** Whether the copy holds generated demonstration data rather than an SLTD export. */
export const isDemoCopy = (info: Pick<OfflineStoreInfo, 'snapshotId'>): boolean => info.snapshotId.startsWith(DEMO_SNAPSHOT_PREFIX);

export interface OfflineStoreOptions {
  lock?: ImportLockOptions;
}

/** Read only the header of a snapshot or delta file (the rest is checked by the import itself). */
async function readHeader(file: string): Promise<SnapshotHeader | { kind: 'delta' }> {
  const found = Symbol('header read');
  let header: SnapshotHeader | { kind: 'delta' } | undefined;
  try {
    await readSltdFile(file, {
      onHeader(h) {
        header = h.kind === 'snapshot' ? h : { kind: 'delta' };
        throw found;
      },
      onLine() {},
    });
  } catch (error) {
    if (error !== found) throw error;
  }
  return header!;
}

/** How old the data is and whether it passed the limit (the default: 48 hours). */
export function offlineDataAge(info: Pick<OfflineStoreInfo, 'dataAsOf'>, options: { now?: Date; maxAgeMs?: number } = {}): { ageMs: number; stale: boolean } {
  const ageMs = (options.now ?? new Date()).getTime() - Date.parse(info.dataAsOf);
  return { ageMs, stale: ageMs > (options.maxAgeMs ?? 48 * 3_600_000) };
}

export class OfflineSltdStore {
  private generation: Generation | null = null;
  /** Set when the copy on disk could not be loaded: lookups refuse instead of answering "no hit". */
  private damage: TesseraError | null = null;
  private busy = false;
  private closed = false;
  private readonly hash: KeyHash = { high: 0, low: 0 };

  private constructor(
    readonly dir: string,
    private readonly options: OfflineStoreOptions,
  ) {}

  /**
   * Open (creating the folder if needed); an empty store when nothing was imported yet. Leftovers of
   * interrupted imports are removed — but not while another process's import holds the lock.
   */
  static async open(dir: string, options: OfflineStoreOptions = {}): Promise<OfflineSltdStore> {
    const store = new OfflineSltdStore(path.resolve(dir), options);
    mkdirSync(store.dir, { recursive: true });
    try {
      const current = store.readPointer();
      if (!liveImportLock(store.dir, options.lock)) store.removeLeftovers(current);
      if (current) store.generation = loadGeneration(path.join(store.dir, current));
    } catch (error) {
      if (!isTesseraError(error)) throw error;
      store.damage = error;
    }
    return store;
  }

  /**
   * The records for a document: every type when the query has none. Synchronous and allocation-light.
   * Throws SLTD_STORE_EMPTY before the first import and SLTD_STORE_CORRUPT for a damaged copy, so a
   * caller can never mistake "cannot check" for "no hit".
   */
  lookup(q: SltdQuery): SltdRecord[] {
    const generation = this.ready();
    const documentNumber = normaliseDocumentNumber(typeof q.documentNumber === 'string' ? q.documentNumber : '');
    const issuingState = normaliseIssuingState(typeof q.issuingState === 'string' ? q.issuingState : '');
    if (!documentNumber) throw sltdError('SLTD_QUERY_INVALID', 'The SLTD lookup has no document number.', 'Pass the number as printed or read from the MRZ.');
    if (!STATE_PATTERN.test(issuingState)) throw sltdError('SLTD_QUERY_INVALID', `The SLTD lookup's issuing state ${JSON.stringify(q.issuingState)} is not a 1–3 letter ICAO code.`, 'Pass the issuing state from the MRZ (e.g. "UTO", "D<<").');
    const type = q.documentType === undefined ? '' : normaliseDocumentType(q.documentType);
    const results: SltdRecord[] = [];
    if (hashKey(issuingState, documentNumber, this.hash)) {
      const wantedType = type ? encodeDocumentType(type) : 0;
      const { keys, refs } = generation;
      const bucket = bucketOf(this.hash.high);
      const hashBits = this.hash.high & 0x7fff;
      for (let i = keys.findFirst(bucket, hashBits, this.hash.low); i >= 0 && keys.sameHash(i, bucket, hashBits, this.hash.low); i++) {
        const w1 = keys.words[i * 3 + 1]!;
        if (wantedType && word1Type(w1) !== wantedType) continue;
        const w2 = keys.words[i * 3 + 2]!;
        results.push(decodeRecord(issuingState, documentNumber, w1, w2, w2 & 0x80000000 ? refs.get(i) : undefined));
      }
    }
    const overflow = generation.overflow.get(overflowKey(issuingState, documentNumber));
    if (overflow) for (const r of overflow) if (!type || r.documentType === type) results.push({ ...r });
    return results;
  }

  /** What the copy holds and how fresh it is; null when nothing was ever imported (or the copy is damaged). */
  info(): OfflineStoreInfo | null {
    this.assertOpen();
    const g = this.generation;
    if (!g) return null;
    return {
      records: g.meta.compactRecords + g.meta.overflowRecords,
      dataAsOf: g.meta.dataAsOf,
      importedAt: g.meta.importedAt,
      snapshotId: g.meta.snapshotId,
      deltasApplied: g.meta.deltasApplied,
      bytesOnDisk: g.bytesOnDisk,
      sequence: g.meta.sequence,
    };
  }

  /** The error that keeps a damaged copy from answering, if any. */
  problem(): TesseraError | null {
    return this.damage;
  }

  /**
   * Replace the copy with a snapshot file. Atomic: on any failure the previous copy keeps answering.
   * A snapshot whose data is older than the copy's (dataAsOf earlier, or a lower sequence) is refused
   * with SLTD_SNAPSHOT_OLDER unless `force`; a demonstration copy never stands in the way.
   */
  async importSnapshot(file: string, opts: { onProgress?: ProgressCallback; force?: boolean } = {}): Promise<OfflineStoreInfo> {
    return this.build(async (buildDir, current) => {
      if (current && !opts.force && !isDemoCopy(current.meta)) {
        const header = await readHeader(file);
        if (header.kind === 'snapshot') refuseOlder(file, header, current.meta);
      }
      return buildFromSnapshot(file, buildDir, opts.onProgress);
    });
  }

  /** Apply a delta file that follows the copy's sequence. Atomic, like importSnapshot. */
  async applyDelta(file: string, opts: { onProgress?: ProgressCallback } = {}): Promise<OfflineStoreInfo> {
    return this.build((buildDir, previous) => {
      if (!previous) {
        throw sltdError('SLTD_DELTA_WITHOUT_SNAPSHOT', 'A delta cannot be applied: the offline SLTD copy has no snapshot yet.', 'Import a snapshot first (GET /v1/snapshot), then the deltas after its sequence.');
      }
      return buildFromDelta(previous, file, buildDir, opts.onProgress);
    });
  }

  async close(): Promise<void> {
    if (this.busy) throw sltdError('SLTD_STORE_BUSY', 'The offline SLTD store cannot close while an import is running.', 'Wait for the import to finish.');
    this.closed = true;
    this.generation = null;
  }

  // ---- internals ----------------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw sltdError('SLTD_STORE_CLOSED', 'The offline SLTD store is closed.', 'Open it again with OfflineSltdStore.open.');
  }

  private ready(): Generation {
    this.assertOpen();
    if (this.generation) return this.generation;
    if (this.damage) throw this.damage;
    throw sltdError('SLTD_STORE_EMPTY', 'The offline SLTD copy is empty: no snapshot has been imported.', 'Import a snapshot (tessera/SLTD service GET /v1/snapshot) before relying on offline checks.');
  }

  /**
   * Build a new generation from the current one (if any) under the import lock, then switch to it. The
   * copy is read again first: another process may have imported since this store was opened.
   */
  private async build(make: (buildDir: string, current: Generation | null) => Promise<unknown>): Promise<OfflineStoreInfo> {
    this.assertOpen();
    if (this.busy) throw sltdError('SLTD_STORE_BUSY', 'An SLTD import or delta is already running on this store.', 'Wait for it to finish, then try again.');
    this.busy = true;
    let lock: ImportLock;
    try {
      lock = ImportLock.acquire(this.dir, this.options.lock);
    } catch (error) {
      this.busy = false;
      throw error;
    }
    const id = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
    const buildDir = path.join(this.dir, BUILD_PREFIX + id);
    try {
      this.catchUp();
      await make(buildDir, this.generation);
      const name = GENERATION_PREFIX + id;
      const generationDir = path.join(this.dir, name);
      renameSync(buildDir, generationDir);
      let loaded: Generation;
      try {
        loaded = loadGeneration(generationDir);
      } catch (error) {
        rmSync(generationDir, { recursive: true, force: true });
        throw error;
      }
      this.writePointer(name);
      const previous = this.generation;
      this.generation = loaded;
      this.damage = null;
      if (previous && previous.dir !== generationDir) rmSync(previous.dir, { recursive: true, force: true });
      return this.info()!;
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
      lock.release();
      this.busy = false;
    }
  }

  /** Load the generation CURRENT names now, if another process switched it since this store loaded. */
  private catchUp(): void {
    try {
      const current = this.readPointer();
      if (!current || (this.generation && path.basename(this.generation.dir) === current)) return;
      this.generation = loadGeneration(path.join(this.dir, current));
      this.damage = null;
    } catch (error) {
      // A damaged copy: a snapshot replaces it; a delta finds no base and says so.
      if (!isTesseraError(error)) throw error;
      this.generation = null;
      this.damage = error;
    }
  }

  private readPointer(): string | null {
    const file = path.join(this.dir, POINTER_FILE);
    if (!existsSync(file)) return null;
    const name = readFileSync(file, 'utf8').trim();
    if (!/^gen-[A-Za-z0-9-]+$/.test(name)) {
      throw sltdError('SLTD_STORE_CORRUPT', `${file} does not name a generation of the offline SLTD copy.`, 'Import a fresh snapshot; the pointer is rewritten.');
    }
    return name;
  }

  /** Switch CURRENT atomically: write a temporary file, flush it to disk, rename it over the old one. */
  private writePointer(name: string): void {
    const file = path.join(this.dir, POINTER_FILE);
    const temporary = `${file}.tmp`;
    writeFileSync(temporary, name + '\n');
    const fd = openSync(temporary, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  }

  /** Folders of interrupted imports, and generations CURRENT no longer names (call only without a live import lock). */
  private removeLeftovers(current: string | null): void {
    for (const name of readdirSync(this.dir)) {
      if ((name.startsWith(BUILD_PREFIX) || name.startsWith(GENERATION_PREFIX)) && name !== current) {
        rmSync(path.join(this.dir, name), { recursive: true, force: true });
      }
    }
  }
}

/** SLTD_SNAPSHOT_OLDER when the snapshot's data predates the copy's. */
function refuseOlder(file: string, header: SnapshotHeader, current: Pick<OfflineStoreInfo, 'dataAsOf' | 'sequence' | 'snapshotId'>): void {
  const older = Date.parse(header.dataAsOf) < Date.parse(current.dataAsOf) ? `its data is as of ${header.dataAsOf}, the copy's as of ${current.dataAsOf}` : header.sequence < current.sequence ? `its sequence ${header.sequence} is below the copy's ${current.sequence}` : null;
  if (!older) return;
  throw sltdError(
    'SLTD_SNAPSHOT_OLDER',
    `The snapshot ${path.basename(file)} is older than the offline SLTD copy it would replace (${older}); the copy was not changed.`,
    'Import a newer snapshot (`tessera sltd sync` fetches the current one); to roll the copy back on purpose, import with --force.',
  );
}
