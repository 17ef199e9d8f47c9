/**
 * Named lists in the plugin's own database. Each imported version of a list lives in its own rows
 * table; `lists` points at the current one. An import fills a fresh table (the staging table) and then,
 * in one transaction, points the list at it and drops the old table — so a failed or killed import
 * never leaves a half-loaded list, and queries always see one whole version.
 */
import { hostname } from 'node:os';
import { TesseraError, type Clock, type PluginMigration } from '@tessera/sdk';
import type { DocumentRow, ListKind, PersonRow } from '../import/row-mapping.js';

/** The plugin's knex handle, typed without importing knex (the SDK's migration signature carries it). */
export type ListDatabase = Parameters<PluginMigration['up']>[0];

export const LIST_STORE_MIGRATIONS: PluginMigration[] = [
  {
    name: '0001-lists-and-imports',
    async up(knex) {
      await knex.schema.createTable('lists', (t) => {
        t.string('name').primary();
        t.string('kind').notNullable();
        t.integer('version').notNullable();
        t.string('rows_table').notNullable();
        t.integer('row_count').notNullable();
        t.integer('invalid_rows').notNullable();
        t.string('imported_at').notNullable();
        t.string('imported_by').notNullable();
        t.string('source_file').notNullable();
        t.string('source_format').notNullable();
        t.string('source_sha256').notNullable();
        t.float('threshold').nullable();
      });
      await knex.schema.createTable('list_imports', (t) => {
        t.increments('id');
        t.string('list_name').notNullable();
        t.string('kind').notNullable();
        t.string('status').notNullable(); // loading | done | failed | abandoned
        t.string('actor').notNullable();
        t.string('host').notNullable();
        t.integer('pid').notNullable();
        t.string('started_at').notNullable();
        t.string('heartbeat_at').notNullable();
        t.string('finished_at').nullable();
        t.integer('rows_loaded').notNullable().defaultTo(0);
        t.integer('version').nullable();
        t.text('reason').nullable();
      });
    },
  },
];

export interface ListInfo {
  name: string;
  kind: ListKind;
  version: number;
  rowCount: number;
  invalidRows: number;
  importedAt: string;
  importedBy: string;
  sourceFile: string;
  sourceFormat: string;
  sourceSha256: string;
  /** The screening threshold of a persons list; null for the engine's default. */
  threshold: number | null;
}

export interface DocumentListHit {
  list: string;
  listVersion: number;
  importedAt: string;
  row: DocumentRow;
}

interface ListRow {
  name: string;
  kind: string;
  version: number;
  rows_table: string;
  row_count: number;
  invalid_rows: number;
  imported_at: string;
  imported_by: string;
  source_file: string;
  source_format: string;
  source_sha256: string;
  threshold: number | null;
}

const LIST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** An import whose process is gone, or that has not reported for this long, is abandoned. */
const STALE_AFTER_MS = 10 * 60_000;

export function checkListName(name: string): string {
  if (!LIST_NAME.test(name)) {
    throw new TesseraError('NATLIST_LIST_NAME_INVALID', `"${name}" is not a valid list name.`, { hint: 'Use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. "stolen-passports".' });
  }
  return name;
}

function info(row: ListRow): ListInfo {
  return {
    name: row.name,
    kind: row.kind as ListKind,
    version: row.version,
    rowCount: row.row_count,
    invalidRows: row.invalid_rows,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    sourceFile: row.source_file,
    sourceFormat: row.source_format,
    sourceSha256: row.source_sha256,
    threshold: row.threshold,
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ImportMetadata {
  rowCount: number;
  invalidRows: number;
  sourceFile: string;
  sourceFormat: string;
  sourceSha256: string;
  threshold: number | null;
}

/** A version being loaded: rows go into its own table until `commit` swaps it in. */
export class StagedImport {
  private rowsLoaded = 0;

  constructor(
    private readonly db: ListDatabase,
    private readonly clock: Clock,
    readonly importId: number,
    readonly listName: string,
    readonly kind: ListKind,
    readonly actor: string,
    readonly table: string,
  ) {}

  async insert(rows: readonly (DocumentRow | PersonRow)[]): Promise<void> {
    if (!rows.length) return;
    const records = this.kind === 'documents' ? (rows as DocumentRow[]).map(documentRecord) : (rows as PersonRow[]).map(personRecord);
    // Each batch is its own transaction; rows of ~8 columns stay well under SQLite's bound-variable limit.
    await this.db.transaction(async (trx) => {
      for (let i = 0; i < records.length; i += 500) await trx(this.table).insert(records.slice(i, i + 500));
      this.rowsLoaded += rows.length;
      await trx('list_imports').where({ id: this.importId }).update({ rows_loaded: this.rowsLoaded, heartbeat_at: this.clock.now().toISOString() });
    });
  }

  /** Indexes the new table, then points the list at it and drops the previous version, atomically. */
  async commit(meta: ImportMetadata): Promise<ListInfo> {
    await this.db.schema.alterTable(this.table, (t) => {
      if (this.kind === 'documents') t.index(['document_number', 'issuing_state'], `${this.table}_lookup`);
      else t.unique(['id'], { indexName: `${this.table}_id` });
    });
    return this.db.transaction(async (trx) => {
      const current = (await trx('lists').where({ name: this.listName }).first()) as ListRow | undefined;
      if (current && current.kind !== this.kind) throw kindMismatch(this.listName, current.kind, this.kind);
      const row: ListRow = {
        name: this.listName,
        kind: this.kind,
        version: (current?.version ?? 0) + 1,
        rows_table: this.table,
        row_count: meta.rowCount,
        invalid_rows: meta.invalidRows,
        imported_at: this.clock.now().toISOString(),
        imported_by: this.actor,
        source_file: meta.sourceFile,
        source_format: meta.sourceFormat,
        source_sha256: meta.sourceSha256,
        threshold: meta.threshold ?? current?.threshold ?? null,
      };
      if (current) await trx('lists').where({ name: this.listName }).update(row);
      else await trx('lists').insert(row);
      await trx('list_imports').where({ id: this.importId }).update({ status: 'done', version: row.version, rows_loaded: meta.rowCount, finished_at: row.imported_at });
      if (current) await trx.schema.dropTableIfExists(current.rows_table);
      return info(row);
    });
  }

  /** Drops the staging table; the list keeps its previous version. */
  async abort(reason: string): Promise<void> {
    await this.db.schema.dropTableIfExists(this.table);
    await this.db('list_imports').where({ id: this.importId }).update({ status: 'failed', reason: reason.slice(0, 2000), finished_at: this.clock.now().toISOString() });
  }
}

const kindMismatch = (name: string, existing: string, wanted: string) =>
  new TesseraError('NATLIST_KIND_MISMATCH', `The list "${name}" holds ${existing}, not ${wanted}.`, { hint: 'Import into a list of another name; a list keeps the kind it was created with.' });

function documentRecord(r: DocumentRow) {
  return { line: r.line, document_number: r.documentNumber, document_number_listed: r.documentNumberAsListed, issuing_state: r.issuingState, document_type: r.documentType, status: r.status, reference: r.reference };
}

function personRecord(r: PersonRow) {
  return { line: r.line, id: r.id, surname: r.surname, given_names: r.givenNames, birth_date: r.birthDate, nationality: r.nationality, aliases: r.aliases.length ? JSON.stringify(r.aliases) : null };
}

export class ListStore {
  constructor(
    private readonly db: ListDatabase,
    private readonly clock: Clock,
  ) {}

  async lists(kind?: ListKind): Promise<ListInfo[]> {
    const query = this.db('lists').orderBy('name');
    if (kind) query.where({ kind });
    return ((await query) as ListRow[]).map(info);
  }

  async get(name: string): Promise<ListInfo | undefined> {
    const row = (await this.db('lists').where({ name }).first()) as ListRow | undefined;
    return row && info(row);
  }

  /**
   * Starts loading a new version into a staging table. Imports left behind by a process that died
   * (killed, power cut) are cleaned up first; their count is returned with the import.
   */
  async beginImport(listName: string, kind: ListKind, actor: string): Promise<{ staged: StagedImport; abandonedCleaned: number }> {
    checkListName(listName);
    const existing = await this.get(listName);
    if (existing && existing.kind !== kind) throw kindMismatch(listName, existing.kind, kind);
    const abandonedCleaned = await this.cleanAbandonedImports();
    const now = this.clock.now().toISOString();
    const [inserted] = (await this.db('list_imports').insert({ list_name: listName, kind, status: 'loading', actor, host: hostname(), pid: process.pid, started_at: now, heartbeat_at: now }, ['id'])) as Array<{ id: number } | number>;
    const importId = typeof inserted === 'number' ? inserted : inserted!.id;
    const table = `rows_${importId}`;
    await this.db.schema.createTable(table, (t) => {
      t.integer('line').notNullable();
      if (kind === 'documents') {
        t.string('document_number').notNullable();
        t.string('document_number_listed').notNullable();
        t.string('issuing_state').notNullable();
        t.string('document_type').nullable();
        t.string('status').notNullable();
        t.string('reference').nullable();
      } else {
        t.string('id').notNullable();
        t.string('surname').notNullable();
        t.string('given_names').nullable();
        t.string('birth_date').nullable();
        t.string('nationality').nullable();
        t.text('aliases').nullable();
      }
    });
    return { staged: new StagedImport(this.db, this.clock, importId, listName, kind, actor, table), abandonedCleaned };
  }

  /** Drops the staging tables of imports whose process is gone (same machine) or silent for too long. */
  async cleanAbandonedImports(): Promise<number> {
    const loading = (await this.db('list_imports').where({ status: 'loading' })) as Array<{ id: number; host: string; pid: number; heartbeat_at: string }>;
    const now = this.clock.now().getTime();
    let cleaned = 0;
    for (const job of loading) {
      const gone = job.host === hostname() ? !processAlive(job.pid) : false;
      if (!gone && now - Date.parse(job.heartbeat_at) < STALE_AFTER_MS) continue;
      await this.db.schema.dropTableIfExists(`rows_${job.id}`);
      await this.db('list_imports').where({ id: job.id }).update({ status: 'abandoned', reason: 'the importing process stopped before finishing', finished_at: new Date(now).toISOString() });
      cleaned++;
    }
    return cleaned;
  }

  /** Every document list's rows with this normalised number and issuing state, read as one consistent snapshot. */
  async findDocuments(documentNumber: string, issuingState: string): Promise<{ lists: ListInfo[]; hits: DocumentListHit[] }> {
    return this.db.transaction(async (trx) => {
      const lists = ((await trx('lists').where({ kind: 'documents' }).orderBy('name')) as ListRow[]);
      const hits: DocumentListHit[] = [];
      for (const list of lists) {
        const rows = (await trx(list.rows_table).where({ document_number: documentNumber, issuing_state: issuingState }).orderBy('line')) as Array<Record<string, unknown>>;
        for (const r of rows) {
          hits.push({
            list: list.name,
            listVersion: list.version,
            importedAt: list.imported_at,
            row: {
              line: Number(r.line),
              documentNumber: String(r.document_number),
              documentNumberAsListed: String(r.document_number_listed),
              issuingState: String(r.issuing_state),
              documentType: (r.document_type as string | null) ?? null,
              status: String(r.status),
              reference: (r.reference as string | null) ?? null,
            },
          });
        }
      }
      return { lists: lists.map(info), hits };
    });
  }

  /** A persons list's current version and all its rows (for building the screening index). */
  async loadPersons(name: string): Promise<{ list: ListInfo; rows: PersonRow[] }> {
    return this.db.transaction(async (trx) => {
      const list = (await trx('lists').where({ name }).first()) as ListRow | undefined;
      if (!list || list.kind !== 'persons') {
        throw new TesseraError('NATLIST_LIST_NOT_FOUND', `No persons list named "${name}" has been imported.`, { hint: 'See the lists with `tessera lists ls`; import one with `tessera lists import FILE --list NAME --kind persons`.' });
      }
      const rows = (await trx(list.rows_table).select()) as Array<Record<string, unknown>>;
      return {
        list: info(list),
        rows: rows.map((r) => ({
          line: Number(r.line),
          id: String(r.id),
          surname: String(r.surname),
          givenNames: (r.given_names as string | null) ?? null,
          birthDate: (r.birth_date as string | null) ?? null,
          nationality: (r.nationality as string | null) ?? null,
          aliases: r.aliases ? (JSON.parse(String(r.aliases)) as string[]) : [],
        })),
      };
    });
  }
}
