/**
 * Demonstration data for the offline copy (setting `demoData`, on in the demo workstation's default
 * configuration): the reference service's demo records — the simulator's stolen `UP8402513` and the
 * other fixed hits — plus generated records, as a snapshot marked `demo-…` and dated now. Without it a
 * fresh demo workstation answers every scan "not checked: nothing imported", which is right for a real
 * deployment and useless for a demonstration. Answers from it say "demo data" (sltd-connector.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSltdRecords, type SltdRecord } from './records.js';
import { DEMO_RECORDS } from './reference-service/demo-records.js';
import { DEMO_SNAPSHOT_PREFIX, isDemoCopy, offlineDataAge, type OfflineSltdStore, type OfflineStoreInfo } from './offline/offline-store.js';
import { writeSnapshot } from './offline/snapshot-files.js';

/** Generated records beside the fixed demo records: enough to look like a list, quick to import at start. */
export const DEMO_GENERATED_RECORDS = 10_000;
/** The reference service's default seed, so the demo copy holds what `tessera sltd serve` serves. */
const DEMO_SEED = 1;

function* demoRecords(): Iterable<SltdRecord> {
  yield* DEMO_RECORDS;
  yield* generateSltdRecords({ seed: DEMO_SEED, count: DEMO_GENERATED_RECORDS });
}

/**
 * Import a fresh demo snapshot when the copy is empty, or is itself demo data past `maxAgeHours` (a demo
 * workstation restarted days later would otherwise warn about its own demo data). A real copy, or a
 * damaged one the officer must hear about, is never touched. Resolves with the new copy's info, or null
 * when nothing was imported.
 */
export async function importDemoSnapshot(store: OfflineSltdStore, options: { now: Date; maxAgeHours: number }): Promise<OfflineStoreInfo | null> {
  if (store.problem()) return null;
  const current = store.info();
  if (current && !(isDemoCopy(current) && offlineDataAge(current, { now: options.now, maxAgeMs: options.maxAgeHours * 3_600_000 }).stale)) return null;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-sltd-demo-'));
  try {
    const file = path.join(dir, 'demo-snapshot.ndjson.gz');
    const dataAsOf = options.now.toISOString();
    // Sequence 0: below any real service's, and a demo copy never blocks a real snapshot (offline-store.ts).
    await writeSnapshot(demoRecords(), file, { snapshotId: `${DEMO_SNAPSHOT_PREFIX}${dataAsOf}`, sequence: 0, dataAsOf }, { gzipLevel: 1 });
    return await store.importSnapshot(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
