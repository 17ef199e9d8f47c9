// The offline store across processes: the import lock (open() spares a live import's folders, a second
// import is refused, a dead or silent holder's lock is taken over), catching up with another process's
// import, and snapshots older than the copy refused unless forced.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSltdRecords } from '../records.js';
import { IMPORT_LOCK_FILE, liveImportLock } from './import-lock.js';
import { OfflineSltdStore } from './offline-store.js';
import { writeDelta, writeSnapshot } from './snapshot-files.js';
import { rejectsWithCode, scratchDir } from './test-files.js';

const scratch = scratchDir('sltd-lock');
let counter = 0;
const file = (name: string) => path.join(scratch.dir, name);
const freshDir = () => {
  const dir = path.join(scratch.dir, `store-${++counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};
const records = [...generateSltdRecords({ seed: 5, count: 300 })];
const KNOWN = records[0]!;

// A process that stays alive while a test needs a live foreign holder.
const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
const deadPid = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
test.after(() => {
  sleeper.kill();
  scratch.remove();
});

const holdLock = (dir: string, pid: number) =>
  writeFileSync(path.join(dir, IMPORT_LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: '2026-11-25T10:00:00.000Z', token: 'other' }) + '\n');

test.before(async () => {
  await writeSnapshot(records, file('current.gz'), { snapshotId: 'snap-100', sequence: 100, dataAsOf: '2026-11-20T06:00:00.000Z' });
  await writeSnapshot(records.slice(0, 10), file('older-date.gz'), { snapshotId: 'snap-90', sequence: 90, dataAsOf: '2026-11-19T06:00:00.000Z' });
  await writeSnapshot(records.slice(0, 10), file('older-sequence.gz'), { snapshotId: 'snap-99', sequence: 99, dataAsOf: '2026-11-20T06:00:00.000Z' });
  await writeSnapshot(records.slice(0, 20), file('newer.gz'), { snapshotId: 'snap-101', sequence: 101, dataAsOf: '2026-11-21T06:00:00.000Z' });
  await writeSnapshot(records.slice(0, 5), file('demo.gz'), { snapshotId: 'demo-2030-01-01', sequence: 0, dataAsOf: '2030-01-01T00:00:00.000Z' });
  await writeDelta([{ op: 'status', documentNumber: KNOWN.documentNumber, issuingState: KNOWN.issuingState, documentType: KNOWN.documentType, status: 'revoked' }], file('delta-100-101.gz'), { baseSequence: 100, sequence: 101, dataAsOf: '2026-11-20T12:00:00.000Z' });
});

test('while another live process holds the lock, open() keeps its build and unswitched folders, and an import is SLTD_STORE_LOCKED', async () => {
  const dir = freshDir();
  const store = await OfflineSltdStore.open(dir);
  await store.importSnapshot(file('current.gz'));
  holdLock(dir, sleeper.pid!);
  mkdirSync(path.join(dir, 'build-other'));
  mkdirSync(path.join(dir, 'gen-other-not-yet-current'));
  const reopened = await OfflineSltdStore.open(dir);
  assert.ok(existsSync(path.join(dir, 'build-other')), 'a live import\'s build folder is left alone');
  assert.ok(existsSync(path.join(dir, 'gen-other-not-yet-current')), 'so is a generation it has not switched to yet');
  assert.is(reopened.lookup(KNOWN).length, 1, 'the copy still answers');
  const error = await rejectsWithCode(reopened.importSnapshot(file('newer.gz')), 'SLTD_STORE_LOCKED');
  assert.match(error.message, new RegExp(`process ${sleeper.pid} on `));
  assert.is(reopened.info()!.snapshotId, 'snap-100', 'the copy is unchanged');
  // Not busy after the refusal: once the holder is gone (its lock stale), the same store imports.
  holdLock(dir, deadPid);
  assert.is((await reopened.importSnapshot(file('newer.gz'))).snapshotId, 'snap-101');
});

test('a lock left by a dead process is stale: open() tidies up, an import takes the lock over and releases it', async () => {
  const dir = freshDir();
  holdLock(dir, deadPid);
  mkdirSync(path.join(dir, 'build-crashed'));
  assert.is(liveImportLock(dir), null);
  const store = await OfflineSltdStore.open(dir);
  assert.not.ok(existsSync(path.join(dir, 'build-crashed')));
  await store.importSnapshot(file('current.gz'));
  assert.not.ok(existsSync(path.join(dir, IMPORT_LOCK_FILE)), 'released after the import');
  assert.equal(readdirSync(dir).filter((n) => n.includes('stale')), [], 'the broken lock is removed, not left aside');
});

test('a live pid whose heartbeat stopped long ago (pid reused) is stale too; a fresh one is not', async () => {
  const dir = freshDir();
  holdLock(dir, sleeper.pid!);
  assert.is((liveImportLock(dir) as { pid: number }).pid, sleeper.pid);
  const lockFile = path.join(dir, IMPORT_LOCK_FILE);
  const longAgo = new Date(Date.now() - 11 * 60_000);
  utimesSync(lockFile, longAgo, longAgo);
  assert.is(liveImportLock(dir), null);
  assert.ok(liveImportLock(dir, { staleAfterMs: 60 * 60_000 }), 'within a longer limit it still counts');
  const store = await OfflineSltdStore.open(dir);
  assert.is((await store.importSnapshot(file('current.gz'))).records, records.length);
});

test('a failed import releases the lock too', async () => {
  const dir = freshDir();
  const store = await OfflineSltdStore.open(dir);
  writeFileSync(file('not-gzip.gz'), 'hello');
  await rejectsWithCode(store.importSnapshot(file('not-gzip.gz')), 'SLTD_FILE_UNREADABLE');
  assert.not.ok(existsSync(path.join(dir, IMPORT_LOCK_FILE)));
});

test('an import catches up with a copy another process switched to since this store was opened', async () => {
  const dir = freshDir();
  const workstation = await OfflineSltdStore.open(dir);
  const cli = await OfflineSltdStore.open(dir);
  await cli.importSnapshot(file('current.gz'));
  assert.is(workstation.info(), null, 'the workstation has not looked yet');
  // The delta follows the CLI's snapshot: applied on top of it, not refused as "no snapshot".
  const info = await workstation.applyDelta(file('delta-100-101.gz'));
  assert.equal([info.sequence, info.snapshotId], [101, 'snap-100']);
  assert.is(workstation.lookup(KNOWN)[0]!.status, 'revoked');
});

test('a snapshot older than the copy (dataAsOf or sequence) is SLTD_SNAPSHOT_OLDER, the copy kept; force imports it', async () => {
  const dir = freshDir();
  const store = await OfflineSltdStore.open(dir);
  await store.importSnapshot(file('current.gz'));
  const byDate = await rejectsWithCode(store.importSnapshot(file('older-date.gz')), 'SLTD_SNAPSHOT_OLDER');
  assert.match(byDate.message, /as of 2026-11-19T06:00:00.000Z, the copy's as of 2026-11-20T06:00:00.000Z/);
  const bySequence = await rejectsWithCode(store.importSnapshot(file('older-sequence.gz')), 'SLTD_SNAPSHOT_OLDER');
  assert.match(bySequence.message, /sequence 99 is below the copy's 100/);
  assert.equal([store.info()!.snapshotId, store.info()!.records], ['snap-100', records.length]);
  assert.is((await store.importSnapshot(file('current.gz'))).snapshotId, 'snap-100', 'the same snapshot again is not older');
  assert.is((await store.importSnapshot(file('older-date.gz'), { force: true })).snapshotId, 'snap-90');
  assert.not.ok(existsSync(path.join(dir, IMPORT_LOCK_FILE)));
});

test('a demonstration copy never blocks a real snapshot, whatever its date', async () => {
  const store = await OfflineSltdStore.open(freshDir());
  await store.importSnapshot(file('demo.gz'));
  assert.is((await store.importSnapshot(file('older-date.gz'))).snapshotId, 'snap-90');
});

test.run();
