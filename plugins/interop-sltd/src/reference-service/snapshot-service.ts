/**
 * The snapshot and delta files the reference service serves, written with the offline store's own
 * writers (src/offline/snapshot-files.ts) into a temporary folder, once per sequence, and removed
 * when the service stops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream, type ReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDelta, writeSnapshot } from '../offline/snapshot-files.js';
import type { ReferenceDataSet } from './reference-data.js';

export class SnapshotFiles {
  private readonly written = new Map<string, Promise<string>>();

  private constructor(
    private readonly dataSet: ReferenceDataSet,
    private readonly dir: string,
  ) {}

  static async create(dataSet: ReferenceDataSet): Promise<SnapshotFiles> {
    return new SnapshotFiles(dataSet, await mkdtemp(path.join(os.tmpdir(), 'tessera-sltd-reference-')));
  }

  /** The whole data set at the current sequence. */
  async snapshot(): Promise<ReadStream> {
    const { dataSet } = this;
    const sequence = dataSet.sequence;
    const file = await this.once(`snapshot-${sequence}.gz`, (target) =>
      writeSnapshot(dataSet.records(), target, { snapshotId: `reference-${dataSet.baseSequence}-${sequence}`, sequence, dataAsOf: dataSet.dataAsOf.toISOString(), records: dataSet.size }),
    );
    return createReadStream(file);
  }

  /** The changes from `after` to the current sequence as one delta; `after` must be a sequence the data set issued, below the current one. */
  async delta(after: number): Promise<ReadStream> {
    const { dataSet } = this;
    const sequence = dataSet.sequence;
    const changes = (dataSet.changesAfter(after) ?? []).flat();
    const file = await this.once(`delta-${after}-${sequence}.gz`, (target) => writeDelta(changes, target, { baseSequence: after, sequence, dataAsOf: dataSet.dataAsOf.toISOString() }));
    return createReadStream(file);
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.written.values());
    await rm(this.dir, { recursive: true, force: true });
  }

  private once(name: string, write: (target: string) => Promise<unknown>): Promise<string> {
    let pending = this.written.get(name);
    if (!pending) {
      const target = path.join(this.dir, name);
      pending = write(target).then(() => target);
      pending.catch(() => this.written.delete(name));
      this.written.set(name, pending);
    }
    return pending;
  }
}
