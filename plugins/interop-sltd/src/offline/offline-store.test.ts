// The offline SLTD copy end to end on small generated data sets: hits for every status, no-hits,
// normalised queries, optional type, long numbers and references, deltas (add / remove / status, in and
// out of sequence), damaged snapshots refused with the previous copy still answering, a damaged or
// interrupted copy on disk, and the freshness figures.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SLTD_STATUSES, generateSltdRecords, type SltdRecord } from '../records.js';
import { OfflineSltdStore, offlineDataAge } from './offline-store.js';
import { writeDelta, writeSnapshot, type SltdChange } from './snapshot-files.js';
import { editContent, rejectsWithCode, scratchDir, throwsWithCode, truncate } from './test-files.js';

const scratch = scratchDir('sltd-store');
test.after(() => scratch.remove());
let counter = 0;
const file = (name: string) => path.join(scratch.dir, name);
const freshDir = () => path.join(scratch.dir, `store-${++counter}`);

const AS_OF = '2026-11-20T06:00:00.000Z';
const generated = [...generateSltdRecords({ seed: 21, count: 5000 })];
/** One record per status, with every optional field, plus a pair that differs only by type. */
const handmade: SltdRecord[] = [
  ...SLTD_STATUSES.map((status, i): SltdRecord => ({ documentNumber: `TS${i}00001`, issuingState: 'UTO', documentType: 'P', status, reportingCountry: 'UTO', reportedOn: `2025-0${i + 1}-1${i}`, reference: `UTO-REF-${status}` })),
  { documentNumber: 'C01X00T47', issuingState: 'D', documentType: 'P', status: 'lost', reportingCountry: 'DEU', reportedOn: '2024-02-29' },
  { documentNumber: 'C01X00T47', issuingState: 'D', documentType: 'I', status: 'stolen' },
  // Beyond the compact encoding: a 12-character number, a type with a digit, a date before 1900.
  { documentNumber: 'AB1234567890', issuingState: 'FRA', documentType: 'P', status: 'revoked', reference: 'FR-LONG' },
  { documentNumber: 'X12345', issuingState: 'ITA', documentType: 'A1', status: 'invalid' },
  { documentNumber: 'OLD1', issuingState: 'GBR', documentType: 'P', status: 'lost', reportedOn: '1899-12-31' },
];
const all = [...generated, ...handmade];

test.before(async () => {
  await writeSnapshot(all, file('snapshot.gz'), { snapshotId: 'snap-1', sequence: 100, dataAsOf: AS_OF });
});

async function importedStore(): Promise<OfflineSltdStore> {
  const store = await OfflineSltdStore.open(freshDir());
  await store.importSnapshot(file('snapshot.gz'));
  return store;
}

test('an empty store has no info and refuses lookups rather than answering "no hit"', async () => {
  const store = await OfflineSltdStore.open(freshDir());
  assert.is(store.info(), null);
  throwsWithCode(() => store.lookup({ documentNumber: 'L898902C3', issuingState: 'UTO' }), 'SLTD_STORE_EMPTY');
});

test('import: every record is found with all its fields; info reports the snapshot', async () => {
  const progress: Array<[number, number | undefined]> = [];
  const store = await OfflineSltdStore.open(freshDir());
  const info = await store.importSnapshot(file('snapshot.gz'), { onProgress: (done, total) => progress.push([done, total]) });
  assert.is(info.records, all.length);
  assert.is(info.snapshotId, 'snap-1');
  assert.is(info.sequence, 100);
  assert.is(info.dataAsOf, AS_OF);
  assert.is(info.deltasApplied, 0);
  assert.ok(info.bytesOnDisk > all.length * 12, String(info.bytesOnDisk));
  assert.ok(Math.abs(Date.parse(info.importedAt) - Date.now()) < 60_000);
  assert.equal(progress.at(-1), [all.length, all.length]);
  for (const record of all) {
    const hits = store.lookup(record).filter((r) => r.documentType === record.documentType);
    assert.equal(hits, [record], `${record.issuingState} ${record.documentNumber}`);
  }
});

test('hit for each status; no hit for unknown numbers, other states and other types', async () => {
  const store = await importedStore();
  for (const [i, status] of SLTD_STATUSES.entries()) {
    const hits = store.lookup({ documentNumber: `TS${i}00001`, issuingState: 'UTO', documentType: 'P' });
    assert.is(hits.length, 1);
    assert.is(hits[0]!.status, status);
    assert.is(hits[0]!.reference, `UTO-REF-${status}`);
  }
  assert.equal(store.lookup({ documentNumber: 'TS900001', issuingState: 'UTO' }), []);
  assert.equal(store.lookup({ documentNumber: 'TS000001', issuingState: 'UTA' }), []);
  assert.equal(store.lookup({ documentNumber: 'TS000001', issuingState: 'UTO', documentType: 'I' }), []);
  let misses = 0;
  for (const r of generateSltdRecords({ seed: 9999, count: 2000 })) if (store.lookup({ ...r, documentNumber: `Q${r.documentNumber.slice(1)}` }).length === 0) misses++;
  assert.ok(misses > 1990, `misses: ${misses}`);
});

test('queries are normalised: spaces, "<", "-", lower case, MRZ-padded state and type', async () => {
  const store = await importedStore();
  const expected = handmade[5]!;
  for (const query of [
    { documentNumber: 'c01x00t47', issuingState: 'd', documentType: 'p' },
    { documentNumber: 'C01X 00T4 7', issuingState: 'D<<', documentType: 'P<' },
    { documentNumber: 'C01X-00T47<<', issuingState: ' D ', documentType: 'P' },
  ]) assert.equal(store.lookup(query), [expected], JSON.stringify(query));
});

test('the type is optional: without it every type of that number comes back', async () => {
  const store = await importedStore();
  const both = store.lookup({ documentNumber: 'C01X00T47', issuingState: 'D' });
  assert.equal(both.map((r) => r.documentType).sort(), ['I', 'P']);
  assert.equal(store.lookup({ documentNumber: 'C01X00T47', issuingState: 'D', documentType: 'I' }).map((r) => r.status), ['stolen']);
});

test('records outside the compact encoding (long number, odd type, old date) are found too', async () => {
  const store = await importedStore();
  assert.equal(store.lookup({ documentNumber: 'ab12 3456 7890', issuingState: 'fra' }), [handmade[7]]);
  assert.equal(store.lookup({ documentNumber: 'X12345', issuingState: 'ITA', documentType: 'A1' }), [handmade[8]]);
  assert.equal(store.lookup({ documentNumber: 'OLD1', issuingState: 'GBR', documentType: 'P' }), [handmade[9]]);
});

test('bad queries get SLTD_QUERY_INVALID', async () => {
  const store = await importedStore();
  throwsWithCode(() => store.lookup({ documentNumber: ' <<', issuingState: 'UTO' }), 'SLTD_QUERY_INVALID');
  throwsWithCode(() => store.lookup({ documentNumber: 'L898902C3', issuingState: 'U7O' }), 'SLTD_QUERY_INVALID');
  throwsWithCode(() => store.lookup({ documentNumber: 'L898902C3', issuingState: 'UTOP' }), 'SLTD_QUERY_INVALID');
  throwsWithCode(() => store.lookup({ documentNumber: 'L898902C3' } as never), 'SLTD_QUERY_INVALID');
});

test('a snapshot with a key twice keeps the later record', async () => {
  const first: SltdRecord = { documentNumber: 'DUP1', issuingState: 'UTO', documentType: 'P', status: 'lost' };
  await writeSnapshot([first, { ...first, status: 'stolen', reference: 'second' }], file('dup.gz'), { snapshotId: 'dup', sequence: 1, dataAsOf: AS_OF });
  const store = await OfflineSltdStore.open(freshDir());
  assert.is((await store.importSnapshot(file('dup.gz'))).records, 1);
  assert.equal(store.lookup(first), [{ ...first, status: 'stolen', reference: 'second' }]);
});

test('the copy persists: reopening answers the same', async () => {
  const dir = freshDir();
  const store = await OfflineSltdStore.open(dir);
  const info = await store.importSnapshot(file('snapshot.gz'));
  await store.close();
  throwsWithCode(() => store.lookup(all[0]!), 'SLTD_STORE_CLOSED');
  const reopened = await OfflineSltdStore.open(dir);
  assert.equal(reopened.info(), info);
  assert.equal(reopened.lookup(handmade[0]!), [handmade[0]]);
});

// ---- deltas -------------------------------------------------------------------------------------------

const key = (r: SltdRecord) => ({ documentNumber: r.documentNumber, issuingState: r.issuingState, documentType: r.documentType });

test('a delta adds, removes and changes records (compact and overflow) and moves the sequence', async () => {
  const store = await importedStore();
  const added: SltdRecord = { documentNumber: 'NEW000001', issuingState: 'UTO', documentType: 'I', status: 'stolen', reportingCountry: 'UTO', reference: 'UTO-NEW' };
  const addedLong: SltdRecord = { documentNumber: 'NEW0000000002', issuingState: 'UTO', documentType: 'P', status: 'lost' };
  const replaced: SltdRecord = { ...generated[10]!, status: 'invalid', reportedOn: '2026-11-19' };
  const changes: SltdChange[] = [
    { op: 'add', record: added },
    { op: 'add', record: addedLong },
    { op: 'remove', ...key(generated[0]!) },
    { op: 'remove', ...key(handmade[7]!) },
    { op: 'status', ...key(handmade[1]!), status: 'revoked' },
    { op: 'status', ...key(handmade[8]!), status: 'stolen' },
    { op: 'add', record: replaced },
    { op: 'status', documentNumber: 'NOSUCH1', issuingState: 'UTO', documentType: 'P', status: 'lost' },
    // Two changes to one key apply in file order.
    { op: 'remove', ...key(generated[20]!) },
    { op: 'add', record: { ...generated[20]!, status: 'stolen_blank' } },
  ];
  await writeDelta(changes, file('delta-101.gz'), { baseSequence: 100, sequence: 101, dataAsOf: '2026-11-21T06:00:00.000Z' });
  const info = await store.applyDelta(file('delta-101.gz'));
  assert.is(info.sequence, 101);
  assert.is(info.deltasApplied, 1);
  assert.is(info.snapshotId, 'snap-1');
  assert.is(info.dataAsOf, '2026-11-21T06:00:00.000Z');
  assert.is(info.records, all.length + 2 - 2);
  assert.equal(store.lookup(added), [added]);
  assert.equal(store.lookup(addedLong), [addedLong]);
  assert.equal(store.lookup(key(generated[0]!)), []);
  assert.equal(store.lookup(key(handmade[7]!)), []);
  assert.equal(store.lookup(key(handmade[1]!)), [{ ...handmade[1]!, status: 'revoked' }]);
  assert.equal(store.lookup(key(handmade[8]!)), [{ ...handmade[8]!, status: 'stolen' }]);
  assert.equal(store.lookup(key(replaced)), [replaced]);
  assert.equal(store.lookup(key(generated[20]!)), [{ ...generated[20]!, status: 'stolen_blank' }]);
  // Everything the delta did not touch is unchanged, references included.
  const touched = new Set([0, 10, 20]);
  for (const [i, r] of generated.entries()) if (!touched.has(i)) assert.equal(store.lookup(key(r)), [r]);
  assert.equal(store.lookup(key(handmade[0]!)), [handmade[0]]);
});

test('deltas out of sequence are refused with a clear error; the copy is unchanged', async () => {
  const store = await importedStore();
  const before = store.info();
  const changes: SltdChange[] = [{ op: 'remove', ...key(generated[0]!) }];
  await writeDelta(changes, file('delta-gap.gz'), { baseSequence: 101, sequence: 102, dataAsOf: '2026-11-22T06:00:00Z' });
  const gap = await rejectsWithCode(store.applyDelta(file('delta-gap.gz')), 'SLTD_DELTA_OUT_OF_SEQUENCE');
  assert.match(gap.message, /sequence 100/);
  assert.match(gap.message, /deltas 101–101 are missing/);
  await writeDelta(changes, file('delta-old.gz'), { baseSequence: 99, sequence: 100, dataAsOf: '2026-11-19T06:00:00Z' });
  const old = await rejectsWithCode(store.applyDelta(file('delta-old.gz')), 'SLTD_DELTA_OUT_OF_SEQUENCE');
  assert.match(old.message, /already applied/);
  assert.equal(store.info(), before);
  assert.equal(store.lookup(key(generated[0]!)), [generated[0]]);
  await writeDelta(changes, file('delta-101b.gz'), { baseSequence: 100, sequence: 101, dataAsOf: '2026-11-21T06:00:00Z' });
  await store.applyDelta(file('delta-101b.gz'));
  await rejectsWithCode(store.applyDelta(file('delta-101b.gz')), 'SLTD_DELTA_OUT_OF_SEQUENCE');
  await rejectsWithCode(store.applyDelta(file('snapshot.gz')), 'SLTD_FILE_HEADER_INVALID');
  await rejectsWithCode(store.importSnapshot(file('delta-101b.gz')), 'SLTD_FILE_HEADER_INVALID');
});

test('a delta before any snapshot is refused', async () => {
  const store = await OfflineSltdStore.open(freshDir());
  await rejectsWithCode(store.applyDelta(file('delta-101.gz')), 'SLTD_DELTA_WITHOUT_SNAPSHOT');
});

// ---- damage and atomicity -------------------------------------------------------------------------------

test('damaged snapshots get their own codes and the previous copy keeps answering', async () => {
  const dir = freshDir();
  const store = await OfflineSltdStore.open(dir);
  await store.importSnapshot(file('snapshot.gz'));
  const before = store.info();
  const generationsBefore = readdirSync(dir).sort();
  editContent(file('snapshot.gz'), (t) => t.replace('"status":"lost"', '"status":"stolen"'), file('bad-sum.gz'));
  truncate(file('snapshot.gz'), 0.5, file('bad-cut.gz'));
  editContent(file('snapshot.gz'), (t) => t.replace('"format":"tessera-sltd"', '"format":"csv"'), file('bad-header.gz'));
  editContent(file('snapshot.gz'), (t) => t.replace('"status":"lost"', '"status":"found"'), file('bad-record.gz'));
  for (const [name, code] of [['bad-sum.gz', 'SLTD_FILE_CHECKSUM_MISMATCH'], ['bad-cut.gz', 'SLTD_FILE_TRUNCATED'], ['bad-header.gz', 'SLTD_FILE_HEADER_INVALID'], ['bad-record.gz', 'SLTD_RECORD_INVALID'], ['nothing.gz', 'SLTD_FILE_UNREADABLE']] as const) {
    await rejectsWithCode(store.importSnapshot(file(name)), code);
    assert.equal(store.info(), before, name);
    assert.equal(store.lookup(handmade[2]!), [handmade[2]], name);
    assert.equal(readdirSync(dir).sort(), generationsBefore, `${name}: no debris left`);
  }
  const badRecord = await rejectsWithCode(store.importSnapshot(file('bad-record.gz')), 'SLTD_RECORD_INVALID');
  assert.match(badRecord.message, /bad-record\.gz line \d+: "status" must be one of stolen, lost/);
  const reopened = await OfflineSltdStore.open(dir);
  assert.equal(reopened.info(), before);
});

test('an import interrupted mid-way (a leftover build folder) leaves the copy as it was; open cleans up', async () => {
  const dir = freshDir();
  const store = await OfflineSltdStore.open(dir);
  const info = await store.importSnapshot(file('snapshot.gz'));
  mkdirSync(path.join(dir, 'build-20261120T000000000Z-deadbeef', 'partitions'), { recursive: true });
  writeFileSync(path.join(dir, 'build-20261120T000000000Z-deadbeef', 'keys.bin'), 'half');
  const reopened = await OfflineSltdStore.open(dir);
  assert.equal(reopened.info(), info);
  assert.not.ok(existsSync(path.join(dir, 'build-20261120T000000000Z-deadbeef')));
});

test('a damaged copy on disk refuses lookups with SLTD_STORE_CORRUPT until a snapshot is imported', async () => {
  const dir = freshDir();
  const store = await OfflineSltdStore.open(dir);
  await store.importSnapshot(file('snapshot.gz'));
  const generation = readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim();
  const keys = path.join(dir, generation, 'keys.bin');
  writeFileSync(keys, readFileSync(keys).subarray(0, 1000));
  const damaged = await OfflineSltdStore.open(dir);
  assert.is(damaged.info(), null);
  assert.is(damaged.problem()?.code, 'SLTD_STORE_CORRUPT');
  throwsWithCode(() => damaged.lookup(handmade[0]!), 'SLTD_STORE_CORRUPT');
  await damaged.importSnapshot(file('snapshot.gz'));
  assert.equal(damaged.lookup(handmade[0]!), [handmade[0]]);
  writeFileSync(path.join(dir, 'CURRENT'), '../../etc\n');
  const badPointer = await OfflineSltdStore.open(dir);
  assert.is(badPointer.problem()?.code, 'SLTD_STORE_CORRUPT');
  throwsWithCode(() => badPointer.lookup(handmade[0]!), 'SLTD_STORE_CORRUPT');
});

test('one import at a time: a second one while the first runs is SLTD_STORE_BUSY', async () => {
  const store = await OfflineSltdStore.open(freshDir());
  const first = store.importSnapshot(file('snapshot.gz'));
  await rejectsWithCode(store.importSnapshot(file('snapshot.gz')), 'SLTD_STORE_BUSY');
  await first;
  assert.ok(store.info());
});

// ---- freshness ------------------------------------------------------------------------------------------

test('dataAsOf comes from the file headers; the age and the staleness follow from it', async () => {
  const store = await importedStore();
  const info = store.info()!;
  assert.is(info.dataAsOf, AS_OF);
  const now = new Date(Date.parse(AS_OF) + 30 * 3_600_000);
  assert.equal(offlineDataAge(info, { now }), { ageMs: 30 * 3_600_000, stale: false });
  assert.equal(offlineDataAge(info, { now: new Date(Date.parse(AS_OF) + 49 * 3_600_000) }).stale, true);
  assert.equal(offlineDataAge(info, { now, maxAgeMs: 24 * 3_600_000 }).stale, true);
});

test.run();
