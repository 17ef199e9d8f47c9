// The central host placeholder on a real PostgreSQL (127.0.0.1:5432, database "test", trust auth).
// Each run works in schemas named after a random prefix and drops them afterwards.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import knexFactory, { type Knex } from 'knex';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTesseraError } from '@tessera/sdk';
import { createLogger } from '@tessera/core';
import { startCentralHost, withDefaultUser, type CentralHost } from './central-host.js';

const DATABASE_URL = process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
const quiet = createLogger({ level: 'silent' });

/** Every schema whose name starts with prefix (compared in JS: "_" is a LIKE wildcard). */
async function schemasWithPrefix(db: Knex, prefix: string): Promise<string[]> {
  const rows = (await db('information_schema.schemata').select('schema_name')) as Array<{ schema_name: string }>;
  return rows.map((r) => r.schema_name).filter((name) => name.startsWith(prefix)).sort();
}

async function dropSchemas(db: Knex, prefix: string): Promise<void> {
  for (const schema of await schemasWithPrefix(db, prefix)) await db.raw('drop schema if exists ?? cascade', [schema]);
}

test('starts on PostgreSQL: migrates its core schema, audits the start, answers /api/health', async () => {
  const prefix = `tessera_test_${randomBytes(4).toString('hex')}_`;
  const admin = knexFactory({ client: 'pg', connection: withDefaultUser(DATABASE_URL), pool: { min: 0, max: 1 } });
  let host: CentralHost | null = null;
  try {
    host = await startCentralHost({ port: 0, schemaPrefix: prefix, databaseUrl: DATABASE_URL, logger: quiet });
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.is.not(host.url, 'http://127.0.0.1:0');
    assert.is(host.kernel.hostInfo.kind, 'central');
    assert.is(host.kernel.databases.dialect, 'postgres');

    const health = await host.app.inject({ method: 'GET', url: '/api/health' });
    assert.is(health.statusCode, 200, health.body);
    const body = health.json() as Record<string, unknown>;
    assert.is(body.status, 'ok');
    assert.is(body.database, 'postgres');
    assert.is(body.kind, 'central');

    // Over real HTTP as well: it listens where it says.
    const live = await fetch(`${host.url}/api/health`, { signal: AbortSignal.timeout(5000) });
    assert.is(live.status, 200);

    const coreSchema = `${prefix}core`;
    assert.equal(await schemasWithPrefix(admin, prefix), [coreSchema]);
    const tables = ((await admin('information_schema.tables').where({ table_schema: coreSchema }).select('table_name')) as Array<{ table_name: string }>).map((r) => r.table_name);
    for (const table of ['audit_log', 'inspections']) assert.ok(tables.includes(table), `${coreSchema} lacks ${table}: ${tables.join(', ')}`);
    const starts = await admin.withSchema(coreSchema).from('audit_log').where({ action: 'host.start' });
    assert.is(starts.length, 1);
    assert.is(starts[0].actor, 'system');

    await host.close();
    host = null;
    // Closing audits the stop and releases its connections; the schema stays for the next start.
    const stops = await admin.withSchema(coreSchema).from('audit_log').where({ action: 'host.stop' });
    assert.is(stops.length, 1);

    // A second start on the same schemas migrates nothing new and keeps the history.
    host = await startCentralHost({ port: 0, schemaPrefix: prefix, databaseUrl: DATABASE_URL, logger: quiet });
    assert.is((await host.app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200);
    const actions = (await admin.withSchema(coreSchema).from('audit_log').orderBy('id').select('action')).map((r: { action: string }) => r.action);
    assert.equal(actions.filter((a: string) => a.startsWith('host.')), ['host.start', 'host.stop', 'host.start']);
  } finally {
    await host?.close().catch(() => undefined);
    try {
      await dropSchemas(admin, prefix);
      assert.equal(await schemasWithPrefix(admin, prefix), [], 'test schemas left behind');
    } finally {
      await admin.destroy();
    }
  }
});

test('an unreachable database → TSR_DATABASE_UNAVAILABLE, quickly, naming the problem', async () => {
  const started = Date.now();
  let caught: unknown = null;
  let host: CentralHost | null = null;
  // knex's own console output is silenced by the kernel, so nothing but the TesseraError reaches the user.
  const log = console.log;
  const printed: string[] = [];
  console.log = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  try {
    host = await startCentralHost({ port: 0, schemaPrefix: 'tessera_test_unreachable_', databaseUrl: 'postgres://127.0.0.1:1/test', logger: quiet });
  } catch (error) {
    caught = error;
  } finally {
    console.log = log;
    await host?.close().catch(() => undefined);
  }
  const elapsed = Date.now() - started;
  assert.ok(isTesseraError(caught), `expected a TesseraError, got ${String(caught)}`);
  assert.is(caught.code, 'TSR_DATABASE_UNAVAILABLE');
  assert.match(caught.message, 'ECONNREFUSED');
  assert.match(caught.message, /PostgreSQL/);
  assert.match(caught.hint ?? '', /PostgreSQL is running/);
  assert.equal(printed, [], 'no stack traces printed on stdout');
  assert.ok(elapsed < 5000, `took ${elapsed} ms to give up`);
});

test('withDefaultUser: a URL without a user name gets the OS account only when $PGUSER and $USER are unset', () => {
  const saved = { PGUSER: process.env.PGUSER, USER: process.env.USER };
  try {
    delete process.env.PGUSER;
    delete process.env.USER;
    const me = encodeURIComponent(os.userInfo().username);
    assert.is(withDefaultUser('postgres://127.0.0.1:5432/test'), `postgres://${me}@127.0.0.1:5432/test`);
    assert.is(withDefaultUser('postgres://alice:secret@db.example:5432/tessera'), 'postgres://alice:secret@db.example:5432/tessera');
    assert.is(withDefaultUser('postgres://db.example/tessera?user=bob'), 'postgres://db.example/tessera?user=bob');
    assert.is(withDefaultUser('postgres:///tessera?host=/var/run/postgresql'), 'postgres:///tessera?host=/var/run/postgresql');
    assert.is(withDefaultUser('not a url'), 'not a url');
    process.env.USER = 'carol';
    assert.is(withDefaultUser('postgres://127.0.0.1:5432/test'), 'postgres://127.0.0.1:5432/test');
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

test.run();
