// The demo snapshot (setting demoData) in a real offline store behind the real connector: an empty copy
// gets it, and answers say "demo data"; a real copy or a damaged one is never replaced; an old demo copy
// is refreshed. (The workstation with the demo configuration is tested in hosts/local/src/local-host.test.ts.)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_GENERATED_RECORDS, importDemoSnapshot } from './demo-data.js';
import { OfflineSltdStore } from './offline/offline-store.js';
import { writeSnapshot } from './offline/snapshot-files.js';
import { DEMO_RECORDS, DEMO_UNLISTED } from './reference-service/demo-records.js';
import { DEMO_DATA_REASON, SltdConnector } from './sltd-connector.js';
import { scratchDir } from './offline/test-files.js';

const scratch = scratchDir('sltd-demo');
test.after(() => scratch.remove());
let counter = 0;
const freshDir = () => path.join(scratch.dir, `store-${++counter}`);
const NOW = new Date('2026-03-01T12:00:00Z');
const context = { actor: 'officer.d', purpose: 'border-control', signal: new AbortController().signal };
const connectorOn = (store: OfflineSltdStore, now = NOW) => new SltdConnector({ mode: 'offline', offline: async () => store, maxAgeHours: 48, now: () => now });

test('an empty copy gets the demo records plus the generated ones, dated now; answers say "demo data"', async () => {
  const store = await OfflineSltdStore.open(freshDir());
  const info = (await importDemoSnapshot(store, { now: NOW, maxAgeHours: 48 }))!;
  assert.is(info.records, DEMO_RECORDS.length + DEMO_GENERATED_RECORDS);
  assert.is(info.dataAsOf, NOW.toISOString());
  assert.match(info.snapshotId, /^demo-/);
  const connector = connectorOn(store);
  const stolen = await connector.queryDocument({ documentNumber: 'UP8402513', issuingState: 'UTO', documentType: 'P' }, context);
  assert.is(stolen.outcome, 'hit');
  assert.equal([stolen.records[0]!.status, stolen.records[0]!.details!.source], ['stolen', 'demo data']);
  assert.is(stolen.reason, DEMO_DATA_REASON);
  const genuine = await connector.queryDocument(DEMO_UNLISTED, context);
  assert.is(genuine.outcome, 'no_hit');
  assert.match(genuine.reason!, /^Demo data: .*not really checked/);
});

test('a real copy is never replaced by demo data, and answers without the demo label', async () => {
  const dir = freshDir();
  const file = path.join(scratch.dir, 'real.gz');
  await writeSnapshot(DEMO_RECORDS.slice(0, 1), file, { snapshotId: 'interpol-2026-02-28', sequence: 7, dataAsOf: '2026-02-28T06:00:00.000Z' });
  const store = await OfflineSltdStore.open(dir);
  await store.importSnapshot(file);
  assert.is(await importDemoSnapshot(store, { now: NOW, maxAgeHours: 48 }), null);
  assert.is(store.info()!.snapshotId, 'interpol-2026-02-28');
  const answer = await connectorOn(store).queryDocument(DEMO_UNLISTED, context);
  assert.equal([answer.outcome, answer.reason], ['no_hit', undefined]);
});

test('a damaged copy is left for the officer to hear about, not papered over with demo data', async () => {
  const dir = freshDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'CURRENT'), 'gen-missing\n');
  const store = await OfflineSltdStore.open(dir);
  assert.ok(store.problem());
  assert.is(await importDemoSnapshot(store, { now: NOW, maxAgeHours: 48 }), null);
  assert.is((await connectorOn(store).queryDocument(DEMO_UNLISTED, context)).outcome, 'not_checked');
});

test('a demo copy past the age limit is refreshed at the next start; a recent one is kept', async () => {
  const store = await OfflineSltdStore.open(freshDir());
  await importDemoSnapshot(store, { now: NOW, maxAgeHours: 48 });
  assert.is(await importDemoSnapshot(store, { now: new Date(NOW.getTime() + 3_600_000), maxAgeHours: 48 }), null);
  const later = new Date(NOW.getTime() + 72 * 3_600_000);
  assert.is((await importDemoSnapshot(store, { now: later, maxAgeHours: 48 }))!.dataAsOf, later.toISOString());
});

test.run();
