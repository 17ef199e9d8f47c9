// The `tessera sltd` commands. `tessera sltd serve` runs as a spawned CLI process, as an operator
// starts it; `sync`, `import` and `status` run in-process against it over HTTP and fill a real offline
// copy in a temporary data folder, which the connector then answers from — before and after a delta —
// and which the plugin, loaded into a test host in online-then-offline mode, falls back to.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandIo, InteropQueryContext } from '@tessera/sdk';
import { startTestHost } from '@tessera/sdk/testing';
import { DEMO_RECORDS, DEMO_UNLISTED } from '../reference-service/demo-records.js';
import { startReferenceService } from '../reference-service/reference-server.js';
import { OfflineCopy } from '../offline-copy.js';
import { SltdConnector } from '../sltd-connector.js';
import { readSettings } from '../sltd-settings.js';
import { createSltdCommand, type SltdCommandContext } from './sltd-commands.js';
import type { SltdCommandId } from './command-texts.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = path.join(ROOT, 'hosts/cli/bin/tessera.mjs');
const PLUGIN_DIR = fileURLToPath(new URL('../..', import.meta.url));
const API_KEY = 'spawned-service-key';

let TMP = '';
let serveProcess: ChildProcessWithoutNullStreams | undefined;
let serviceUrl = '';

function context(overrides: Partial<SltdCommandContext> = {}): SltdCommandContext {
  return { settings: readSettings({}), pluginDataDir: '', pluginId: 'interop-sltd', env: { TESSERA_DATA: path.join(TMP, 'unused-default') }, ...overrides };
}

async function run(id: SltdCommandId, args: string[], ctx = context()): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { stdin: null, stdinIsTTY: false, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
  const code = await createSltdCommand(id, ctx).run(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const queryContext = (): InteropQueryContext => ({ actor: 'officer-7', purpose: 'border-control', signal: new AbortController().signal });

test.before(async () => {
  TMP = await mkdtemp(path.join(tmpdir(), 'tessera-sltd-commands-'));
});
test.after(async () => {
  serveProcess?.kill('SIGKILL');
  await rm(TMP, { recursive: true, force: true });
});

test('`tessera sltd serve` runs as its own process and prints where it listens; OpenAPI and health answer', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, TESSERA_DATA: path.join(TMP, 'no-data-folder') };
  delete env.NODE_OPTIONS;
  serveProcess = spawn(process.execPath, [BIN, 'sltd', 'serve', '--port', '0', '--records', '300', '--seed', '9', '--api-key', API_KEY], { cwd: ROOT, env, stdio: 'pipe' });
  let stdout = '';
  serviceUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line within 60 s; stdout: ${stdout}`)), 60_000);
    serveProcess!.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const match = /SLTD reference service listening on (http:\/\/127\.0\.0\.1:\d+) \((\d+) records, seed 9, API key spawned-service-key\)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        assert.is(Number(match[2]), 300 + DEMO_RECORDS.length);
        resolve(match[1]!);
      }
    });
    serveProcess!.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening; stdout: ${stdout}`)));
  });
  const health = (await (await fetch(`${serviceUrl}/v1/health`)).json()) as { status: string; records: number };
  assert.equal([health.status, health.records], ['ok', 300 + DEMO_RECORDS.length]);
  const openapi = (await (await fetch(`${serviceUrl}/docs/json`)).json()) as { paths: Record<string, unknown> };
  assert.ok(openapi.paths['/v1/documents/search'] && openapi.paths['/v1/snapshot'] && openapi.paths['/v1/deltas']);
  assert.is((await fetch(`${serviceUrl}/docs/`)).status, 200, 'the Swagger UI is served from the package, offline');
});

test('status before any import: exit 1 and how to get a copy', async () => {
  const r = await run('sltd status', ['--data', path.join(TMP, 'data')]);
  assert.is(r.code, 1);
  assert.match(r.stdout, /No offline SLTD copy imported yet in .*plugins\/interop-sltd\/offline/);
  assert.match(r.stdout, /tessera sltd sync --from URL/);
});

test('sync with wrong credentials: exit 1 with the code, and nothing imported', async () => {
  const r = await run('sltd sync', ['--from', serviceUrl, '--api-key', 'wrong', '--data', path.join(TMP, 'data')]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /^error SLTD_ONLINE_CREDENTIALS_REJECTED: .*HTTP 401/);
  assert.is((await run('sltd status', ['--data', path.join(TMP, 'data')])).code, 1);
});

test('sync into an empty copy downloads the snapshot; the connector then answers every status offline', async () => {
  const data = path.join(TMP, 'data');
  const r = await run('sltd sync', ['--from', serviceUrl, '--api-key', API_KEY, '--data', data]);
  assert.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { action: string; records: number; dir: string; sequence: number };
  assert.is(result.action, 'snapshot');
  assert.is(result.records, 300 + DEMO_RECORDS.length);
  assert.is(result.dir, path.join(data, 'plugins', 'interop-sltd', 'offline'));

  const copy = new OfflineCopy(result.dir, { recheckMs: 0, closeDelayMs: 0 });
  const connector = new SltdConnector({ mode: 'offline', offline: () => copy.get(), maxAgeHours: 48 });
  for (const record of DEMO_RECORDS) {
    const answer = await connector.queryDocument(record, queryContext());
    assert.is(answer.outcome, 'hit', record.documentNumber);
    assert.is(answer.records[0]!.status, record.status);
    assert.ok(answer.dataAsOf);
  }
  assert.is((await connector.queryDocument(DEMO_UNLISTED, queryContext())).outcome, 'no_hit');
  assert.is((await connector.queryDocument({ documentNumber: 'D23145890734', issuingState: 'UTO', documentType: 'ID' }, queryContext())).outcome, 'hit', 'I and ID are both identity cards');

  const again = await run('sltd sync', ['--from', serviceUrl, '--api-key', API_KEY, '--data', data]);
  assert.is(JSON.parse(again.stdout).action, 'current', 'nothing new: 204, no download');

  // The service reports a new theft: the next sync fetches only the delta, and the running copy sees it.
  const added = { documentNumber: 'UP4821937', issuingState: 'UTO', documentType: 'P', status: 'stolen', reportingCountry: 'UTO', reportedOn: '2026-01-05' };
  const change = await fetch(`${serviceUrl}/admin/changes`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify({ changes: [{ op: 'add', record: added }, { op: 'status', documentNumber: 'UP1937462', issuingState: 'UTO', documentType: 'P', status: 'revoked' }] }) });
  assert.is(change.status, 200);
  const delta = await run('sltd sync', ['--from', serviceUrl, '--api-key', API_KEY, '--data', data]);
  assert.is(delta.code, 0, delta.stderr);
  const afterDelta = JSON.parse(delta.stdout) as { action: string; records: number; sequence: number; deltasApplied: number };
  assert.is(afterDelta.action, 'delta');
  assert.is(afterDelta.records, 300 + DEMO_RECORDS.length + 1);
  assert.is(afterDelta.sequence, result.sequence + 1);
  assert.is(afterDelta.deltasApplied, 1);
  assert.is((await connector.queryDocument(DEMO_UNLISTED, queryContext())).outcome, 'hit');
  assert.is((await connector.queryDocument({ documentNumber: 'UP1937462', issuingState: 'UTO' }, queryContext())).records[0]!.status, 'revoked');
  await copy.close();

  const status = await run('sltd status', ['--data', data, '--json']);
  assert.is(status.code, 0);
  const info = JSON.parse(status.stdout) as { imported: boolean; records: number; stale: boolean; ageHours: number };
  assert.equal([info.imported, info.records, info.stale], [true, 300 + DEMO_RECORDS.length + 1, false]);
  assert.ok(info.ageHours < 1);
  const text = await run('sltd status', ['--data', data]);
  assert.match(text.stdout, /records\s+306\n/);
  assert.match(text.stdout, /state\s+current \(limit 48 h\)/);
});

test('the plugin in a host, online-then-offline with the service down: the synced copy answers, and says it is the fallback', async () => {
  const offlineDir = path.join(TMP, 'data', 'plugins', 'interop-sltd', 'offline');
  const down = await startReferenceService({ records: 0 });
  await down.close();
  const host = await startTestHost({
    pluginFolders: [PLUGIN_DIR],
    config: { plugins: { config: { 'interop-sltd': { mode: 'online-then-offline', endpoint: down.url, apiKey: API_KEY, retries: 0, offlineDataDir: offlineDir } } } },
  });
  try {
    assert.is(host.plugin('interop-sltd').state, 'started');
    const sltd = host.kernel.registry.get('connectors', 'sltd')!.item;
    const result = await sltd.queryDocument!({ documentNumber: 'UP8402513', issuingState: 'UTO', documentType: 'P' }, queryContext());
    assert.is(result.outcome, 'hit');
    assert.is(result.records[0]!.status, 'stolen');
    assert.ok(result.dataAsOf);
    assert.match(result.reason!, /^Online SLTD unavailable \(SLTD service unreachable \(connection refused\).*\); answered from the offline copy of /);
  } finally {
    await host.stop();
  }
});

test('import FILE and import --delta; a damaged file fails with its code and leaves the copy answering', async () => {
  const data = path.join(TMP, 'data-import');
  const snapshotFile = path.join(TMP, 'snapshot.gz');
  await writeFile(snapshotFile, Buffer.from(await (await fetch(`${serviceUrl}/v1/snapshot`, { headers: { authorization: `Bearer ${API_KEY}` } })).arrayBuffer()));
  const imported = await run('sltd import', [snapshotFile, '--data', data]);
  assert.is(imported.code, 0, imported.stderr);
  const info = JSON.parse(imported.stdout) as { records: number; sequence: number };
  assert.is(info.records, 300 + DEMO_RECORDS.length + 1);
  assert.match(imported.stderr, /records imported: 306 of 306 \(100 %\)/);

  await writeFile(path.join(TMP, 'broken.gz'), 'this is not gzip');
  const broken = await run('sltd import', [path.join(TMP, 'broken.gz'), '--data', data]);
  assert.is(broken.code, 1);
  assert.match(broken.stderr, /^error SLTD_FILE_\w+:/);
  assert.is(JSON.parse((await run('sltd status', ['--data', data, '--json'])).stdout).records, 306, 'the previous copy is intact');

  // A delta for a sequence the copy is not at is refused.
  const change = await fetch(`${serviceUrl}/admin/changes`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify({ changes: [{ op: 'remove', documentNumber: 'UP4821937', issuingState: 'UTO', documentType: 'P' }] }) });
  assert.is(change.status, 200);
  const deltaFile = path.join(TMP, 'delta.gz');
  const response = await fetch(`${serviceUrl}/v1/deltas?after=${info.sequence}`, { headers: { 'x-api-key': API_KEY } });
  assert.is(response.status, 200);
  await writeFile(deltaFile, Buffer.from(await response.arrayBuffer()));
  const applied = await run('sltd import', [deltaFile, '--delta', '--data', data]);
  assert.is(applied.code, 0, applied.stderr);
  assert.is(JSON.parse(applied.stdout).records, 305);
  const twice = await run('sltd import', [deltaFile, '--delta', '--data', data]);
  assert.is(twice.code, 1);
  assert.match(twice.stderr, /^error SLTD_DELTA_OUT_OF_SEQUENCE:/);
});

test('the service answers 410 for a sequence it never issued, and sync then fetches a new snapshot', async () => {
  const response = await fetch(`${serviceUrl}/v1/deltas?after=5`, { headers: { 'x-api-key': API_KEY } });
  assert.is(response.status, 410);
  // A copy synced from another run of the service (other data, other sequence numbers).
  const other = await startReferenceService({ records: 50, seed: 2, apiKey: API_KEY, dataAsOf: new Date('2026-01-01T00:00:00Z') });
  const data = path.join(TMP, 'data-410');
  try {
    assert.is((await run('sltd sync', ['--from', other.url, '--api-key', API_KEY, '--data', data])).code, 0);
  } finally {
    await other.close();
  }
  const r = await run('sltd sync', ['--from', serviceUrl, '--api-key', API_KEY, '--data', data]);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).action, 'snapshot');
  assert.is(JSON.parse(r.stdout).records, 305);
});

test('a stale copy: status exits 1 and says STALE', async () => {
  const data = path.join(TMP, 'data-stale');
  const old = await startReferenceService({ records: 10, seed: 4, apiKey: null, dataAsOf: new Date(Date.now() - 72 * 3_600_000) });
  try {
    assert.is((await run('sltd sync', ['--from', old.url, '--data', data])).code, 0);
  } finally {
    await old.close();
  }
  const r = await run('sltd status', ['--data', data]);
  assert.is(r.code, 1);
  assert.match(r.stdout, /data as of .* \(3 d 0 h old\)/);
  assert.match(r.stdout, /STALE: older than the 48 h limit/);
  const lenient = await run('sltd status', ['--data', data], context({ settings: readSettings({ maxAgeHours: 100 }) }));
  assert.is(lenient.code, 0);
});

test('usage errors exit 2 with the usage; an unreachable service exits 1 with the code', async () => {
  assert.is((await run('sltd import', ['--data', TMP])).code, 2);
  assert.is((await run('sltd import', ['a', 'b'])).code, 2);
  assert.is((await run('sltd status', ['--bogus'])).code, 2);
  const noFrom = await run('sltd sync', []);
  assert.is(noFrom.code, 2);
  assert.match(noFrom.stderr, /--from URL is missing/);
  assert.is((await run('sltd sync', ['--from', 'not a url'])).code, 2);
  assert.is((await run('sltd serve', ['--no-auth', '--api-key', 'x'])).code, 2);
  const badPort = await run('sltd serve', ['--port', '99999']);
  assert.is(badPort.code, 1);
  assert.match(badPort.stderr, /^error SLTD_REFERENCE_OPTION_INVALID: --port must be/);
  const badFault = await run('sltd serve', ['--fault', 'status']);
  assert.match(badFault.stderr, /^error SLTD_REFERENCE_FAULT_INVALID/);
  const closed = await startReferenceService({ records: 0 });
  const closedUrl = closed.url;
  await closed.close();
  const unreachable = await run('sltd sync', ['--from', closedUrl, '--data', path.join(TMP, 'data-x')]);
  assert.is(unreachable.code, 1);
  assert.match(unreachable.stderr, /^error SLTD_ONLINE_UNREACHABLE: .*could not be reached \(connection refused\)/);
});

test('`tessera sltd serve` stops cleanly on SIGTERM with exit 0', async () => {
  const exited = new Promise<number | null>((resolve) => serveProcess!.once('exit', (code) => resolve(code)));
  let stdout = '';
  serveProcess!.stdout.on('data', (d: string) => (stdout += d));
  serveProcess!.kill('SIGTERM');
  assert.is(await exited, 0);
  assert.match(stdout, /SLTD reference service stopped/);
  serveProcess = undefined;
});

test.run();
