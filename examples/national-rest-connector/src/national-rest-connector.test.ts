// The example connector against a tiny national service run inside the test (node:http on
// 127.0.0.1): the SDK's conformance suite, then the service's failure modes, then the plugin loaded
// from its folder into a test host.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { interopConnectorConformance, startTestHost } from '@tessera/sdk/testing';
import { NationalRestConnector } from './national-rest-connector.js';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'test-token';
const STOLEN: Record<string, { status: string; reference: string }> = { 'UTO/L898902C3': { status: 'stolen', reference: 'UTO-2026-000123' } };
const seen: Array<{ url: string; actor?: string; purpose?: string }> = [];

/** The service: documents by number and state; special numbers make it fail in the ways real ones do. */
const server: Server = createServer((req, res) => {
  const url = new URL(req.url!, 'http://localhost');
  seen.push({ url: req.url!, actor: req.headers['x-actor'] as string, purpose: req.headers['x-purpose'] as string });
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end();
  const number = url.searchParams.get('number');
  if (number === 'BOOM') return void res.writeHead(500).end('internal error');
  if (number === 'GARBLED') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"matches": [');
  if (number === 'SHAPELESS') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"hits": []}');
  if (number === 'SLOW') return void setTimeout(() => res.writeHead(200).end('{"matches":[]}'), 1500);
  const match = STOLEN[`${url.searchParams.get('issuingState')}/${number}`];
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ matches: match ? [match] : [] }));
});
const listening = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`)));
const connector = async (overrides: { token?: string; timeoutMs?: number } = {}) => new NationalRestConnector({ baseUrl: await listening, token: TOKEN, timeoutMs: 500, ...overrides });
const context = { actor: 'officer.k', purpose: 'border-control', signal: new AbortController().signal };

interopConnectorConformance({
  name: 'example national REST service',
  create: () => connector(),
  // Port 9 (discard) on the loopback: nothing listens there.
  createUnreachable: () => new NationalRestConnector({ baseUrl: 'http://127.0.0.1:9/api/v1', token: TOKEN, timeoutMs: 500 }),
  knownHit: { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'P' },
  knownMiss: { documentNumber: 'X00000000', issuingState: 'UTO', documentType: 'P' },
}).run();

test('a hit carries the record; the service is told who asks and why', async () => {
  const result = await (await connector()).queryDocument({ documentNumber: 'L898902C3', issuingState: 'UTO' }, context);
  assert.equal(result.records, [{ status: 'stolen', reference: 'UTO-2026-000123', score: 1 }]);
  const last = seen.at(-1)!;
  assert.match(last.url, /^\/api\/v1\/documents\?number=L898902C3&issuingState=UTO$/);
  assert.equal([last.actor, last.purpose], ['officer.k', 'border-control']);
});

test('refused token, HTTP 500, broken JSON, a wrong shape and a slow answer are not_checked with the reason', async () => {
  const reason = async (documentNumber: string, overrides: { token?: string } = {}) => {
    const result = await (await connector(overrides)).queryDocument({ documentNumber, issuingState: 'UTO' }, context);
    assert.is(result.outcome, 'not_checked');
    return result.reason!;
  };
  assert.match(await reason('L898902C3', { token: 'wrong' }), /refused the workstation's token \(HTTP 401\)/);
  assert.match(await reason('BOOM'), /answered HTTP 500/);
  assert.match(await reason('GARBLED'), /not JSON/);
  assert.match(await reason('SHAPELESS'), /without a "matches" list/);
  assert.match(await reason('SLOW'), /did not answer within 500 ms/);
});

test('loaded from its folder with the token from the environment; a missing baseUrl fails the plugin', async () => {
  process.env.EXAMPLE_NATIONAL_TOKEN = TOKEN;
  const host = await startTestHost({ pluginFolders: [PLUGIN_DIR], config: { plugins: { config: { 'example.national-rest': { baseUrl: await listening, tokenEnv: 'EXAMPLE_NATIONAL_TOKEN' } } } } });
  try {
    assert.is(host.plugin('example.national-rest').state, 'started');
    const loaded = host.kernel.registry.get('connectors', 'example.national-rest')!.item;
    assert.is((await loaded.queryDocument!({ documentNumber: 'L898902C3', issuingState: 'UTO' }, context)).outcome, 'hit');
  } finally {
    await host.stop();
  }
  const unconfigured = await startTestHost({ pluginFolders: [PLUGIN_DIR] });
  assert.is(unconfigured.plugin('example.national-rest').error?.code, 'TSR_PLUGIN_CONFIG_INVALID');
  await unconfigured.stop();
});

test.after(() => {
  server.closeAllConnections();
  server.close();
});

test.run();
