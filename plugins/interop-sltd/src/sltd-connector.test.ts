// The SLTD connector: the SDK's conformance suite in online mode against the reference service over
// HTTP; the offline answers (no copy, fresh, stale) and the online-then-offline fallback; and the
// plugin loaded from its folder into a test host, alone (the default: offline, no copy yet) and with
// the reader simulator in online mode, where the simulator's counterfeit specimen is a stolen passport.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { interopConnectorConformance, startTestHost } from '@tessera/sdk/testing';
import type { InteropQueryContext } from '@tessera/sdk';
import { CircuitBreaker } from './online/circuit-breaker.js';
import { SltdOnlineClient } from './online/sltd-online-client.js';
import { startReferenceService, type ReferenceService } from './reference-service/reference-server.js';
import { DEMO_RECORDS, DEMO_UNLISTED } from './reference-service/demo-records.js';
import { NO_OFFLINE_COPY_REASON, SltdConnector, type SltdConnectorOptions } from './sltd-connector.js';
import type { OfflineSltdStore, OfflineStoreInfo } from './offline/offline-store.js';
import type { SltdRecord } from './records.js';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));
const SIMULATOR_DIR = fileURLToPath(new URL('../../reader-simulator', import.meta.url));
const API_KEY = 'connector-test-key';
const NOW = new Date('2026-03-01T12:00:00Z');

let service: ReferenceService | undefined;
async function referenceService(): Promise<ReferenceService> {
  service ??= await startReferenceService({ records: 1000, seed: 3, apiKey: API_KEY });
  return service;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function onlineClient(endpoint: string | undefined, overrides: { retries?: number } = {}): SltdOnlineClient {
  return new SltdOnlineClient({
    endpoint,
    apiKey: API_KEY,
    timeoutMs: 2000,
    retries: overrides.retries ?? 1,
    backoffBaseMs: 10,
    backoffMaxMs: 20,
    deadlineMs: 3000,
    breaker: new CircuitBreaker({ failureThreshold: 50, coolDownMs: 1000 }),
  });
}

/** A stand-in for the offline copy: the records it holds and its header, as the real store reports them. */
function offlineCopy(records: SltdRecord[], dataAsOf: string | null): () => Promise<OfflineSltdStore> {
  const info: OfflineStoreInfo | null = dataAsOf
    ? { records: records.length, dataAsOf, importedAt: dataAsOf, snapshotId: 'test', deltasApplied: 0, bytesOnDisk: 1, sequence: 1 }
    : null;
  const store = {
    problem: () => null,
    info: () => info,
    lookup: (q: { documentNumber: string; issuingState: string }) => records.filter((r) => r.documentNumber === q.documentNumber && r.issuingState === q.issuingState),
    close: async () => undefined,
  };
  return async () => store as unknown as OfflineSltdStore;
}

const context = (): InteropQueryContext => ({ actor: 'officer-7', purpose: 'border-control', signal: new AbortController().signal });
const stolen = DEMO_RECORDS.find((r) => r.status === 'stolen')!;
const hitQuery = { documentNumber: stolen.documentNumber, issuingState: 'UTO', documentType: 'P' };
const connector = (options: Partial<SltdConnectorOptions>) => new SltdConnector({ mode: 'offline', maxAgeHours: 48, now: () => NOW, ...options });

interopConnectorConformance({
  name: 'SLTD online, against the reference service',
  create: async () => new SltdConnector({ mode: 'online', online: onlineClient((await referenceService()).url), maxAgeHours: 48 }),
  createUnreachable: async () => new SltdConnector({ mode: 'online', online: onlineClient(`http://127.0.0.1:${await closedPort()}`, { retries: 0 }), maxAgeHours: 48 }),
  knownHit: hitQuery,
  knownMiss: DEMO_UNLISTED,
}).run();

interopConnectorConformance({
  name: 'SLTD offline copy',
  create: () => connector({ offline: offlineCopy([stolen], '2026-03-01T06:00:00Z') }),
  createUnreachable: () => connector({ offline: offlineCopy([], null) }),
  knownHit: hitQuery,
  knownMiss: DEMO_UNLISTED,
}).run();

const test = suite('SLTD connector');
test.after(async () => {
  await service?.close();
});

test('online hit: the record with its status, reporting country, report date, search id and the confirmation reminder', async () => {
  const result = await new SltdConnector({ mode: 'online', online: onlineClient((await referenceService()).url), maxAgeHours: 48 }).queryDocument(hitQuery, context());
  assert.is(result.outcome, 'hit');
  assert.is(result.connectorId, 'sltd');
  const [record] = result.records;
  assert.is(record!.status, 'stolen');
  assert.is(record!.reportingCountry, 'UTO');
  assert.is(record!.reference, stolen.reference);
  assert.is(record!.details!.reportedOn, stolen.reportedOn);
  assert.is(record!.details!.source, 'SLTD online');
  assert.ok(record!.details!.searchId);
  assert.match(record!.details!.confirmation!, /confirm it with the issuing country/);
  assert.is(result.dataAsOf, undefined, 'online answers are live, not a copy');
});

test('online without an endpoint: not_checked, saying so', async () => {
  const result = await connector({ mode: 'online', online: undefined }).queryDocument(hitQuery, context());
  assert.is(result.outcome, 'not_checked');
  assert.match(result.reason!, /^no SLTD endpoint configured/);
});

test('online failure: not_checked with the reason from the client (never no_hit)', async () => {
  const ref = await referenceService();
  ref.setFault({ kind: 'malformed' });
  try {
    const result = await connector({ mode: 'online', online: onlineClient(ref.url) }).queryDocument(DEMO_UNLISTED, context());
    assert.is(result.outcome, 'not_checked');
    assert.match(result.reason!, /unreadable answer/);
    assert.is(result.records.length, 0);
  } finally {
    ref.setFault(null);
  }
});

test('offline without a copy: not_checked telling how to import one', async () => {
  const result = await connector({ offline: offlineCopy([], null) }).queryDocument(hitQuery, context());
  assert.is(result.outcome, 'not_checked');
  assert.is(result.reason, NO_OFFLINE_COPY_REASON);
  const noPlace = await connector({ offline: async () => null }).queryDocument(hitQuery, context());
  assert.is(noPlace.reason, NO_OFFLINE_COPY_REASON);
});

test('offline, fresh copy: the answer carries the data date and no warning', async () => {
  const result = await connector({ offline: offlineCopy([stolen], '2026-03-01T06:00:00Z') }).queryDocument(hitQuery, context());
  assert.is(result.outcome, 'hit');
  assert.is(result.dataAsOf, '2026-03-01T06:00:00Z');
  assert.is(result.reason, undefined);
  assert.is(result.records[0]!.details!.source, 'SLTD offline copy');
});

test('offline, copy older than maxAgeHours: still answers, with the age and a warning', async () => {
  const result = await connector({ offline: offlineCopy([stolen], '2026-02-26T08:00:00Z') }).queryDocument(DEMO_UNLISTED, context());
  assert.is(result.outcome, 'no_hit');
  assert.is(result.dataAsOf, '2026-02-26T08:00:00Z');
  assert.match(result.reason!, /^Warning: the offline SLTD copy is 3 d 4 h old \(data as of 2026-02-26T08:00:00Z\), older than the 48 h limit/);
  const justInside = await connector({ offline: offlineCopy([], '2026-02-27T12:00:00Z') }).queryDocument(DEMO_UNLISTED, context());
  assert.is(justInside.reason, undefined, 'exactly 48 h is not yet too old');
});

test('offline, the document type matches by category: an identity card listed as I is found from an ID code, not from P', async () => {
  const card = DEMO_RECORDS.find((r) => r.documentType === 'I')!;
  const offline = connector({ offline: offlineCopy([card], '2026-03-01T06:00:00Z') });
  assert.is((await offline.queryDocument({ documentNumber: card.documentNumber, issuingState: 'UTO', documentType: 'ID' }, context())).outcome, 'hit');
  assert.is((await offline.queryDocument({ documentNumber: card.documentNumber, issuingState: 'UTO', documentType: 'P' }, context())).outcome, 'no_hit');
});

test('offline copy that cannot be opened: not_checked with the cause', async () => {
  const result = await connector({ offline: async () => Promise.reject(new Error('disk on fire')) }).queryDocument(hitQuery, context());
  assert.is(result.outcome, 'not_checked');
  assert.match(result.reason!, /could not be opened \(disk on fire\)/);
});

test('a damaged offline copy: not_checked saying so, not "no copy"', async () => {
  const damaged = { problem: () => new Error('CURRENT does not name a generation'), info: () => null, lookup: () => [] };
  const result = await connector({ offline: async () => damaged as unknown as OfflineSltdStore }).queryDocument(hitQuery, context());
  assert.is(result.outcome, 'not_checked');
  assert.match(result.reason!, /^the offline SLTD copy is damaged \(CURRENT does not name a generation\)/);
});

test('online-then-offline: the service fails, the offline copy answers, and the result says so', async () => {
  const ref = await referenceService();
  ref.setFault({ kind: 'status', status: 503 });
  try {
    const result = await connector({ mode: 'online-then-offline', online: onlineClient(ref.url), offline: offlineCopy([stolen], '2026-03-01T06:00:00Z') }).queryDocument(hitQuery, context());
    assert.is(result.outcome, 'hit');
    assert.is(result.dataAsOf, '2026-03-01T06:00:00Z');
    assert.match(result.reason!, /^Online SLTD unavailable \(SLTD service failed \(HTTP 503\) after 2 attempts .*\); answered from the offline copy of 2026-03-01T06:00:00Z\.$/);
  } finally {
    ref.setFault(null);
  }
});

test('online-then-offline: the service answers, the offline copy is not consulted', async () => {
  const ref = await referenceService();
  let opened = false;
  const result = await connector({
    mode: 'online-then-offline',
    online: onlineClient(ref.url),
    offline: async () => {
      opened = true;
      return null;
    },
  }).queryDocument(hitQuery, context());
  assert.is(result.outcome, 'hit');
  assert.is(result.reason, undefined);
  assert.not.ok(opened);
});

test('online-then-offline: both fail, not_checked with both reasons', async () => {
  const result = await connector({ mode: 'online-then-offline', online: onlineClient(`http://127.0.0.1:${await closedPort()}`, { retries: 0 }), offline: offlineCopy([], null) }).queryDocument(hitQuery, context());
  assert.is(result.outcome, 'not_checked');
  assert.match(result.reason!, /^SLTD service unreachable \(connection refused\).* Offline fallback: no offline SLTD copy imported yet/);
});

test('a query without a document number is not_checked, not sent', async () => {
  const result = await connector({ offline: offlineCopy([stolen], '2026-03-01T06:00:00Z') }).queryDocument({ documentNumber: '<<<', issuingState: 'UTO' }, context());
  assert.is(result.outcome, 'not_checked');
  assert.match(result.reason!, /could not be read/);
});

test('the plugin by default: offline mode, registered, fast, and "no offline copy imported yet" until one is', async () => {
  const started = performance.now();
  const host = await startTestHost({ pluginFolders: [PLUGIN_DIR] });
  const startMs = performance.now() - started;
  try {
    assert.is(host.plugin('interop-sltd').state, 'started');
    assert.ok(startMs < 1500, `the test host with the plugin started in ${Math.round(startMs)} ms`);
    const sltd = host.kernel.registry.get('connectors', 'sltd')!.item;
    const result = await sltd.queryDocument!(hitQuery, context());
    assert.is(result.outcome, 'not_checked');
    assert.is(result.reason, NO_OFFLINE_COPY_REASON);
    assert.equal(host.kernel.registry.list('commands').map((c) => c.item.id).sort(), ['sltd import', 'sltd serve', 'sltd status', 'sltd sync']);
  } finally {
    await host.stop();
  }
});

test('a configuration typo fails the plugin with the property named', async () => {
  const host = await startTestHost({ pluginFolders: [PLUGIN_DIR], config: { plugins: { config: { 'interop-sltd': { mode: 'onlin' } } } } });
  try {
    assert.is(host.plugin('interop-sltd').error?.code, 'TSR_PLUGIN_CONFIG_INVALID');
    assert.match(host.plugin('interop-sltd').error!.message, /mode/);
  } finally {
    await host.stop();
  }
});

test('online mode in an inspection: the simulator counterfeit passport is an SLTD hit, the genuine one no hit', async () => {
  const ref = await referenceService();
  const host = await startTestHost({
    pluginFolders: [PLUGIN_DIR, SIMULATOR_DIR],
    config: { plugins: { config: { 'interop-sltd': { mode: 'online', endpoint: ref.url, apiKey: API_KEY } } } },
  });
  try {
    const simulator = host.kernel.registry.get('readers', 'simulator')!.item;
    const [device] = await simulator.listDevices();
    const genuine = await host.kernel.inspections.scan({ deviceId: device!.id, actor: 'officer-7' });
    assert.is(genuine.interop.find((r) => r.connectorId === 'sltd')?.outcome, 'no_hit');
    await simulator.changeSetting!(device!.id, 'document', 'counterfeit-light-td3');
    const counterfeit = await host.kernel.inspections.scan({ deviceId: device!.id, actor: 'officer-7' });
    const sltd = counterfeit.interop.find((r) => r.connectorId === 'sltd')!;
    assert.is(sltd.outcome, 'hit');
    assert.is(sltd.records[0]!.status, 'stolen');
    const audit = await host.kernel.audit.list({ action: 'interop.query' });
    assert.ok(audit.some((a) => a.actor === 'officer-7' && a.purpose === 'border-control' && (a.details as { outcome?: string }).outcome === 'hit'));
  } finally {
    await host.stop();
  }
});

test.run();
