// The database results over HTTP: a connector that could not check is queried again (retry), and a hit
// gets the issuing country's confirmation recorded — each stored with the inspection, audit-logged, and
// every misuse answered with its own code. The example lost-documents connector produces the results:
// its list file is missing at first (not checked), then written (hit).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@tessera/core';
import { startLocalHost, type LocalHost } from '../local-host.js';

const EXAMPLE_CONNECTOR = fileURLToPath(new URL('../../../../examples/lost-documents-connector/', import.meta.url));
const CONNECTOR = 'example.lost-documents';
const DEVICE = 'simulator:fpr-1';
/** The simulator's genuine TD3 specimen, as its MRZ reads. */
const GENUINE_TD3 = { documentNumber: 'UP4821937', issuingState: 'UTO' };

let host: LocalHost;
let dataDir: string;
let listFile: string;

const json = (r: { body: string }) => JSON.parse(r.body);

async function startHost() {
  return startLocalHost({
    dataDir,
    port: 0,
    logger: createLogger({ level: 'silent' }),
    // The built-in connectors are off: these tests are about the screens and routes, not those databases.
    config: { plugins: { folders: [EXAMPLE_CONNECTOR], disabled: ['interop-sltd', 'interop-national-lists'], config: { 'reader-simulator': { chip: false }, [CONNECTOR]: { listFile } } } },
  });
}

test.before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-interop-routes-'));
  listFile = path.join(dataDir, 'lost-documents.json');
  host = await startHost();
});
test.after(async () => {
  await host?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function scan(document: string): Promise<{ id: string; overall: string; interop: Array<{ connectorId: string; connectorName?: string; outcome: string; reason?: string; records: Array<{ status: string; reference?: string }> }> }> {
  const put = await host.app.inject({ method: 'PUT', url: `/api/devices/${encodeURIComponent(DEVICE)}/settings/document`, payload: { value: document } });
  assert.is(put.statusCode, 200, put.body);
  const r = await host.app.inject({ method: 'POST', url: '/api/inspections', payload: { deviceId: DEVICE }, headers: { 'x-tessera-officer': 'officer.scan' } });
  assert.is(r.statusCode, 201, r.body);
  return json(r);
}

const retry = (id: string, connector = CONNECTOR) => host.app.inject({ method: 'POST', url: `/api/inspections/${id}/interop/${encodeURIComponent(connector)}/retry`, headers: { 'x-tessera-officer': 'officer.retry' } });
const confirm = (id: string, body: unknown, connector = CONNECTOR) =>
  host.app.inject({ method: 'POST', url: `/api/inspections/${id}/interop/${encodeURIComponent(connector)}/confirmation`, payload: body as Record<string, unknown>, headers: { 'x-tessera-officer': 'officer.confirm' } });
const errorCode = (r: { body: string }) => json(r).error.code as string;

let inspectionId = '';

test('an unreadable list: the connector line is "not checked" with the reason, and the inspection is incomplete', async () => {
  const record = await scan('genuine-td3');
  inspectionId = record.id;
  const line = record.interop.find((r) => r.connectorId === CONNECTOR)!;
  assert.is(line.outcome, 'not_checked');
  assert.match(line.reason!, /could not be read/);
  assert.is(line.connectorName, 'Lost-documents list (example)');
  assert.is(record.overall, 'incomplete');
});

test('a result that is not a hit cannot be confirmed (409), and nothing is recorded', async () => {
  const r = await confirm(inspectionId, { outcome: 'confirmed', reference: 'X-1' });
  assert.is(r.statusCode, 409, r.body);
  assert.is(errorCode(r), 'TSR_HIT_CONFIRMATION_NOT_A_HIT');
  assert.equal(json(await host.app.inject(`/api/inspections/${inspectionId}`)).hitConfirmations, []);
});

test('retry after the list is back: the line becomes a hit, the overall status fails, and the retry is audit-logged', async () => {
  await writeFile(listFile, JSON.stringify([{ ...GENUINE_TD3, status: 'stolen', reference: 'UTO-2026-000777', reportingCountry: 'UTO' }]));
  const r = await retry(inspectionId);
  assert.is(r.statusCode, 200, r.body);
  const record = json(r);
  const line = record.interop.find((x: { connectorId: string }) => x.connectorId === CONNECTOR);
  assert.is(line.outcome, 'hit');
  assert.equal(line.records.map((x: { status: string; reference: string }) => `${x.status}:${x.reference}`), ['stolen:UTO-2026-000777']);
  assert.is(record.overall, 'fail');
  // Stored, not only answered: a later read and the history search agree.
  assert.is(json(await host.app.inject(`/api/inspections/${inspectionId}`)).interop[0].outcome, 'hit');
  assert.is(json(await host.app.inject('/api/inspections?documentNumber=UP4821937')).find((i: { id: string }) => i.id === inspectionId).overall, 'fail');
  const audit = json(await host.app.inject(`/api/audit?subject=${inspectionId}`)) as Array<{ action: string; actor: string; details: { connector?: string; outcome?: string } }>;
  const retried = audit.find((a) => a.action === 'interop.retry');
  assert.ok(retried, JSON.stringify(audit.map((a) => a.action)));
  assert.is(retried!.actor, 'officer.retry');
  assert.equal([retried!.details.connector, retried!.details.outcome], [CONNECTOR, 'hit']);
  assert.ok(audit.some((a) => a.action === 'interop.query' && a.actor === 'officer.retry' && a.details.outcome === 'hit'), 'the query itself is logged too');
});

test('a hit is not queried again: retry answers 409', async () => {
  const r = await retry(inspectionId);
  assert.is(r.statusCode, 409, r.body);
  assert.is(errorCode(r), 'TSR_INTEROP_NOT_RETRYABLE');
});

test('bad confirmations get specific errors: unknown outcome, missing reference, unknown inspection, unknown connector, too long', async () => {
  const invalidOutcome = await confirm(inspectionId, { outcome: 'maybe', reference: 'X' });
  assert.is(invalidOutcome.statusCode, 400, invalidOutcome.body);
  assert.is(errorCode(invalidOutcome), 'TSR_REQUEST_INVALID');
  assert.match(json(invalidOutcome).error.message, /outcome/);

  const noReference = await confirm(inspectionId, { outcome: 'confirmed', reference: '   ' });
  assert.is(noReference.statusCode, 422, noReference.body);
  assert.is(errorCode(noReference), 'TSR_HIT_CONFIRMATION_INVALID');
  assert.match(json(noReference).error.message, /reference/);

  const unknownInspection = await confirm('00000000-0000-0000-0000-000000000000', { outcome: 'pending' });
  assert.is(unknownInspection.statusCode, 404);
  assert.is(errorCode(unknownInspection), 'TSR_INSPECTION_NOT_FOUND');

  const unknownConnector = await confirm(inspectionId, { outcome: 'pending' }, 'no.such-connector');
  assert.is(unknownConnector.statusCode, 404);
  assert.is(errorCode(unknownConnector), 'TSR_INTEROP_RESULT_NOT_FOUND');
  assert.match(json(unknownConnector).error.hint, /example\.lost-documents/);

  const unknownRetry = await retry('00000000-0000-0000-0000-000000000000');
  assert.is(unknownRetry.statusCode, 404);
  assert.is(errorCode(unknownRetry), 'TSR_INSPECTION_NOT_FOUND');

  const tooLong = await confirm(inspectionId, { outcome: 'pending', note: 'x'.repeat(2001) });
  assert.is(tooLong.statusCode, 400);

  assert.equal(json(await host.app.inject(`/api/inspections/${inspectionId}`)).hitConfirmations, [], 'no bad request left an entry');
});

test('pending, then confirmed: both entries are kept in order with officer, time, reference and note, and audit-logged', async () => {
  const pending = await confirm(inspectionId, { outcome: 'pending', note: 'Asked UTO NCB by phone.' });
  assert.is(pending.statusCode, 201, pending.body);
  const confirmed = await confirm(inspectionId, { outcome: 'confirmed', reference: ' UTO-NCB-2026-55 ', note: 'Confirmed stolen; hold the document.' });
  assert.is(confirmed.statusCode, 201, confirmed.body);
  const entries = json(confirmed).hitConfirmations as Array<{ connectorId: string; outcome: string; officer: string; recordedAt: string; reference: string; note: string }>;
  assert.equal(entries.map((e) => [e.connectorId, e.outcome, e.officer, e.reference, e.note]), [
    [CONNECTOR, 'pending', 'officer.confirm', '', 'Asked UTO NCB by phone.'],
    [CONNECTOR, 'confirmed', 'officer.confirm', 'UTO-NCB-2026-55', 'Confirmed stolen; hold the document.'],
  ]);
  assert.ok(entries.every((e) => !Number.isNaN(Date.parse(e.recordedAt))));
  const audit = json(await host.app.inject(`/api/audit?action=interop.hit-confirmation&subject=${inspectionId}`)) as Array<{ actor: string; details: { outcome: string; reference: string } }>;
  assert.equal(audit.map((a) => `${a.actor}:${a.details.outcome}:${a.details.reference}`), ['officer.confirm:confirmed:UTO-NCB-2026-55', 'officer.confirm:pending:']);
  // The report model carries the confirmations and the connector's name for the templates.
  const model = await host.kernel.inspections.reportModel(inspectionId, { locale: 'en', officer: 'x' });
  assert.is(model.hitConfirmations?.length, 2);
  assert.is(model.interop[0]!.connectorName, 'Lost-documents list (example)');
});

test('a no-hit result cannot be confirmed either', async () => {
  const record = await scan('genuine-td1');
  assert.is(record.interop[0]!.outcome, 'no_hit');
  const r = await confirm(record.id, { outcome: 'not_confirmed', reference: 'X-2' });
  assert.is(r.statusCode, 409);
  assert.is(errorCode(r), 'TSR_HIT_CONFIRMATION_NOT_A_HIT');
  const again = await retry(record.id);
  assert.is(errorCode(again), 'TSR_INTEROP_NOT_RETRYABLE');
});

test('confirmations are in the host database: they survive a restart on the same data folder', async () => {
  await host.close();
  host = await startHost();
  const record = json(await host.app.inject(`/api/inspections/${inspectionId}`));
  assert.equal(record.hitConfirmations.map((e: { outcome: string }) => e.outcome), ['pending', 'confirmed']);
  assert.is(record.interop[0].outcome, 'hit');
});

test('the routes are in the OpenAPI description', async () => {
  const paths = json(await host.app.inject('/docs/json')).paths;
  assert.ok(paths['/api/inspections/{id}/interop/{connectorId}/retry']?.post);
  assert.equal(paths['/api/inspections/{id}/interop/{connectorId}/confirmation']?.post.requestBody.content['application/json'].schema.properties.outcome.enum, ['confirmed', 'not_confirmed', 'pending']);
});

test.run();
