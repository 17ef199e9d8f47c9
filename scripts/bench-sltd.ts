/**
 * The offline SLTD store at scale: `node --import tsx scripts/bench-sltd.ts [--records N]` (default
 * 10,000,000). Generates the snapshot once with generateSltdRecords (cached in .bench/sltd/), imports it
 * in a child process (so its peak RSS is the import's alone), then measures opening the copy, 100,000
 * lookups (hits and misses mixed, some written with spaces, '<' and lower case), a 10,000-change delta,
 * the bytes on disk and their projection to INTERPOL's 128 million records. Writes
 * .bench/sltd/results.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSltdRecords, type SltdRecord } from '../plugins/interop-sltd/src/records.js';
import { writeDelta, writeSnapshot, type SltdChange } from '../plugins/interop-sltd/src/offline/snapshot-files.js';
import { OfflineSltdStore } from '../plugins/interop-sltd/src/offline/offline-store.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const CACHE = path.join(ROOT, '.bench', 'sltd');
const SEED = 1;
const LOOKUPS = 100_000;
const DELTA_CHANGES = 10_000;
const REAL_DATABASE_RECORDS = 128_000_000;
const MIB = 1024 * 1024;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const records = argument('--records', 10_000_000);
const snapshotFile = path.join(CACHE, `snapshot-${records}-seed${SEED}.ndjson.gz`);
const storeDir = path.join(CACHE, `store-${records}`);

/** Child process: import the snapshot and report time and peak RSS as one JSON line. */
async function importPhase(): Promise<void> {
  rmSync(storeDir, { recursive: true, force: true });
  const store = await OfflineSltdStore.open(storeDir);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const info = await store.importSnapshot(snapshotFile);
  const importMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(JSON.stringify({ importMs, importCpuMs: (cpu.user + cpu.system) / 1000, info, peakRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** The query forms an officer's input or an MRZ produce for the same document. */
function messUp(record: SltdRecord, i: number): { documentNumber: string; issuingState: string; documentType?: string } {
  switch (i % 4) {
    case 0: return { documentNumber: record.documentNumber, issuingState: record.issuingState, documentType: record.documentType };
    case 1: return { documentNumber: record.documentNumber.toLowerCase(), issuingState: record.issuingState };
    case 2: return { documentNumber: `${record.documentNumber.slice(0, 3)} ${record.documentNumber.slice(3)}<<`, issuingState: record.issuingState.padEnd(3, '<') };
    default: return { documentNumber: record.documentNumber, issuingState: record.issuingState.toLowerCase(), documentType: `${record.documentType}<` };
  }
}

async function main(): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  let generateMs: number | null = null;
  if (!existsSync(snapshotFile)) {
    const started = performance.now();
    await writeSnapshot(generateSltdRecords({ seed: SEED, count: records }), snapshotFile, {
      snapshotId: `bench-${records}`, sequence: 1, dataAsOf: '2026-11-25T00:00:00Z', records,
    }, { gzipLevel: 1 });
    generateMs = performance.now() - started;
    console.log(`generated ${records} records in ${(generateMs / 1000).toFixed(1)} s`);
  }

  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--records', String(records), '--import-phase'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`import failed: ${child.stderr}`);
  const imported = JSON.parse(child.stdout.trim().split('\n').pop()!) as { importMs: number; importCpuMs: number; info: { records: number; bytesOnDisk: number }; peakRssMiB: number };

  const rssBeforeOpen = process.memoryUsage().rss;
  let started = performance.now();
  const store = await OfflineSltdStore.open(storeDir);
  const openMs = performance.now() - started;
  const rssAfterOpen = process.memoryUsage().rss;

  // Hits: records spread through the data set; misses: another seed's records (not in this set).
  const hitSample: SltdRecord[] = [];
  const stride = Math.max(1, Math.floor(records / (LOOKUPS / 2)));
  let index = 0;
  for (const record of generateSltdRecords({ seed: SEED, count: Math.min(records, stride * (LOOKUPS / 2)) })) {
    if (index++ % stride === 0) hitSample.push(record);
  }
  const missSample = [...generateSltdRecords({ seed: SEED + 1000, count: LOOKUPS / 2 })];
  const queries = [...hitSample.map(messUp), ...missSample.map(messUp)];
  for (let i = queries.length - 1; i > 0; i--) {
    const j = (i * 2654435761) % (i + 1);
    [queries[i], queries[j]] = [queries[j]!, queries[i]!];
  }
  for (let i = 0; i < 20_000; i++) store.lookup(queries[i % queries.length]!);
  const times = new Float64Array(queries.length);
  let hits = 0;
  const lookupsStarted = performance.now();
  for (let i = 0; i < queries.length; i++) {
    const t0 = performance.now();
    const found = store.lookup(queries[i]!);
    times[i] = performance.now() - t0;
    if (found.length) hits++;
  }
  const lookupsMs = performance.now() - lookupsStarted;
  times.sort();

  const deltaFile = path.join(CACHE, `delta-${records}.ndjson.gz`);
  const changes: SltdChange[] = [];
  for (let i = 0; i < DELTA_CHANGES; i++) {
    const r = hitSample[i % hitSample.length]!;
    if (i % 3 === 0) changes.push({ op: 'remove', documentNumber: r.documentNumber, issuingState: r.issuingState, documentType: r.documentType });
    else if (i % 3 === 1) changes.push({ op: 'status', documentNumber: r.documentNumber, issuingState: r.issuingState, documentType: r.documentType, status: 'revoked' });
    else changes.push({ op: 'add', record: { ...missSample[i]!, reference: `BENCH-${i}` } });
  }
  await writeDelta(changes, deltaFile, { baseSequence: 1, sequence: 2, dataAsOf: '2026-11-26T00:00:00Z' });
  started = performance.now();
  const deltaCpuBefore = process.cpuUsage();
  const afterDelta = await store.applyDelta(deltaFile);
  const deltaMs = performance.now() - started;
  const deltaCpu = process.cpuUsage(deltaCpuBefore);
  await store.close();

  const bytesPerRecord = imported.info.bytesOnDisk / imported.info.records;
  const results = {
    records: imported.info.records,
    generateSnapshotMs: generateMs,
    importMs: Math.round(imported.importMs),
    importCpuMs: Math.round(imported.importCpuMs),
    importRecordsPerSecond: Math.round(imported.info.records / (imported.importMs / 1000)),
    importPeakRssMiB: Math.round(imported.peakRssMiB),
    openMs: Math.round(openMs),
    openRssGrowthMiB: Math.round((rssAfterOpen - rssBeforeOpen) / MIB),
    bytesOnDisk: imported.info.bytesOnDisk,
    bytesPerRecord: Number(bytesPerRecord.toFixed(2)),
    lookups: queries.length,
    lookupHits: hits,
    lookupP50Us: Number((percentile(times, 0.5) * 1000).toFixed(2)),
    lookupP99Us: Number((percentile(times, 0.99) * 1000).toFixed(2)),
    lookupMaxUs: Number((times[times.length - 1]! * 1000).toFixed(1)),
    lookupsPerSecond: Math.round(queries.length / (lookupsMs / 1000)),
    loadAverage: os.loadavg()[0],
    deltaChanges: DELTA_CHANGES,
    deltaMs: Math.round(deltaMs),
    deltaCpuMs: Math.round((deltaCpu.user + deltaCpu.system) / 1000),
    recordsAfterDelta: afterDelta.records,
    projection128M: {
      records: REAL_DATABASE_RECORDS,
      bytesOnDisk: Math.round(bytesPerRecord * REAL_DATABASE_RECORDS),
      GiB: Number(((bytesPerRecord * REAL_DATABASE_RECORDS) / 1024 ** 3).toFixed(2)),
    },
  };
  writeFileSync(path.join(CACHE, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(JSON.stringify(results, null, 2));
}

if (process.argv.includes('--import-phase')) await importPhase();
else await main();
