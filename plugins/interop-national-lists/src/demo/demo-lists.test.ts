// The demo lists (setting demoData) through the real import, store, screening engine and connectors:
// the reader simulator's genuine specimens are no hit, its stolen counterfeit a hit, its MRV-B visa
// holder a screening candidate — each answer labelled "demo data". (The workstation with the demo
// configuration is tested in hosts/local/src/local-host.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PersonQuery } from '@tessera/sdk';
import { startTestHost } from '@tessera/sdk/testing';
import { NationalDocumentsConnector } from '../connectors/documents-connector.js';
import { NationalPersonsConnector } from '../connectors/persons-connector.js';
import { ScreeningService } from '../screening/screening-service.js';
import { LIST_STORE_MIGRATIONS, ListStore } from '../store/list-store.js';
import { DEMO_DATA_ACTOR, DEMO_DOCUMENT_LIST, DEMO_PERSON_LIST, importDemoLists } from './demo-lists.js';

const clock = { now: () => new Date('2026-03-01T12:00:00Z') };

const setup = (async () => {
  const host = await startTestHost();
  const db = await host.kernel.databases.forPlugin('demo-lists-test');
  for (const migration of LIST_STORE_MIGRATIONS) await migration.up(db);
  const store = new ListStore(db, clock);
  const imported = await importDemoLists(store);
  return { host, store, imported, documents: new NationalDocumentsConnector(store, clock), persons: new NationalPersonsConnector(store, new ScreeningService(store), clock) };
})();
test.after(async () => (await setup).host.stop());

// The simulator's specimens (plugins/reader-simulator/src/specimens/specimen-catalogue.ts), as their MRZs give them.
const GENUINE: Array<{ document: string; person: PersonQuery }> = [
  { document: 'UP4821937', person: { surname: 'LINDQVIST', givenNames: 'MAJA ELISE', birthDate: '1988-04-17', nationality: 'UTO' } },
  { document: 'UI7305148', person: { surname: 'OESTERGAARD', givenNames: 'JENS PETER', birthDate: '1979-11-02', nationality: 'UTO' } },
  { document: 'UC2084615', person: { surname: 'CASTELLANOS RUIZ', givenNames: 'MARIA JOSE', birthDate: '1995-07-23', nationality: 'UTO' } },
  { document: 'UV0391726', person: { surname: 'OSULLIVAN', givenNames: 'LIAM PATRICK', birthDate: '1991-01-30', nationality: 'IRL' } },
];
const VISA_B_HOLDER: PersonQuery = { surname: 'NAKAMURA', givenNames: 'HIROSHI', birthDate: '1983-09-05', nationality: 'JPN' };

test('an empty store gets a documents list and a persons list, imported by the demo actor; a second run adds nothing', async () => {
  const { store, imported } = await setup;
  assert.equal(imported.map((l) => [l.name, l.kind, l.importedBy]), [[DEMO_DOCUMENT_LIST, 'documents', DEMO_DATA_ACTOR], [DEMO_PERSON_LIST, 'persons', DEMO_DATA_ACTOR]]);
  assert.ok(imported.every((l) => l.rowCount > 100 && l.invalidRows === 0), JSON.stringify(imported));
  assert.equal(await importDemoLists(store), []);
});

test('the genuine specimens are no hit on the document list, and their holders no candidate; both answers say demo data', async () => {
  const { documents, persons } = await setup;
  for (const { document, person } of GENUINE) {
    const doc = await documents.queryDocument({ documentNumber: document, issuingState: 'UTO', documentType: 'P' });
    assert.is(doc.outcome, 'no_hit', document);
    assert.match(doc.reason!, /^Demo data: the list demo-documents is generated demonstration data/);
    const screened = await persons.queryPerson(person);
    assert.is(screened.outcome, 'no_hit', `${person.surname}: ${JSON.stringify(screened.records.map((r) => [r.reference, r.score]))}`);
    assert.match(screened.reason!, /^Demo data: the list demo-persons/);
  }
});

test('the stolen counterfeit UP8402513 is a hit, and the MRV-B holder a candidate, both marked as demo data', async () => {
  const { documents, persons } = await setup;
  const stolen = await documents.queryDocument({ documentNumber: 'UP8402513', issuingState: 'UTO', documentType: 'P' });
  assert.is(stolen.outcome, 'hit');
  assert.equal([stolen.records[0]!.status, stolen.records[0]!.details!.source], ['stolen', 'demo data']);
  const candidate = await persons.queryPerson(VISA_B_HOLDER);
  assert.is(candidate.outcome, 'hit');
  assert.equal(candidate.records.map((r) => r.reference), ['DEMO-W-0001']);
  assert.is(candidate.records[0]!.details!.source, 'demo data');
  assert.ok(candidate.records[0]!.score! < 1, 'a loose match, not an exact one');
});

test.run();
