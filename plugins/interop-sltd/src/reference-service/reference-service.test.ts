// The reference service itself over HTTP: credentials, request validation, fault injection through
// the admin API (limited to N requests), snapshot and delta files readable by the offline reader,
// and the data set (demo records with every status, no generated record shadowing them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSltdFile, type SltdFileHeader } from '../offline/snapshot-files.js';
import { DEMO_RECORDS, DEMO_UNLISTED } from './demo-records.js';
import { parseFaultOption } from './faults.js';
import { ReferenceDataSet } from './reference-data.js';
import { documentTypeMatches } from '../online/sltd-protocol.js';
import { startReferenceService, type ReferenceService } from './reference-server.js';

const KEY = 'reference-test-key';
let service: ReferenceService;
let TMP = '';

const search = (body: unknown, headers: Record<string, string> = { 'x-api-key': KEY }) =>
  fetch(`${service.url}/v1/documents/search`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

test.before(async () => {
  service = await startReferenceService({ records: 3000, seed: 11, apiKey: KEY });
  TMP = await mkdtemp(path.join(tmpdir(), 'tessera-sltd-reference-'));
});
test.after(async () => {
  await service.close();
  await rm(TMP, { recursive: true, force: true });
});

test('search needs credentials; health does not', async () => {
  assert.is((await search(DEMO_UNLISTED, {})).status, 401);
  assert.is((await search(DEMO_UNLISTED, { authorization: 'Bearer nope' })).status, 401);
  assert.is((await search(DEMO_UNLISTED, { authorization: `Bearer ${KEY}` })).status, 200);
  assert.is((await fetch(`${service.url}/v1/health`)).status, 200);
});

test('a malformed search is 400, not "no hit"', async () => {
  const response = await search({ documentNumber: 'X1' });
  assert.is(response.status, 400);
  assert.is((await search({ documentNumber: '', issuingState: 'UTO' })).status, 400);
});

test('faults set through the admin API hit the next N searches, then clear; the admin API needs credentials', async () => {
  const put = (body: unknown, key = KEY) => fetch(`${service.url}/admin/fault`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
  assert.is((await put({ kind: 'status', status: 503 }, 'wrong')).status, 401);
  assert.is((await put({ kind: 'explode' })).status, 400);
  assert.is((await put({ kind: 'status', status: 503, times: 2, retryAfterSeconds: 3 })).status, 204);
  const first = await search(DEMO_UNLISTED);
  assert.is(first.status, 503);
  assert.is(first.headers.get('retry-after'), '3');
  assert.is((await search(DEMO_UNLISTED)).status, 503);
  assert.is((await search(DEMO_UNLISTED)).status, 200);
  assert.is((await fetch(`${service.url}/v1/health`)).status, 200, 'health is never faulted');
  assert.is((await put({ kind: 'malformed' })).status, 204);
  assert.is(await (await search(DEMO_UNLISTED)).text(), '{"outcome":"no_hit","records":[');
  assert.is((await fetch(`${service.url}/admin/fault`, { method: 'DELETE', headers: { 'x-api-key': KEY } })).status, 204);
  assert.is((await search(DEMO_UNLISTED)).status, 200);
  const stats = (await (await fetch(`${service.url}/admin/stats`, { headers: { 'x-api-key': KEY } })).json()) as { faultsInjected: number };
  assert.is(stats.faultsInjected, 3);
});

test('a dropped connection reaches the client as a socket error', async () => {
  service.setFault({ kind: 'drop', times: 1 });
  try {
    await search(DEMO_UNLISTED);
    assert.unreachable('the connection should have been dropped');
  } catch (error) {
    assert.instance(error, TypeError);
  }
});

test('the snapshot is a file the offline reader accepts, with every record; the deltas follow the sequence', async () => {
  const read = async (response: Response) => {
    const file = path.join(TMP, `${Math.random()}.gz`);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    const lines: unknown[] = [];
    let header: SltdFileHeader | undefined;
    await readSltdFile(file, { onHeader: (h) => (header = h), onLine: (v) => lines.push(v) });
    return { header: header!, lines };
  };
  const snapshot = await read(await fetch(`${service.url}/v1/snapshot`, { headers: { 'x-api-key': KEY } }));
  assert.is(snapshot.header.kind, 'snapshot');
  assert.is(snapshot.header.sequence, service.dataSet.sequence);
  assert.is(snapshot.lines.length, 3000 + DEMO_RECORDS.length);
  assert.is((await fetch(`${service.url}/v1/deltas?after=${service.dataSet.sequence}`, { headers: { 'x-api-key': KEY } })).status, 204);
  assert.is((await fetch(`${service.url}/v1/deltas?after=-1`, { headers: { 'x-api-key': KEY } })).status, 400);

  const base = service.dataSet.sequence;
  service.dataSet.apply([{ op: 'status', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'P', status: 'lost' }]);
  service.dataSet.apply([{ op: 'remove', documentNumber: 'D23145890734', issuingState: 'UTO', documentType: 'I' }]);
  const delta = await read(await fetch(`${service.url}/v1/deltas?after=${base}`, { headers: { 'x-api-key': KEY } }));
  assert.equal([delta.header.kind, (delta.header as { baseSequence: number }).baseSequence, delta.header.sequence], ['delta', base, base + 2]);
  assert.is(delta.lines.length, 2);
  const answer = (await (await search({ documentNumber: 'L898902C3', issuingState: 'UTO' })).json()) as { records: Array<{ status: string }> };
  assert.is(answer.records[0]!.status, 'lost');
  assert.is(((await (await search({ documentNumber: 'D23145890734', issuingState: 'UTO' })).json()) as { outcome: string }).outcome, 'no_hit');
});

test('--fault values parse, and bad ones are refused with the expected form', () => {
  assert.equal(parseFaultOption('delay:3000'), { kind: 'delay', delayMs: 3000 });
  assert.equal(parseFaultOption('status:503x2'), { kind: 'status', status: 503, times: 2 });
  assert.equal(parseFaultOption('drop'), { kind: 'drop' });
  assert.equal(parseFaultOption('slow-body:500'), { kind: 'slow-body', delayMs: 500 });
  for (const bad of ['status', 'status:200', 'delay', 'explode', 'delay:abc']) {
    assert.throws(() => parseFaultOption(bad), (e: { code?: string }) => e.code === 'SLTD_REFERENCE_FAULT_INVALID', bad);
  }
});

test('the demo records cover every status; generated records never take the UTO demo numbers', () => {
  assert.equal(new Set(DEMO_RECORDS.map((r) => r.status)).size, 5);
  const data = ReferenceDataSet.generate({ seed: 1, count: 20_000 });
  assert.is(data.size, 20_000 + DEMO_RECORDS.length);
  assert.is([...data.records()].filter((r) => r.issuingState === 'UTO').length, DEMO_RECORDS.length);
  assert.is(data.search(DEMO_UNLISTED).length, 0);
});

test('document types match by their first letter (P and PD are both passports); no type matches any', () => {
  assert.ok(documentTypeMatches('PD', 'P'));
  assert.ok(documentTypeMatches('I', 'ID'));
  assert.ok(documentTypeMatches('P', 'P<'));
  assert.ok(documentTypeMatches('I', undefined));
  assert.not.ok(documentTypeMatches('I', 'P'));
});

test('the service refuses to start on a taken port, with its own code', async () => {
  try {
    await startReferenceService({ port: service.port, records: 0 });
    assert.unreachable('the port is taken');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'SLTD_REFERENCE_PORT_IN_USE');
  }
});

test.run();
