// The pipeline's containment: a check that throws or hangs, a connector that fails, a driver that
// returns garbage — each becomes a visible line or a clear error, and nothing half-done is stored.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin, extensionPoints, type DocumentCheck, type InteropConnector, type ReaderDriver, type ScanResult } from '@tessera/sdk';
import { startTestHost, testManifest } from '@tessera/sdk/testing';
import { overallStatus } from './inspection-service.js';

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64'));
const MRZ = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

let nextScan: () => ScanResult = () => ({
  deviceId: 'fake:1',
  capturedAt: new Date().toISOString(),
  pages: [{ light: 'white', page: 'data-page', mediaType: 'image/png', data: PNG, width: 1, height: 1 }],
  mrz: { lines: MRZ, source: 'device-ocr' },
});
const reader: ReaderDriver = {
  id: 'fake',
  displayName: 'Fake reader',
  listDevices: async () => [{ id: 'fake:1', vendor: 'Test', model: 'Fake', capabilities: { lights: ['white'], mrz: true, chip: false }, status: 'ready' }],
  scan: async () => nextScan(),
};
const check = (id: string, run: DocumentCheck['run']): DocumentCheck => ({ id, title: id, category: 'other', run });
const checks: DocumentCheck[] = [
  check('ok', () => ({ status: 'pass', summary: 'fine', findings: [], evidence: [{ kind: 'image', label: 'Portrait from the chip', mediaType: 'image/png', data: PNG, role: 'portrait' }] })),
  check('throws', () => {
    throw new Error('library missing');
  }),
  check('hangs', () => new Promise(() => undefined)),
];
const connectors: InteropConnector[] = [
  { id: 'down', displayName: 'Down service', queries: ['document'], queryDocument: async () => Promise.reject(new Error('ECONNREFUSED')) },
  {
    id: 'hit',
    displayName: 'Hit service',
    queries: ['document'],
    queryDocument: async (q) => ({ connectorId: 'hit', outcome: 'hit', records: [{ status: 'stolen', reference: q.documentNumber }], checkedAt: new Date().toISOString() }),
  },
];
const plugin = {
  manifest: testManifest('pipeline-fixtures', { contributes: { readers: ['fake'], checks: checks.map((c) => c.id), connectors: connectors.map((c) => c.id) } }),
  definition: definePlugin({
    id: 'pipeline-fixtures',
    deps: { readers: extensionPoints.readers, checks: extensionPoints.checks, connectors: extensionPoints.connectors },
    init(d) {
      d.readers.add(reader);
      checks.forEach((c) => d.checks.add(c));
      connectors.forEach((c) => d.connectors.add(c));
    },
  }),
};

test('a throwing check is an error line, a hanging one times out, connectors fail to "not checked" — the inspection is still stored', async () => {
  const host = await startTestHost({ plugins: [plugin], inspectionTimeouts: { checkMs: 300 } });
  const started = Date.now();
  const record = await host.kernel.inspections.scan({ deviceId: 'fake:1', actor: 'officer.t' });
  assert.ok(Date.now() - started < 3000);
  const byId = Object.fromEntries(record.checks.map((c) => [c.checkId, c]));
  assert.is(byId.ok!.status, 'pass');
  assert.is(byId.throws!.status, 'error');
  assert.is(byId.throws!.findings[0]!.code, 'CHECK_FAILED_TO_RUN');
  assert.match(byId.throws!.summary, /library missing/);
  assert.is(byId.hangs!.status, 'error');
  assert.match(byId.hangs!.summary, /did not answer within 300 ms/);
  const down = record.interop.find((r) => r.connectorId === 'down')!;
  assert.is(down.outcome, 'not_checked');
  assert.match(down.reason!, /ECONNREFUSED/);
  assert.is(record.interop.find((r) => r.connectorId === 'hit')!.outcome, 'hit');
  assert.is(record.overall, 'fail', 'a database hit outweighs everything');
  // Image evidence is kept as a data: URL, so the stored record is plain JSON.
  const image = byId.ok!.evidence[0]!;
  assert.ok(image.kind === 'image' && image.dataUrl.startsWith('data:image/png;base64,'));
  const stored = await host.kernel.inspections.get(record.id);
  assert.equal(stored.checks, record.checks);
  await host.stop();
});

test('a driver returning a broken scan is TSR_SCAN_RESULT_INVALID and nothing is stored', async () => {
  const host = await startTestHost({ plugins: [plugin] });
  const previous = nextScan;
  nextScan = () => ({ deviceId: 'fake:1', capturedAt: 'now', pages: [{ light: 'white', page: 'p', mediaType: 'image/png', data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), width: 0, height: 1 }] });
  try {
    await host.kernel.inspections.scan({ deviceId: 'fake:1', actor: 'officer.t' });
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code: string }).code, 'TSR_SCAN_RESULT_INVALID');
    assert.match((error as Error).message, /pages\[0\] is not a image\/png image/);
    assert.match((error as Error).message, /no size/);
  } finally {
    nextScan = previous;
  }
  assert.equal(await host.kernel.inspections.list(), []);
  await host.stop();
});

test('page regions and the portrait role are kept in the record and the report model; a region outside its image is refused', async () => {
  const host = await startTestHost({ plugins: [plugin], inspectionTimeouts: { checkMs: 300 } });
  const previous = nextScan;
  const page = (regions: NonNullable<ScanResult['pages'][number]['regions']>): ScanResult => ({ ...previous(), pages: [{ light: 'white', page: 'data-page', mediaType: 'image/png', data: PNG, width: 100, height: 80, regions }] });
  try {
    const portrait = { role: 'portrait' as const, left: 5, top: 10, width: 30, height: 40 };
    nextScan = () => page([portrait]);
    const record = await host.kernel.inspections.scan({ deviceId: 'fake:1', actor: 'officer.t' });
    assert.equal((await host.kernel.inspections.get(record.id)).images[0]!.regions, [portrait]);
    const evidence = record.checks.find((c) => c.checkId === 'ok')!.evidence[0]!;
    assert.ok(evidence.kind === 'image' && evidence.role === 'portrait');
    const model = await host.kernel.inspections.reportModel(record.id, { locale: 'en', officer: 'officer.t' });
    assert.equal([model.images[0]!.width, model.images[0]!.height, model.images[0]!.regions], [100, 80, [portrait]]);

    nextScan = () => page([{ ...portrait, left: 80 }]);
    try {
      await host.kernel.inspections.scan({ deviceId: 'fake:1', actor: 'officer.t' });
      assert.unreachable();
    } catch (error) {
      assert.is((error as { code: string }).code, 'TSR_SCAN_RESULT_INVALID');
      assert.match((error as Error).message, /pages\[0\]\.regions are not boxes inside the image/);
    }
  } finally {
    nextScan = previous;
    await host.stop();
  }
});

test('overall status: fail > incomplete > warning > pass; not applicable counts for nothing', () => {
  const c = (status: string) => ({ status });
  assert.is(overallStatus([c('pass'), c('not_applicable')], []), 'pass');
  assert.is(overallStatus([c('pass'), c('warning')], []), 'warning');
  assert.is(overallStatus([c('warning'), c('not_checked')], []), 'incomplete');
  assert.is(overallStatus([c('error'), c('fail')], []), 'fail');
  assert.is(overallStatus([c('pass')], [{ connectorId: 'x', outcome: 'not_checked', records: [], checkedAt: '' }]), 'incomplete');
});

test.run();
