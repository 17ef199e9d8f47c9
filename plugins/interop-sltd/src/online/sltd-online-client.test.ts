// The online client against the reference service over real HTTP on 127.0.0.1: answers, credentials,
// every injected fault (slow, 5xx, garbage, dropped and refused connections) with the retries each
// deserves — counted on the service's side — and the circuit breaker opening and closing again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import { isTesseraError, type TesseraError } from '@tessera/sdk';
import { startReferenceService, type ReferenceService } from '../reference-service/reference-server.js';
import { DEMO_RECORDS, DEMO_UNLISTED } from '../reference-service/demo-records.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { SltdOnlineClient, type SltdOnlineClientOptions } from './sltd-online-client.js';
import { SLTD_ONLINE_ERROR_CODES } from './online-errors.js';

const API_KEY = 'test-key-5e1f';
let service: ReferenceService;

function client(overrides: Partial<SltdOnlineClientOptions> = {}): SltdOnlineClient {
  return new SltdOnlineClient({
    endpoint: service.url,
    apiKey: API_KEY,
    // Generous: a loaded machine must not turn a plain query into a timeout; the timeout tests set their own.
    timeoutMs: 2000,
    retries: 2,
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    deadlineMs: 5000,
    breaker: new CircuitBreaker({ failureThreshold: 100, coolDownMs: 1000 }),
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<TesseraError> {
  try {
    await promise;
  } catch (error) {
    if (isTesseraError(error)) return error;
    throw error;
  }
  throw new Error('expected the search to fail');
}

/** Service-side search requests counted while `body` runs. */
async function requestsDuring(body: () => Promise<unknown>): Promise<number> {
  const before = service.stats().requests;
  await body();
  return service.stats().requests - before;
}

/** A port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const stolen = DEMO_RECORDS.find((r) => r.status === 'stolen')!;

test.before(async () => {
  service = await startReferenceService({ records: 2000, seed: 7, apiKey: API_KEY });
});
test.after(async () => {
  await service.close();
});
test.before.each(() => service.setFault(null));

test('a listed document is a hit with its record; the service names its data date and the search', async () => {
  const answer = await client().search({ documentNumber: stolen.documentNumber, issuingState: 'UTO', documentType: 'P' });
  assert.is(answer.outcome, 'hit');
  assert.equal(answer.records, [stolen]);
  assert.is(answer.attempts, 1);
  assert.ok(answer.searchId.length > 8);
  assert.is(answer.dataAsOf, service.dataSet.dataAsOf.toISOString());
});

test('every SLTD status comes through as the service holds it', async () => {
  const statuses = [];
  for (const record of DEMO_RECORDS) {
    const answer = await client().search({ documentNumber: record.documentNumber, issuingState: record.issuingState, documentType: record.documentType });
    assert.is(answer.outcome, 'hit', record.documentNumber);
    statuses.push(answer.records[0]!.status);
  }
  assert.equal(statuses.sort(), ['invalid', 'lost', 'revoked', 'stolen', 'stolen_blank']);
});

test('an unlisted document is no hit; a listed number under another state or document category is no hit either', async () => {
  assert.is((await client().search(DEMO_UNLISTED)).outcome, 'no_hit');
  assert.is((await client().search({ documentNumber: stolen.documentNumber, issuingState: 'D' })).outcome, 'no_hit');
  assert.is((await client().search({ documentNumber: stolen.documentNumber, issuingState: 'UTO', documentType: 'I' })).outcome, 'no_hit');
});

test('a generated record is found too (the data set is more than the demo records)', async () => {
  const record = [...service.dataSet.records()].find((r) => r.issuingState !== 'UTO')!;
  const answer = await client().search(record);
  assert.is(answer.outcome, 'hit');
  assert.is(answer.records[0]!.status, record.status);
});

test('a bearer token is accepted like the API key', async () => {
  const answer = await client({ apiKey: undefined, bearerToken: API_KEY }).search(DEMO_UNLISTED);
  assert.is(answer.outcome, 'no_hit');
});

test('wrong or missing credentials: rejected once, not retried, and the officer is told to call the administrator', async () => {
  let error!: TesseraError;
  const requests = await requestsDuring(async () => (error = await failure(client({ apiKey: 'wrong' }).search(DEMO_UNLISTED))));
  assert.is(error.code, 'SLTD_ONLINE_CREDENTIALS_REJECTED');
  assert.match(error.message, /credentials rejected \(HTTP 401\).*contact the system administrator/);
  assert.is(requests, 1);
  assert.is((await failure(client({ apiKey: undefined }).search(DEMO_UNLISTED))).code, 'SLTD_ONLINE_CREDENTIALS_REJECTED');
});

test('a slow answer within the timeout is a normal answer', async () => {
  service.setFault({ kind: 'delay', delayMs: 150 });
  const started = performance.now();
  const answer = await client({ timeoutMs: 3000 }).search({ documentNumber: stolen.documentNumber, issuingState: 'UTO' });
  assert.is(answer.outcome, 'hit');
  assert.ok(performance.now() - started >= 150);
});

test('an answer beyond the timeout: each attempt is cut at the timeout, retried, then TIMEOUT with the count', async () => {
  service.setFault({ kind: 'delay', delayMs: 800 });
  let error!: TesseraError;
  const started = performance.now();
  const requests = await requestsDuring(async () => (error = await failure(client({ timeoutMs: 200, retries: 2 }).search(DEMO_UNLISTED))));
  const elapsed = performance.now() - started;
  assert.is(error.code, 'SLTD_ONLINE_TIMEOUT');
  assert.match(error.message, /did not answer \(no answer within 200 ms\) after 3 attempts — document not checked; will retry/);
  assert.is(requests, 3);
  // Waiting out the 800 ms delay three times would take 2400 ms.
  assert.ok(elapsed >= 600 && elapsed < 2300, `3 attempts of 200 ms plus short backoffs, took ${elapsed} ms`);
});

test('a body that stalls half-way is a timeout too, not a half-read answer', async () => {
  service.setFault({ kind: 'slow-body', delayMs: 800 });
  const error = await failure(client({ timeoutMs: 200, retries: 0 }).search(DEMO_UNLISTED));
  assert.is(error.code, 'SLTD_ONLINE_TIMEOUT');
});

test('one 500 is retried and the retry answers', async () => {
  service.setFault({ kind: 'status', status: 500, times: 1 });
  let answer!: Awaited<ReturnType<SltdOnlineClient['search']>>;
  const requests = await requestsDuring(async () => (answer = await client().search({ documentNumber: stolen.documentNumber, issuingState: 'UTO' })));
  assert.is(answer.outcome, 'hit');
  assert.is(answer.attempts, 2);
  assert.is(requests, 2);
});

test('persistent 500s: every retry is used, then SERVER_ERROR naming the status', async () => {
  service.setFault({ kind: 'status', status: 500 });
  let error!: TesseraError;
  const requests = await requestsDuring(async () => (error = await failure(client({ retries: 3 }).search(DEMO_UNLISTED))));
  assert.is(error.code, 'SLTD_ONLINE_SERVER_ERROR');
  assert.match(error.message, /SLTD service failed \(HTTP 500\) after 4 attempts/);
  assert.is(requests, 4);
});

test("503 with Retry-After: the client waits at least that long before retrying", async () => {
  service.setFault({ kind: 'status', status: 503, retryAfterSeconds: 1, times: 1 });
  const started = performance.now();
  const answer = await client().search(DEMO_UNLISTED);
  assert.is(answer.outcome, 'no_hit');
  assert.ok(performance.now() - started >= 1000);
});

test('a retry that would not fit the overall deadline is not started', async () => {
  service.setFault({ kind: 'status', status: 503, retryAfterSeconds: 5 });
  let error!: TesseraError;
  const requests = await requestsDuring(async () => (error = await failure(client({ deadlineMs: 2000 }).search(DEMO_UNLISTED))));
  assert.is(error.code, 'SLTD_ONLINE_SERVER_ERROR');
  assert.is(requests, 1);
});

test('malformed JSON is BAD_RESPONSE, never "no hit", and is not retried', async () => {
  service.setFault({ kind: 'malformed' });
  let error!: TesseraError;
  const requests = await requestsDuring(async () => (error = await failure(client().search(DEMO_UNLISTED))));
  assert.is(error.code, 'SLTD_ONLINE_BAD_RESPONSE');
  assert.match(error.message, /unreadable answer \(the answer is not JSON\)/);
  assert.is(requests, 1);
});

test('a dropped connection is UNREACHABLE after the retries', async () => {
  service.setFault({ kind: 'drop' });
  let error!: TesseraError;
  const requests = await requestsDuring(async () => (error = await failure(client({ retries: 1 }).search(DEMO_UNLISTED))));
  assert.is(error.code, 'SLTD_ONLINE_UNREACHABLE');
  assert.match(error.message, /SLTD service unreachable \(.+\) after 2 attempts — document not checked; will retry on the next query/);
  assert.is(requests, 2);
});

test('a refused connection is UNREACHABLE with "connection refused"', async () => {
  const error = await failure(client({ endpoint: `http://127.0.0.1:${await closedPort()}`, retries: 1 }).search(DEMO_UNLISTED));
  assert.is(error.code, 'SLTD_ONLINE_UNREACHABLE');
  assert.match(error.message, /^SLTD service unreachable \(connection refused\) after 2 attempts/);
});

test('no endpoint: NOT_CONFIGURED, without any request', async () => {
  const error = await failure(client({ endpoint: undefined }).search(DEMO_UNLISTED));
  assert.is(error.code, 'SLTD_ONLINE_NOT_CONFIGURED');
  assert.match(error.message, /No SLTD endpoint configured/);
});

test("the caller's abort stops the query at once as ABORTED", async () => {
  service.setFault({ kind: 'delay', delayMs: 2000 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = performance.now();
  const error = await failure(client({ timeoutMs: 5000 }).search(DEMO_UNLISTED, controller.signal));
  assert.is(error.code, 'SLTD_ONLINE_ABORTED');
  assert.ok(performance.now() - started < 1000);
});

test('the breaker opens after N consecutive failures, then fails fast without asking the service', async () => {
  const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 60_000 });
  const c = client({ breaker, retries: 0 });
  service.setFault({ kind: 'status', status: 500 });
  for (let i = 0; i < 3; i++) assert.is((await failure(c.search(DEMO_UNLISTED))).code, 'SLTD_ONLINE_SERVER_ERROR');
  let error!: TesseraError;
  const requests = await requestsDuring(async () => (error = await failure(c.search(DEMO_UNLISTED))));
  assert.is(requests, 0, 'an open breaker sends nothing');
  assert.is(error.code, 'SLTD_ONLINE_CIRCUIT_OPEN');
  assert.match(error.message, /^SLTD circuit open since \d\d:\d\d:\d\d after 3 failures; last: HTTP 500 — document not checked; next try after \d\d:\d\d:\d\d\.$/);
});

test('after the cool-down one trial goes through: failing re-opens the breaker, answering closes it', async () => {
  const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 1000 });
  const c = client({ breaker, retries: 0 });
  service.setFault({ kind: 'status', status: 503 });
  await failure(c.search(DEMO_UNLISTED));
  await failure(c.search(DEMO_UNLISTED));
  assert.is(breaker.state(), 'open');
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.is(breaker.state(), 'half_open');
  const trialRequests = await requestsDuring(() => failure(c.search(DEMO_UNLISTED)));
  assert.is(trialRequests, 1);
  assert.is(breaker.state(), 'open', 'the failed trial opened it again');
  await new Promise((resolve) => setTimeout(resolve, 1100));
  service.setFault(null);
  assert.is((await c.search({ documentNumber: stolen.documentNumber, issuingState: 'UTO' })).outcome, 'hit');
  assert.is(breaker.state(), 'closed');
  assert.is(breaker.snapshot().consecutiveFailures, 0);
});

test('retries inside one query count towards the breaker and stop once it opens', async () => {
  const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 60_000 });
  service.setFault({ kind: 'status', status: 500 });
  let error!: TesseraError;
  const requests = await requestsDuring(async () => (error = await failure(client({ breaker, retries: 5 }).search(DEMO_UNLISTED))));
  assert.is(requests, 2);
  assert.is(error.code, 'SLTD_ONLINE_CIRCUIT_OPEN');
});

test('rejected credentials do not open the breaker: the service is up', async () => {
  const breaker = new CircuitBreaker({ failureThreshold: 1, coolDownMs: 60_000 });
  const c = client({ breaker, apiKey: 'wrong' });
  await failure(c.search(DEMO_UNLISTED));
  await failure(c.search(DEMO_UNLISTED));
  assert.is(breaker.state(), 'closed');
});

test('every code the client throws is in the catalogue', () => {
  for (const code of ['SLTD_ONLINE_NOT_CONFIGURED', 'SLTD_ONLINE_UNREACHABLE', 'SLTD_ONLINE_TIMEOUT', 'SLTD_ONLINE_SERVER_ERROR', 'SLTD_ONLINE_CREDENTIALS_REJECTED', 'SLTD_ONLINE_REQUEST_REJECTED', 'SLTD_ONLINE_BAD_RESPONSE', 'SLTD_ONLINE_CIRCUIT_OPEN', 'SLTD_ONLINE_ABORTED']) {
    assert.ok(code in SLTD_ONLINE_ERROR_CODES, code);
  }
});

test.run();
