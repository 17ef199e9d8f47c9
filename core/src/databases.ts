/**
 * Database handles: one for the core, and one per plugin so plugin tables never clash.
 * SQLite (local host): a file per plugin under the data folder. PostgreSQL (central host): a schema per plugin.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { TesseraError, type PluginMigration } from '@tessera/sdk';

export interface DatabaseProvider {
  readonly dialect: 'sqlite' | 'postgres';
  core(): Knex;
  forPlugin(pluginId: string): Promise<Knex>;
  destroy(): Promise<void>;
}

/** knex logs pool errors with console.log (stack traces on stdout); they are reported as TesseraErrors instead. */
const quietKnexLog = { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined };

function sqliteHandle(filename: string): Knex {
  return knexFactory({
    log: quietKnexLog,
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // One connection: SQLite serialises writers anyway, and ':memory:' databases live per connection.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { run: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) {
        conn.run('PRAGMA foreign_keys = ON', (e1) => {
          if (e1) return done(e1, conn);
          if (filename === ':memory:') return done(null, conn);
          conn.run('PRAGMA journal_mode = WAL', (e2) => {
            if (e2) return done(e2, conn);
            conn.run('PRAGMA busy_timeout = 5000', (e3) => done(e3, conn));
          });
        });
      },
    },
  });
}

async function probe(knex: Knex, what: string, hint: string): Promise<Knex> {
  try {
    await knex.raw('select 1');
    return knex;
  } catch (cause) {
    await knex.destroy().catch(() => undefined);
    throw new TesseraError('TSR_DATABASE_UNAVAILABLE', `Cannot open the ${what}: ${(cause as Error).message}.`, {
      cause,
      hint,
    });
  }
}

/** SQLite files under dataDir; dataDir null keeps everything in memory (tests). */
export async function createSqliteDatabases(dataDir: string | null): Promise<DatabaseProvider> {
  const handles: Knex[] = [];
  const open = async (file: string | null, what: string) => {
    const knex = await probe(sqliteHandle(file ?? ':memory:'), what, 'Check that the data folder is writable and its SQLite files are not damaged.');
    handles.push(knex);
    return knex;
  };
  const core = await open(dataDir ? path.join(dataDir, 'tessera.sqlite') : null, 'host database');
  return {
    dialect: 'sqlite',
    core: () => core,
    async forPlugin(pluginId) {
      if (!dataDir) return open(null, `database of plugin ${pluginId}`);
      const dir = path.join(dataDir, 'plugins', pluginId);
      await mkdir(dir, { recursive: true });
      return open(path.join(dir, 'plugin.sqlite'), `database of plugin ${pluginId}`);
    },
    async destroy() {
      await Promise.all(handles.map((h) => h.destroy()));
    },
  };
}

export function schemaNameForPlugin(pluginId: string): string {
  return 'plugin_' + pluginId.replace(/[^a-z0-9]/g, '_');
}

/** A server that silently drops packets must not hang the start: give up connecting after 10 s. */
function pgConnection(url: string) {
  return { connectionString: url, connectionTimeoutMillis: 10_000 };
}

/** PostgreSQL at url; each plugin gets its own schema and search_path, the core uses `schemaPrefix + core`. */
export async function createPostgresDatabases(url: string, options: { schemaPrefix?: string } = {}): Promise<DatabaseProvider> {
  const prefix = options.schemaPrefix ?? 'tessera_';
  const handles: Knex[] = [];
  const open = async (schema: string, what: string, poolMax: number) => {
    const bootstrap = knexFactory({ client: 'pg', connection: pgConnection(url), pool: { min: 0, max: 1 }, acquireConnectionTimeout: 15_000, log: quietKnexLog });
    try {
      await probe(bootstrap, what, 'Check that PostgreSQL is running and reachable, and that the URL (host, port, database, user) is right.');
      await bootstrap.raw('create schema if not exists ??', [schema]);
    } finally {
      await bootstrap.destroy().catch(() => undefined);
    }
    const knex = knexFactory({ client: 'pg', connection: pgConnection(url), searchPath: [schema], pool: { min: 0, max: poolMax }, acquireConnectionTimeout: 15_000, log: quietKnexLog });
    handles.push(knex);
    return knex;
  };
  const core = await open(`${prefix}core`, 'host database (PostgreSQL)', 10);
  return {
    dialect: 'postgres',
    core: () => core,
    forPlugin: (pluginId) => open(prefix + schemaNameForPlugin(pluginId), `database of plugin ${pluginId}`, 4),
    async destroy() {
      await Promise.all(handles.map((h) => h.destroy()));
    },
  };
}

/** Run a list of migrations with knex's migrator; each runs in a transaction, so a failure leaves nothing half-done. */
export async function runMigrations(knex: Knex, migrations: readonly PluginMigration[], tableName = 'tessera_migrations'): Promise<string[]> {
  const names = new Set<string>();
  for (const m of migrations) {
    if (names.has(m.name)) throw new Error(`duplicate migration name "${m.name}"`);
    names.add(m.name);
  }
  const sorted = [...migrations].sort((a, b) => a.name.localeCompare(b.name));
  const [, applied] = (await knex.migrate.latest({
    tableName,
    migrationSource: {
      getMigrations: async () => sorted,
      getMigrationName: (m: PluginMigration) => m.name,
      getMigration: async (m: PluginMigration) => ({ up: m.up, down: m.down ?? (async () => undefined) }),
    },
  })) as [number, string[]];
  return applied;
}
