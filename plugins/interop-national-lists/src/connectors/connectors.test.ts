// The two connectors loaded from the plugin folder into the real kernel: national-documents through
// the SDK's conformance suite and a whole inspection (audited by the core), national-persons on a
// watchlist built from the ICAO specimen's holder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin, extensionPoints, parseMrz, personQueryFromMrz, type InteropConnector, type ReaderDriver } from '@tessera/sdk';
import { interopConnectorConformance, startTestHost, testManifest, type TestHost } from '@tessera/sdk/testing';
import { ListStore } from '../store/list-store.js';
import { NationalDocumentsConnector } from './documents-connector.js';

const PLUGIN_DIR = fileURLToPath(new URL('../..', import.meta.url));
const DIR = mkdtempSync(path.join(tmpdir(), 'natlist-connectors-'));
const write = (name: string, content: string) => {
  const p = path.join(DIR, name);
  writeFileSync(p, content);
  return p;
};
// ICAO Doc 9303 part 4 specimen.
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const DOCUMENTS = write('stolen.csv', 'document_number,issuing_state,document_type,status\nL898902C3,UTO,P,stolen\nD23145890,UTO,P,revoked\n');
const REVOKED = write('revoked.csv', 'document_number,issuing_state,status\nL898902C3,UTO,revoked\n');
const PERSONS = write('watch.csv', 'id,surname,given_names,birth_date,nationality,aliases\nW-17,ERIKSSON,ANNA MARIA,1974-08-12,UTO,\nW-18,PETROV,IVAN,1980,RUS,\n');

async function command(host: TestHost, id: string, args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await host.kernel.registry.get('commands', id)!.item.run(args, { stdin: null, stdinIsTTY: false, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out, err };
}

// A reader that hands over the specimen's MRZ, so the pipeline queries the connectors with it.
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64'));
const scripted: ReaderDriver = {
  id: 'scripted',
  displayName: 'Scripted reader',
  listDevices: async () => [{ id: 'scripted:1', vendor: 'Test', model: 'Scripted', capabilities: { lights: ['white'], mrz: true, chip: false }, status: 'ready' }],
  scan: async (deviceId) => ({ deviceId, capturedAt: new Date().toISOString(), pages: [{ light: 'white', page: 'data-page', mediaType: 'image/png', data: PNG, width: 1, height: 1 }], mrz: { lines: TD3, source: 'device-ocr' as const } }),
};
const readerPlugin = {
  manifest: testManifest('scripted-reader', { contributes: { readers: ['scripted'] } }),
  definition: definePlugin({ id: 'scripted-reader', deps: { readers: extensionPoints.readers }, init: ({ readers }) => void readers.add(scripted) }),
};

const hostWithLists = (async () => {
  const host = await startTestHost({ pluginFolders: [PLUGIN_DIR], plugins: [readerPlugin], now: new Date('2011-06-01T12:00:00Z') });
  for (const [file, list, kind] of [[DOCUMENTS, 'stolen', 'documents'], [REVOKED, 'revoked', 'documents'], [PERSONS, 'watch', 'persons']] as const) {
    const r = await command(host, 'lists import', [file, '--list', list, '--kind', kind, '--user', 'importer']);
    if (r.code !== 0) throw new Error(r.err.join('\n'));
  }
  return host;
})();
const connector = async (id: string) => (await hostWithLists).kernel.registry.get('connectors', id)!.item as InteropConnector;

interopConnectorConformance({
  name: 'national-documents',
  create: () => connector('national-documents'),
  // A database without the plugin's tables stands for one that cannot be read.
  createUnreachable: async () => new NationalDocumentsConnector(new ListStore(await (await hostWithLists).kernel.databases.forPlugin('unmigrated'), { now: () => new Date() }), { now: () => new Date() }),
  knownHit: { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'P' },
  knownMiss: { documentNumber: 'X00000000', issuingState: 'UTO', documentType: 'P' },
}).run();

const context = { actor: 'officer.k', purpose: 'border-control', signal: new AbortController().signal };

test('a document on two lists: one record per list, with status, list name and version', async () => {
  const result = await (await connector('national-documents')).queryDocument!({ documentNumber: 'L898902C3<', issuingState: 'UTO' }, context);
  assert.is(result.outcome, 'hit');
  assert.equal(result.records.map((r) => [r.status, r.details!.list, r.details!.listVersion, r.score]), [['revoked', 'revoked', '1', 1], ['stolen', 'stolen', '1', 1]]);
  assert.is(result.dataAsOf, '2011-06-01T12:00:00.000Z');
});

test('the plugin started; an inspection queries national-documents and the core audits the query with the officer', async () => {
  const host = await hostWithLists;
  assert.is(host.plugin('interop-national-lists').state, 'started');
  const record = await host.kernel.inspections.scan({ deviceId: 'scripted:1', actor: 'officer.k' });
  const national = record.interop.find((r) => r.connectorId === 'national-documents')!;
  assert.is(national.outcome, 'hit');
  assert.is(record.overall, 'fail', 'a hit makes the inspection fail until it is confirmed');
  const audit = await host.kernel.audit.list({ action: 'interop.query' });
  const entry = audit.find((a) => (a.details as { connector?: string }).connector === 'national-documents')!;
  assert.equal([entry.actor, entry.purpose, entry.subject, (entry.details as { outcome: string }).outcome], ['officer.k', 'border-control', record.id, 'hit']);
  const imports = await host.kernel.audit.list({ action: 'lists.import' });
  assert.is(imports.length, 3);
  assert.is(imports[0]!.actor, 'importer');
});

test('national-persons: the specimen holder, from the MRZ, is a candidate with score and per-feature explanation', async () => {
  const mrz = parseMrz(TD3, { referenceDate: new Date('2011-06-01') });
  const query = personQueryFromMrz(mrz.fields, { referenceDate: new Date('2011-06-01') })!;
  assert.equal(query, { surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '1974-08-12', nationality: 'UTO' });
  const persons = await connector('national-persons');
  assert.equal(persons.queries, ['person']);
  const result = await persons.queryPerson!(query, context);
  assert.is(result.outcome, 'hit');
  assert.is(result.records.length, 1);
  const [candidate] = result.records;
  assert.is(candidate!.reference, 'W-17');
  assert.ok(candidate!.score! >= 0.7);
  assert.is(candidate!.details!.list, 'watch');
  assert.match(candidate!.details!['feature.birthDate']!, /1974-08-12/);
  assert.match(candidate!.details!.note!, /not an identification/);
  const miss = await persons.queryPerson!({ surname: 'NOBODY', givenNames: 'KNOWN', birthDate: '1999-01-01', nationality: 'XXA' }, context);
  assert.equal([miss.outcome, miss.records.length], ['no_hit', 0]);
});

test('lists screen (in process) audits each query with the user, the purpose and counts, not the names', async () => {
  const host = await hostWithLists;
  const r = await command(host, 'lists screen', ['--list', 'watch', '--name', 'ERIKSSON<<ANNA<MARIA', '--id', 'case-9', '--user', 'officer.m', '--purpose', 'visa-application']);
  assert.is(r.code, 0, r.err.join('\n'));
  const [entry] = await host.kernel.audit.list({ action: 'lists.screen' });
  assert.equal([entry!.actor, entry!.purpose, entry!.subject, entry!.outcome], ['officer.m', 'visa-application', 'watch', 'success']);
  assert.equal(entry!.details, { list: 'watch', version: 1, query: 'case-9', candidates: JSON.parse(r.out[0]!).candidates.length, matches: 1 });
  assert.not.match(JSON.stringify(entry), /ERIKSSON/);
});

test('no list imported is not_checked, never no_hit', async () => {
  const empty = await startTestHost({ pluginFolders: [PLUGIN_DIR] });
  try {
    const docs = await empty.kernel.registry.get('connectors', 'national-documents')!.item.queryDocument!({ documentNumber: 'L898902C3', issuingState: 'UTO' }, context);
    assert.equal([docs.outcome, /No national document list/.test(docs.reason!)], ['not_checked', true]);
    const persons = await empty.kernel.registry.get('connectors', 'national-persons')!.item.queryPerson!({ surname: 'ERIKSSON' }, context);
    assert.equal([persons.outcome, /No persons watchlist/.test(persons.reason!)], ['not_checked', true]);
  } finally {
    await empty.stop();
  }
});

test.after(async () => {
  await (await hostWithLists).stop();
});

test.run();
