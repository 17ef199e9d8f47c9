// Person screening in the inspection pipeline: every connector whose `queries` include 'person' is asked
// about the holder named in the MRZ (the SDK's personQueryFromMrz), in parallel with the document
// queries, with the same time limit and audit — and the audit never carries the names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin, extensionPoints, type InteropConnector, type PersonQuery, type ReaderDriver } from '@tessera/sdk';
import { startTestHost, testManifest } from '@tessera/sdk/testing';

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64'));
// The ICAO 9303 part 4 specimen with the day of birth unknown ('7408<<'), so the query carries a partial date.
const MRZ = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408<<2F1204159ZE184226B<<<<<10'];
let mrzLines = MRZ;

const reader: ReaderDriver = {
  id: 'fake',
  displayName: 'Fake reader',
  listDevices: async () => [{ id: 'fake:1', vendor: 'Test', model: 'Fake', capabilities: { lights: ['white'], mrz: true, chip: false }, status: 'ready' }],
  scan: async () => ({ deviceId: 'fake:1', capturedAt: new Date().toISOString(), pages: [{ light: 'white', page: 'data-page', mediaType: 'image/png', data: PNG, width: 1, height: 1 }], mrz: { lines: mrzLines, source: 'device-ocr' } }),
};

const asked: Array<{ connector: string; query: PersonQuery; purpose: string; actor: string }> = [];
let watchlistUp = true;
const checkedAt = () => new Date().toISOString();
const connectors: InteropConnector[] = [
  {
    id: 'watchlist',
    displayName: 'Watchlist',
    queries: ['person'],
    queryPerson: async (query, context) => {
      asked.push({ connector: 'watchlist', query, purpose: context.purpose, actor: context.actor });
      if (!watchlistUp) throw new Error('watchlist database locked');
      return { connectorId: 'watchlist', outcome: 'hit', records: [{ status: 'watchlist_candidate', reference: 'W-1', score: 0.91 }], checkedAt: checkedAt() };
    },
  },
  { id: 'slow-watchlist', displayName: 'Slow watchlist', queries: ['person'], queryPerson: () => new Promise(() => undefined) },
  {
    id: 'both',
    displayName: 'Documents and persons',
    queries: ['document', 'person'],
    queryDocument: async () => ({ connectorId: 'both', outcome: 'no_hit', records: [], checkedAt: checkedAt() }),
    queryPerson: async (query, context) => {
      asked.push({ connector: 'both', query, purpose: context.purpose, actor: context.actor });
      return { connectorId: 'both', outcome: 'no_hit', records: [], checkedAt: checkedAt() };
    },
  },
  // Says it screens persons but has no method: not asked, rather than a crash.
  { id: 'documents-only', displayName: 'Documents only', queries: ['document', 'person'], queryDocument: async () => ({ connectorId: 'documents-only', outcome: 'no_hit', records: [], checkedAt: checkedAt() }) },
];
const plugin = {
  manifest: testManifest('person-fixtures', { contributes: { readers: ['fake'], connectors: connectors.map((c) => c.id) } }),
  definition: definePlugin({
    id: 'person-fixtures',
    deps: { readers: extensionPoints.readers, connectors: extensionPoints.connectors },
    init(d) {
      d.readers.add(reader);
      connectors.forEach((c) => d.connectors.add(c));
    },
  }),
};

const hostPromise = startTestHost({ plugins: [plugin], inspectionTimeouts: { connectorMs: 300 }, now: new Date('2011-06-01T12:00:00Z') });

test('person connectors get the MRZ holder (partial birth date, nationality); results are marked as person queries', async () => {
  const host = await hostPromise;
  asked.length = 0;
  const started = Date.now();
  const record = await host.kernel.inspections.scan({ deviceId: 'fake:1', actor: 'officer.p' });
  assert.ok(Date.now() - started < 3000, 'the hanging watchlist is cut off by the time limit');
  const expected = { surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '1974-08', nationality: 'UTO' };
  assert.equal(asked.map((a) => [a.connector, a.query, a.purpose, a.actor]).sort(), [['both', expected, 'border-control', 'officer.p'], ['watchlist', expected, 'border-control', 'officer.p']]);
  const lines = record.interop.map((r) => `${r.connectorId}/${r.query ?? 'document'}:${r.outcome}`).sort();
  assert.equal(lines, ['both/document:no_hit', 'both/person:no_hit', 'documents-only/document:no_hit', 'slow-watchlist/person:not_checked', 'watchlist/person:hit']);
  assert.match(record.interop.find((r) => r.connectorId === 'slow-watchlist')!.reason!, /did not answer within 300 ms/);
  assert.is(record.overall, 'fail', 'a watchlist candidate is a hit the officer must resolve');
});

test('each person query is audited with user, purpose, query kind and outcome, never the names or birth date', async () => {
  const host = await hostPromise;
  const record = await host.kernel.inspections.scan({ deviceId: 'fake:1', actor: 'officer.a' });
  const entries = (await host.kernel.audit.list({ action: 'interop.query' })).filter((e) => e.subject === record.id);
  const summary = entries.map((e) => {
    const d = e.details as { connector: string; query: string; outcome: string };
    return `${e.actor}/${e.purpose}/${d.connector}/${d.query}/${d.outcome}/${e.outcome}`;
  });
  assert.equal(summary.sort(), [
    'officer.a/border-control/both/document/no_hit/success',
    'officer.a/border-control/both/person/no_hit/success',
    'officer.a/border-control/documents-only/document/no_hit/success',
    'officer.a/border-control/slow-watchlist/person/not_checked/failure',
    'officer.a/border-control/watchlist/person/hit/success',
  ]);
  assert.not.match(JSON.stringify(entries), /ERIKSSON|ANNA|1974/);
});

test('an MRZ without a surname: person connectors answer "not checked" with why, and are not asked', async () => {
  const host = await hostPromise;
  asked.length = 0;
  mrzLines = [MRZ[0]!.slice(0, 5) + '<'.repeat(39), MRZ[1]!];
  try {
    const record = await host.kernel.inspections.scan({ deviceId: 'fake:1', actor: 'officer.p' });
    const watchlist = record.interop.find((r) => r.connectorId === 'watchlist')!;
    assert.equal([watchlist.outcome, watchlist.query], ['not_checked', 'person']);
    assert.match(watchlist.reason!, /No surname could be read from the MRZ/);
    assert.is(asked.length, 0);
  } finally {
    mrzLines = MRZ;
  }
});

test('a failed person query is retried on request: its line is replaced, the document line of the same connector kept', async () => {
  const host = await hostPromise;
  watchlistUp = false;
  const record = await host.kernel.inspections.scan({ deviceId: 'fake:1', actor: 'officer.r' });
  watchlistUp = true;
  const failed = record.interop.find((r) => r.connectorId === 'watchlist')!;
  assert.equal([failed.outcome, failed.query], ['not_checked', 'person']);
  assert.match(failed.reason!, /watchlist database locked/);
  asked.length = 0;
  const retried = await host.kernel.inspections.retryConnector(record.id, 'watchlist', 'officer.r');
  assert.equal(asked.map((a) => a.query.birthDate), ['1974-08'], 'the retry builds the query from the stored MRZ with its own reference date');
  const line = retried.interop.find((r) => r.connectorId === 'watchlist')!;
  assert.equal([line.outcome, line.query], ['hit', 'person']);
  assert.is(retried.interop.length, record.interop.length);
  const confirmed = await host.kernel.inspections.confirmHit(record.id, 'watchlist', { outcome: 'pending' }, 'officer.r');
  assert.is(confirmed.hitConfirmations!.at(-1)!.connectorId, 'watchlist');
});

test.after(async () => (await hostPromise).stop());

test.run();
