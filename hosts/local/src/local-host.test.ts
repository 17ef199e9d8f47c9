// The local host's HTTP API through fastify.inject: the inspection flow, and every bad input answered
// with a stable code and a sentence, with nothing stored lost.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { mkdtemp, rm, readFile, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@tessera/core';
import { startLocalHost, type LocalHost } from './local-host.js';

const silent = createLogger({ level: 'silent' });
let host: LocalHost;
let dataDir: string;
let startMs = 0;

// The workstation as `npm start` runs it: the default configuration, with the interop plugins' demoData,
// so their empty databases are filled with labelled demo data and a genuine specimen can pass (without
// it every scan would be "incomplete": not checked, nothing imported). A non-demo host is tested below.
test.before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-local-test-'));
  const started = performance.now();
  host = await startLocalHost({ dataDir, port: 0, logger: silent });
  startMs = performance.now() - started;
});
test.after(async () => {
  await host.close();
  await rm(dataDir, { recursive: true, force: true });
});

const DEVICE = 'simulator:fpr-1';
const json = (r: { body: string }) => JSON.parse(r.body);

async function placeDocument(id: string) {
  const r = await host.app.inject({ method: 'PUT', url: `/api/devices/${encodeURIComponent(DEVICE)}/settings/document`, payload: { value: id } });
  assert.is(r.statusCode, 200, r.body);
}

async function scan() {
  return host.app.inject({ method: 'POST', url: '/api/inspections', payload: { deviceId: DEVICE }, headers: { 'x-tessera-officer': 'officer.test' } });
}

test('first start writes a default configuration and the SQLite database into the data folder', async () => {
  const config = JSON.parse(await readFile(path.join(dataDir, 'tessera.config.json'), 'utf8'));
  assert.is(config.bcp.code, 'DEMO-BCP');
  assert.ok((await readFile(path.join(dataDir, 'tessera.sqlite'))).length > 0);
});

test('health, plugins and the OpenAPI description answer', async () => {
  const health = json(await host.app.inject('/api/health'));
  assert.is(health.plugins.failed, 0);
  const plugins = json(await host.app.inject('/api/plugins')) as Array<{ id: string; state: string }>;
  assert.is(plugins.length, health.plugins.total);
  for (const id of ['checks-mrz', 'reader-simulator', 'report-standard']) assert.is(plugins.find((p) => p.id === id)?.state, 'started', id);
  assert.ok(plugins.every((p) => p.state === 'started'), JSON.stringify(plugins.map((p) => `${p.id}:${p.state}`)));
  const openapi = json(await host.app.inject('/docs/json'));
  assert.is(openapi.openapi, '3.0.3');
  assert.ok(openapi.paths['/api/inspections'].post, 'POST /api/inspections is described');
});

test('a genuine passport scans to an all-pass inspection that is stored and audit-logged', async () => {
  await placeDocument('genuine-td3');
  const r = await scan();
  assert.is(r.statusCode, 201, r.body);
  const record = json(r);
  assert.is(record.overall, 'pass');
  assert.is(record.mrz.format, 'TD3');
  assert.is(record.mrzSource, 'device');
  const lines = record.checks.map((c: { checkId: string; status: string }) => `${c.checkId}:${c.status}`).sort();
  // The MRZ checks; through the simulator's virtual chip, the chip checks with Passive Authentication
  // against the test CSCA that the default configuration trusts; the IR and UV checks on the page images
  // (the IR MRZ read by the ocr-mrz engine).
  assert.equal(lines, [
    'chip.access:pass', 'chip.active-auth:pass', 'chip.chip-auth:pass', 'chip.dg1-mrz:pass', 'chip.passive-auth:pass',
    'light.ir-mrz-match:pass', 'light.ir-mrz-visible:pass', 'light.uv-dull-paper:pass',
    'mrz.check-digits:pass', 'mrz.expiry:pass', 'mrz.state-codes:pass',
  ]);
  const portrait = record.checks.find((c: { checkId: string }) => c.checkId === 'chip.access').evidence.find((e: { kind: string }) => e.kind === 'image');
  assert.ok(portrait?.dataUrl.startsWith('data:image/'), 'the chip portrait is kept as evidence');
  assert.equal(record.images.map((i: { light: string }) => i.light), ['white', 'ir', 'uv']);
  const stored = json(await host.app.inject(`/api/inspections/${record.id}`));
  assert.equal(stored.checks, record.checks);
  const image = await host.app.inject(`/api/inspections/${record.id}/images/uv`);
  assert.is(image.headers['content-type'], 'image/png');
  assert.is(image.rawPayload.subarray(1, 4).toString(), 'PNG');
  const audit = json(await host.app.inject(`/api/audit?subject=${record.id}`)) as Array<{ action: string; actor: string }>;
  assert.ok(audit.some((a) => a.action === 'inspection.scan' && a.actor === 'officer.test'));
  const history = json(await host.app.inject(`/api/inspections?documentNumber=${record.mrz.fields.documentNumber}`));
  assert.is(history[0].id, record.id);
});

const interopLine = (record: { interop: Array<{ connectorId: string; outcome: string; reason?: string; records: Array<{ status: string; reference?: string; details?: Record<string, string> }> }> }, id: string) =>
  record.interop.find((r) => r.connectorId === id)!;

test('demo defaults: SLTD and the national lists answer from labelled demo data — no hit for a genuine passport, a hit for the stolen UP8402513', async () => {
  assert.ok(startMs < 10_000, `started in ${Math.round(startMs)} ms`); // the demo import runs after ready, not before
  await placeDocument('genuine-td3');
  const genuine = json(await scan());
  for (const id of ['sltd', 'national-documents', 'national-persons']) {
    const line = interopLine(genuine, id);
    assert.is(line.outcome, 'no_hit', `${id}: ${line.reason}`);
    assert.match(line.reason!, /^Demo data: /, id);
  }
  assert.is(genuine.overall, 'pass');
  await placeDocument('counterfeit-light-td3');
  const counterfeit = json(await scan());
  const sltd = interopLine(counterfeit, 'sltd');
  assert.equal([sltd.outcome, sltd.records[0]!.status, sltd.records[0]!.details!.source], ['hit', 'stolen', 'demo data']);
  assert.equal([interopLine(counterfeit, 'national-documents').outcome, interopLine(counterfeit, 'national-documents').records[0]!.details!.source], ['hit', 'demo data']);
  // The MRV-B visa's holder is on the demo watchlist, loosely: a screening candidate.
  await placeDocument('genuine-mrvb');
  const visa = json(await scan());
  const persons = interopLine(visa, 'national-persons');
  assert.equal([persons.outcome, persons.records[0]!.reference, visa.overall], ['hit', 'DEMO-W-0001', 'fail']);
  const audit = json(await host.app.inject(`/api/audit?subject=${visa.id}`)) as Array<{ action: string; details: { connector: string; query: string } }>;
  assert.ok(audit.some((a) => a.action === 'interop.query' && a.details.connector === 'national-persons' && a.details.query === 'person'));
  assert.not.match(JSON.stringify(audit), /NAKAMURA/);
  await placeDocument('genuine-td3');
});

test('without demoData the empty databases answer "not checked" with what to import — never a silent pass', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-local-test-'));
  try {
    await writeFile(path.join(dir, 'tessera.config.json'), JSON.stringify({ bcp: { code: 'BCP-1', name: 'Real crossing', country: 'UTO' } }));
    const real = await startLocalHost({ dataDir: dir, port: 0, logger: silent });
    try {
      const record = json(await real.app.inject({ method: 'POST', url: '/api/inspections', payload: { deviceId: DEVICE } }));
      assert.match(interopLine(record, 'sltd').reason!, /no offline SLTD copy imported yet — document not checked; import one with `tessera sltd import FILE`/);
      assert.match(interopLine(record, 'national-documents').reason!, /No national document list has been imported.*tessera lists import/);
      assert.match(interopLine(record, 'national-persons').reason!, /No persons watchlist has been imported/);
      assert.equal(record.interop.map((r: { outcome: string }) => r.outcome), ['not_checked', 'not_checked', 'not_checked']);
      assert.is(record.overall, 'incomplete');
    } finally {
      await real.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a wrong check digit fails the MRZ check and names the field', async () => {
  await placeDocument('bad-check-digit-td3');
  const record = json(await scan());
  assert.is(record.overall, 'fail');
  const check = record.checks.find((c: { checkId: string }) => c.checkId === 'mrz.check-digits');
  assert.is(check.status, 'fail');
  assert.ok(check.findings.some((f: { code: string }) => f.code === 'MRZ_CHECK_DIGIT_BIRTH_DATE'), JSON.stringify(check.findings));
});

test('an expired document and an unknown issuer each fail their own check', async () => {
  await placeDocument('expired-td3');
  const expired = json(await scan());
  assert.is(expired.checks.find((c: { checkId: string }) => c.checkId === 'mrz.expiry').status, 'fail');
  assert.is(expired.checks.find((c: { checkId: string }) => c.checkId === 'mrz.check-digits').status, 'pass');
  await placeDocument('unknown-issuer-td3');
  const unknown = json(await scan());
  const codes = unknown.checks.find((c: { checkId: string }) => c.checkId === 'mrz.state-codes');
  assert.is(codes.status, 'fail');
  assert.ok(codes.findings.some((f: { code: string }) => f.code === 'MRZ_ISSUING_STATE_UNKNOWN'));
});

test('every format of the simulator scans and parses as its format', async () => {
  for (const [doc, format] of [['genuine-td1', 'TD1'], ['genuine-td2', 'TD2'], ['genuine-mrva', 'MRVA']] as const) {
    await placeDocument(doc);
    const record = json(await scan());
    assert.is(record.mrz.format, format, doc);
    assert.is(record.overall, 'pass', `${doc}: ${JSON.stringify(record.checks.map((c: { summary: string }) => c.summary))}`);
  }
});

test('bad requests get a stable code and a sentence; nothing is stored', async () => {
  const before = json(await host.app.inject('/api/inspections?limit=500')).length;
  const unknownDevice = await host.app.inject({ method: 'POST', url: '/api/inspections', payload: { deviceId: 'acme:nope' } });
  assert.is(unknownDevice.statusCode, 404);
  assert.is(json(unknownDevice).error.code, 'TSR_READER_DEVICE_NOT_FOUND');
  const noBody = await host.app.inject({ method: 'POST', url: '/api/inspections', payload: { device: 'x' } });
  assert.is(noBody.statusCode, 400);
  assert.is(json(noBody).error.code, 'TSR_REQUEST_INVALID');
  const notJson = await host.app.inject({ method: 'POST', url: '/api/inspections', headers: { 'content-type': 'application/json' }, payload: '{"deviceId": ' });
  assert.is(notJson.statusCode, 400);
  const huge = await host.app.inject({ method: 'POST', url: '/api/inspections', payload: { deviceId: 'x'.repeat(2 * 1024 * 1024) } });
  assert.is(huge.statusCode, 413);
  assert.is(json(huge).error.code, 'TSR_REQUEST_INVALID');
  await placeDocument('none');
  const empty = await scan();
  assert.is(empty.statusCode, 422);
  assert.is(json(empty).error.code, 'TSR_READER_NO_DOCUMENT');
  assert.match(json(empty).error.hint, /Place the document/);
  const badSetting = await host.app.inject({ method: 'PUT', url: `/api/devices/${encodeURIComponent(DEVICE)}/settings/document`, payload: { value: 'no-such-specimen' } });
  assert.is(json(badSetting).error.code, 'TSR_REQUEST_INVALID');
  assert.is(json(await host.app.inject('/api/inspections/does-not-exist')).error.code, 'TSR_INSPECTION_NOT_FOUND');
  assert.is(json(await host.app.inject('/api/inspections/does-not-exist/report.pdf')).error.code, 'TSR_INSPECTION_NOT_FOUND');
  assert.is(json(await host.app.inject('/api/nothing-here')).error.code, 'TSR_REQUEST_INVALID');
  assert.is(json(await host.app.inject('/api/inspections?limit=500')).length, before, 'no inspection was stored by the failures');
  await placeDocument('genuine-td3');
});

test('an unknown report template is a 404 naming the enabled ones', async () => {
  const record = json(await scan());
  const r = await host.app.inject(`/api/inspections/${record.id}/report.pdf?template=letterhead`);
  assert.is(r.statusCode, 404);
  assert.is(json(r).error.code, 'TSR_REPORT_TEMPLATE_NOT_FOUND');
  assert.match(json(r).error.hint, /standard/);
});

test('a second host on the same port fails with TSR_PORT_IN_USE, and the first keeps serving', async () => {
  const port = Number(new URL(host.url).port);
  const other = await mkdtemp(path.join(os.tmpdir(), 'tessera-local-test-'));
  try {
    await startLocalHost({ dataDir: other, port, logger: silent });
    assert.unreachable('the second host must not start');
  } catch (error) {
    assert.is((error as { code: string }).code, 'TSR_PORT_IN_USE');
    assert.match((error as Error).message, new RegExp(`Port ${port}`));
  } finally {
    await rm(other, { recursive: true, force: true });
  }
  assert.is(json(await host.app.inject('/api/health')).status, 'ok');
  const probe = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => probe.once('connect', resolve).once('error', reject));
  probe.destroy();
});

test('a broken plugin in a configured folder is shown as failed; the host still starts and scans', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-local-test-'));
  try {
    const pluginDir = path.join(dir, 'extra', 'broken');
    await mkdir(pluginDir, { recursive: true });
    await writeFile(path.join(pluginDir, 'tessera-plugin.json'), JSON.stringify({ id: 'broken', version: '1.0.0', displayName: 'Broken', main: './missing.ts', engines: { tessera: '^0.1.0' } }));
    await writeFile(path.join(dir, 'tessera.config.json'), JSON.stringify({ plugins: { folders: [path.join(dir, 'extra')], disabled: ['no-such-plugin'] } }));
    const second = await startLocalHost({ dataDir: dir, port: 0, logger: silent });
    try {
      const plugins = json(await second.app.inject('/api/plugins')) as Array<{ id: string; state: string; error: { code: string } | null }>;
      assert.is(plugins.find((p) => p.id === 'broken')!.error!.code, 'TSR_PLUGIN_LOAD_FAILED');
      assert.equal(json(await second.app.inject('/api/host')).configWarnings.map((w: { code: string }) => w.code), ['TSR_CONFIG_UNKNOWN_PLUGIN']);
      const r = await second.app.inject({ method: 'POST', url: '/api/inspections', payload: { deviceId: DEVICE } });
      assert.is(r.statusCode, 201);
    } finally {
      await second.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an invalid configuration file stops the start with TSR_CONFIG_INVALID and is left untouched', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-local-test-'));
  try {
    const text = JSON.stringify({ plugins: { disabled: 'all' } });
    await writeFile(path.join(dir, 'tessera.config.json'), text);
    try {
      await startLocalHost({ dataDir: dir, port: 0, logger: silent });
      assert.unreachable();
    } catch (error) {
      assert.is((error as { code: string }).code, 'TSR_CONFIG_INVALID');
      assert.match((error as Error).message, /plugins\.disabled/);
    }
    assert.is(await readFile(path.join(dir, 'tessera.config.json'), 'utf8'), text);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('stored inspections survive a restart on the same data folder', async () => {
  const count = json(await host.app.inject('/api/inspections?limit=500')).length;
  assert.ok(count > 0);
  const dir = dataDir;
  await host.close();
  host = await startLocalHost({ dataDir: dir, port: 0, logger: silent });
  assert.is(json(await host.app.inject('/api/inspections?limit=500')).length, count);
});

test.run();
