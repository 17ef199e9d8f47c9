// List imports end to end on a real (in-memory SQLite) plugin database: every format, the column
// mapping, the bad files an agency will produce, and atomicity — a failed import keeps the old list.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import ExcelJS from 'exceljs';
import { startTestHost, type TestHost } from '@tessera/sdk/testing';
import { LIST_STORE_MIGRATIONS, ListStore, type ListDatabase } from '../store/list-store.js';
import { importList, type ImportOptions, type ImportProgress } from './import-list.js';

const DIR = mkdtempSync(path.join(tmpdir(), 'natlist-import-'));
const file = (name: string, content: string | Buffer) => {
  const p = path.join(DIR, name);
  writeFileSync(p, content);
  return p;
};

const DOCS_CSV = 'document_number,issuing_state,document_type,status\nL898902C3,UTO,P,stolen\n"D2314 5890",uto,,Lost\nX1,D<<,ID,stolen blank\n';
const PERSONS_CSV = 'id,surname,given_names,birth_date,nationality,aliases\nW1,ERIKSSON,ANNA MARIA,1974-08-12,UTO,"ERIKSON ANNA;ANNA ERIKSDOTTER"\nW2,Müller,Hans,1960-00-00,D,\n';

let host: TestHost;
let db: ListDatabase;
let store: ListStore;
let dbCounter = 0;

async function freshStore(): Promise<ListStore> {
  db = await host.kernel.databases.forPlugin(`import-test-${dbCounter++}`);
  await LIST_STORE_MIGRATIONS[0]!.up(db);
  store = new ListStore(db, { now: () => new Date('2026-05-01T10:00:00Z') });
  return store;
}

const run = (options: Partial<ImportOptions> & Pick<ImportOptions, 'file'>) => importList(store, { list: 'stolen', kind: 'documents', actor: 'officer.k', ...options });

async function failure(options: Partial<ImportOptions> & Pick<ImportOptions, 'file'>): Promise<{ code: string; message: string }> {
  try {
    await run(options);
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error('the import was expected to fail');
}

async function rowTables(): Promise<string[]> {
  const rows = (await db.raw("select name from sqlite_master where type = 'table' and name like 'rows_%' order by name")) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

test.before(async () => {
  host = await startTestHost();
});
test.after(async () => {
  await host.stop();
});
test.before.each(async () => {
  await freshStore();
});

test('CSV documents: version 1 with metadata and the file hash; numbers and states normalised; statuses read', async () => {
  const p = file('docs.csv', DOCS_CSV);
  const { list, invalidRows } = await run({ file: p });
  assert.equal(invalidRows, []);
  assert.equal(
    { name: list.name, kind: list.kind, version: list.version, rows: list.rowCount, by: list.importedBy, at: list.importedAt, source: list.sourceFile, format: list.sourceFormat },
    { name: 'stolen', kind: 'documents', version: 1, rows: 3, by: 'officer.k', at: '2026-05-01T10:00:00.000Z', source: 'docs.csv', format: 'csv' },
  );
  assert.is(list.sourceSha256, createHash('sha256').update(readFileSync(p)).digest('hex'));
  const spaced = await store.findDocuments('D23145890', 'UTO');
  assert.equal(spaced.hits.map((h) => [h.list, h.listVersion, h.row.status, h.row.documentNumberAsListed, h.row.line]), [['stolen', 1, 'lost', 'D2314 5890', 3]]);
  assert.equal((await store.findDocuments('X1', 'D')).hits.map((h) => [h.row.status, h.row.documentType]), [['stolen_blank', 'ID']]);
  assert.is((await store.findDocuments('L898902C3', 'D')).hits.length, 0, 'another issuing state is another document');
});

test('an invalid row aborts by default, naming its line; --max-invalid lets it be skipped and reported', async () => {
  const p = file('bad-rows.csv', 'document_number,issuing_state,document_type,status\nA1,UTO,P,stolen\nA2,utopia,P,stolen\nA3,UTO,P,misplaced\n"",UTO,P,lost\nA5,UTO,P,lost,extra\n');
  const result = await failure({ file: p });
  assert.is(result.code, 'NATLIST_TOO_MANY_INVALID_ROWS');
  assert.match(result.message, /line 3: issuing_state "utopia" is not a 1–3 letter ICAO code/);
  assert.is(await store.get('stolen'), undefined, 'nothing was imported');
  const reported: string[] = [];
  const { list, invalidRows } = await run({ file: p, maxInvalidRows: 10, onInvalidRow: (r) => reported.push(`${r.line}`) });
  assert.is(list.rowCount, 1);
  assert.is(list.invalidRows, 4);
  assert.equal(invalidRows.map((r) => [r.line, r.reason]), [
    [3, 'issuing_state "utopia" is not a 1–3 letter ICAO code'],
    [4, 'status "misplaced" is not one of lost, stolen, revoked, invalid, stolen_blank'],
    [5, 'document_number is empty'],
    [6, '5 fields where the header has 4'],
  ]);
  assert.equal(reported, ['3', '4', '5', '6']);
  assert.is((await failure({ file: p, maxInvalidRows: 3 })).code, 'NATLIST_TOO_MANY_INVALID_ROWS', 'one more than allowed aborts');
});

test('persons from JSON (array and JSON Lines) and CSV: aliases, partial dates, "00" parts, duplicate ids refused', async () => {
  const json = file('persons.json', JSON.stringify([
    { id: 'W1', surname: 'ERIKSSON', given_names: 'ANNA MARIA', birth_date: '1974-08-12', nationality: 'UTO', aliases: ['ERIKSON ANNA', 'ANNA ERIKSDOTTER'] },
    { id: 'W2', surname: 'Müller', birth_date: '1960', nationality: 'd' },
  ], null, 1));
  await importList(store, { file: json, list: 'watch', kind: 'persons', actor: 'a' });
  let loaded = await store.loadPersons('watch');
  assert.equal(loaded.rows.map((r) => [r.id, r.surname, r.givenNames, r.birthDate, r.nationality, r.aliases]), [
    ['W1', 'ERIKSSON', 'ANNA MARIA', '1974-08-12', 'UTO', ['ERIKSON ANNA', 'ANNA ERIKSDOTTER']],
    ['W2', 'Müller', null, '1960', 'D', []],
  ]);
  await importList(store, { file: file('persons.jsonl', '{"id":"W3","surname":"PETROV","birth_date":"1980-02-00"}\n{"id":"W4","surname":"IVANOVA"}\n'), list: 'watch', kind: 'persons', actor: 'a' });
  loaded = await store.loadPersons('watch');
  assert.is(loaded.list.version, 2);
  assert.equal(loaded.rows.map((r) => [r.id, r.birthDate]), [['W3', '1980-02'], ['W4', null]]);
  const csv = await importList(store, { file: file('persons.csv', PERSONS_CSV), list: 'watch', kind: 'persons', actor: 'a' });
  assert.is(csv.list.version, 3);
  assert.equal((await store.loadPersons('watch')).rows.map((r) => [r.id, r.birthDate, r.aliases.length]), [['W1', '1974-08-12', 2], ['W2', '1960', 0]]);
  try {
    await importList(store, { file: file('dup.csv', 'id,surname\nW1,A\nW1,B\n'), list: 'watch', kind: 'persons', actor: 'a' });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /line 3: id "W1" is already used on line 2/);
  }
});

test('bad dates: impossible days and months, wrong order, are invalid rows with the line', async () => {
  const p = file('dates.csv', 'id,surname,birth_date\nP1,A,1990-02-30\nP2,B,1990-13-01\nP3,C,12.08.1974\nP4,D,2001-02-29\nP5,E,2000-02-29\n');
  const { invalidRows, list } = await importList(store, { file: p, list: 'w', kind: 'persons', actor: 'a', maxInvalidRows: 5 });
  assert.equal(invalidRows.map((r) => [r.line, r.reason]), [
    [2, 'birth_date "1990-02-30" is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD)'],
    [3, 'birth_date "1990-13-01" is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD)'],
    [4, 'birth_date "12.08.1974" is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD)'],
    [5, 'birth_date "2001-02-29" is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD)'],
  ]);
  assert.is(list.rowCount, 1, 'only the leap day of 2000 is a date');
});

test('a column mapping: semicolon CSV with other names and day-first dates', async () => {
  const p = file('mapped.csv', 'Ref;Family name;First names;Born;Citizenship;AKA\nN-1;PETROV;IVAN;12.08.1974;RUS;PETROFF|IWAN PETROW\n');
  await importList(store, { file: p, list: 'm', kind: 'persons', actor: 'a', mapping: { id: 'Ref', surname: 'Family name', given_names: 'First names', birth_date: 'Born', nationality: 'Citizenship', aliases: 'AKA', dateOrder: 'DMY', aliasSeparator: '|' } });
  const { rows } = await store.loadPersons('m');
  assert.equal(rows.map((r) => [r.id, r.surname, r.givenNames, r.birthDate, r.nationality, r.aliases]), [['N-1', 'PETROV', 'IVAN', '1974-08-12', 'RUS', ['PETROFF', 'IWAN PETROW']]]);
  const badMap = await failure({ file: p, kind: 'persons', mapping: { surnme: 'Family name' } });
  assert.is(badMap.code, 'NATLIST_MAPPING_INVALID');
  assert.match(badMap.message, /"surnme" is not a field of a persons list/);
});

test('XLSX: the first worksheet, dates and numbers from cells, blank rows skipped, spreadsheet row numbers as lines', async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Watchlist');
  sheet.addRow(['id', 'surname', 'given_names', 'birth_date', 'nationality', 'aliases']);
  sheet.addRow([1001, 'ERIKSSON', 'ANNA MARIA', new Date(Date.UTC(1974, 7, 12)), 'UTO', 'ERIKSON ANNA']);
  sheet.addRow([]);
  sheet.addRow(['1002', { richText: [{ text: 'PET' }, { text: 'ROV' }] }, 'IVAN', '1980', 'RUS', null]);
  sheet.addRow(['1003', 'BAD', '', '1980-99-01', '', '']);
  workbook.addWorksheet('Ignored').addRow(['not', 'read']);
  const p = path.join(DIR, 'watch.xlsx');
  await workbook.xlsx.writeFile(p);
  const { list, invalidRows } = await importList(store, { file: p, list: 'x', kind: 'persons', actor: 'a', maxInvalidRows: 1 });
  assert.is(list.sourceFormat, 'xlsx');
  assert.equal(invalidRows.map((r) => r.line), [5]);
  const { rows } = await store.loadPersons('x');
  assert.equal(rows.map((r) => [r.line, r.id, r.surname, r.birthDate, r.aliases]), [[2, '1001', 'ERIKSSON', '1974-08-12', ['ERIKSON ANNA']], [4, '1002', 'PETROV', '1980', []]]);
});

test('bad files: wrong columns, empty, header only, binary garbage, not a workbook, oversized, unknown format, missing', async () => {
  const wrong = await failure({ file: file('wrong.csv', 'number,country,status\nL1,UTO,stolen\n') });
  assert.is(wrong.code, 'NATLIST_COLUMNS_MISSING');
  assert.match(wrong.message, /needs the columns document_number, issuing_state; the header has: number, country, status/);
  assert.is((await failure({ file: file('dup-col.csv', 'document_number,issuing_state,status,STATUS\n') })).code, 'NATLIST_COLUMNS_MISSING');
  assert.is((await failure({ file: file('empty.csv', '') })).code, 'NATLIST_FILE_EMPTY');
  assert.is((await failure({ file: file('blank.csv', '\n\n') })).code, 'NATLIST_FILE_EMPTY');
  assert.is((await failure({ file: file('header.csv', 'document_number,issuing_state,status\n') })).code, 'NATLIST_NO_ROWS');
  assert.is((await failure({ file: file('empty.json', '[]') })).code, 'NATLIST_NO_ROWS');
  const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
  const binary = await failure({ file: file('garbage.csv', garbage) });
  assert.is(binary.code, 'NATLIST_FILE_NOT_TEXT');
  assert.is((await failure({ file: file('nul.csv', 'document_number,issuing_state,status\nA\u0000,UTO,lost\n') })).code, 'NATLIST_FILE_NOT_TEXT');
  assert.is((await failure({ file: file('latin1.csv', Buffer.from('id,surname\n1,M\xfcller\n', 'latin1')), kind: 'persons' })).code, 'NATLIST_FILE_NOT_TEXT');
  assert.is((await failure({ file: file('garbage.xlsx', garbage) })).code, 'NATLIST_XLSX_INVALID');
  assert.is((await failure({ file: file('garbage.json', garbage) })).code, 'NATLIST_FILE_NOT_TEXT');
  const big = await failure({ file: file('big.csv', DOCS_CSV), maxFileBytes: 20 });
  assert.is(big.code, 'NATLIST_FILE_TOO_LARGE');
  assert.match(big.message, /the limit is 20/);
  assert.is((await failure({ file: file('list.pdf', 'x') })).code, 'NATLIST_FORMAT_UNKNOWN');
  assert.is((await failure({ file: path.join(DIR, 'missing.csv') })).code, 'NATLIST_FILE_UNREADABLE');
  assert.is((await failure({ file: file('ok.csv', DOCS_CSV), list: '../etc' })).code, 'NATLIST_LIST_NAME_INVALID');
  assert.equal(await rowTables(), [], 'no failed import left a staging table');
});

test('atomic: an import that fails after thousands of rows were staged leaves the previous version whole', async () => {
  await run({ file: file('v1.csv', DOCS_CSV) });
  const rows = Array.from({ length: 5000 }, (_, i) => `N${i},UTO,P,lost`);
  // The file breaks only at its very end, after 50 batches went into the staging table.
  const broken = file('v2.csv', `document_number,issuing_state,document_type,status\n${rows.join('\n')}\nN5000,UTO,P,"lost\n`);
  const progress: ImportProgress[] = [];
  const result = await failure({ file: broken, batchSize: 100, onProgress: (p) => progress.push(p) });
  assert.is(result.code, 'NATLIST_CSV_INVALID');
  assert.match(result.message, /Line 5002/);
  assert.ok(progress.some((p) => p.rowsRead >= 4900), 'the failure came after most rows were staged');
  const list = (await store.get('stolen'))!;
  assert.equal([list.version, list.rowCount, list.sourceFile], [1, 3, 'v1.csv']);
  assert.is((await store.findDocuments('L898902C3', 'UTO')).hits.length, 1);
  assert.is((await store.findDocuments('N10', 'UTO')).hits.length, 0);
  assert.equal(await rowTables(), ['rows_1'], 'the staging table is gone');
  const imports = (await db('list_imports').orderBy('id')) as Array<{ status: string; reason: string }>;
  assert.equal(imports.map((i) => i.status), ['done', 'failed']);

  // The same rows without the broken line swap in as version 2, and the old table goes.
  const fixed = await run({ file: file('v2-fixed.csv', `document_number,issuing_state,document_type,status\n${rows.join('\n')}\n`), batchSize: 100 });
  assert.equal([fixed.list.version, fixed.list.rowCount], [2, 5000]);
  assert.is((await store.findDocuments('L898902C3', 'UTO')).hits.length, 0);
  assert.is((await store.findDocuments('N4999', 'UTO')).hits[0]!.listVersion, 2);
  assert.equal(await rowTables(), ['rows_3']);
});

test('an import left behind by a process that died is cleaned up by the next import; a list keeps its kind', async () => {
  await db('list_imports').insert({ id: 41, list_name: 'stolen', kind: 'documents', status: 'loading', actor: 'a', host: (await import('node:os')).hostname(), pid: 2 ** 22 + 12345, started_at: '2026-05-01T09:00:00Z', heartbeat_at: '2026-05-01T09:59:00Z' });
  await db.schema.createTable('rows_41', (t) => t.integer('line'));
  const summary = await run({ file: file('after-crash.csv', DOCS_CSV) });
  assert.is(summary.abandonedImportsCleaned, 1);
  assert.ok(!(await rowTables()).includes('rows_41'));
  assert.is(((await db('list_imports').where({ id: 41 }).first()) as { status: string }).status, 'abandoned');
  assert.is((await failure({ file: file('p.csv', PERSONS_CSV), kind: 'persons' })).code, 'NATLIST_KIND_MISMATCH');
});

test.run();
