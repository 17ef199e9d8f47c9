/**
 * Demonstration lists (setting `demoData`, on in the demo workstation's default configuration): while no
 * list has been imported, a small generated document list and persons watchlist go in through the
 * ordinary import, attributed to DEMO_DATA_ACTOR so every answer from them can say "demo data". Without
 * them a fresh demo workstation answers every scan "not checked: no list imported" — right for a real
 * deployment, useless for a demonstration.
 *
 * What the demo shows with the reader simulator (plugins/reader-simulator/src/specimens): its stolen
 * counterfeit passport `UP8402513` is on the document list; the holder of its genuine MRV-B visa,
 * NAKAMURA Hiroshi (JPN, born 1983-09-05), is on the watchlist loosely — the Kunrei spelling HIROSI and
 * only the birth month known — so screening shows a candidate with its explanation. Every other entry is
 * generated from a fixed seed, issued by other states than Utopia and named unlike any specimen holder.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ListInfo, ListStore } from '../store/list-store.js';
import { importList } from '../import/import-list.js';

/** Who "imported" the demo lists: the mark by which answers from them are told apart. */
export const DEMO_DATA_ACTOR = 'tessera-demo-data';
export const DEMO_DOCUMENT_LIST = 'demo-documents';
export const DEMO_PERSON_LIST = 'demo-persons';
const GENERATED_DOCUMENTS = 300;
const GENERATED_PERSONS = 300;

export const isDemoList = (list: Pick<ListInfo, 'importedBy'>): boolean => list.importedBy === DEMO_DATA_ACTOR;

/** Said with every answer that involved a demo list, so the officer cannot take it for a real check. */
export function demoDataReason(lists: readonly string[]): string {
  return `Demo data: the list${lists.length === 1 ? '' : 's'} ${lists.join(', ')} ${lists.length === 1 ? 'is' : 'are'} generated demonstration data, not the agency's — nothing here is a real check.`;
}

/** A small deterministic generator (mulberry32), so the demo lists are the same on every workstation. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

// No Utopia: the simulator's genuine documents are all UTO, and must stay unlisted.
const STATES = ['D', 'FRA', 'ITA', 'ESP', 'NLD', 'POL', 'SWE', 'GBR', 'USA', 'CAN', 'BRA', 'IND'] as const;
const STATUSES = ['lost', 'lost', 'stolen', 'stolen', 'revoked', 'invalid'] as const;
const LETTERS = 'CFGHJKLMNPRTVWXYZ';
// Syllables that build surnames far from every specimen holder's (Lindqvist, Østergaard, Castellanos
// Ruíz, O'Sullivan, Nakamura, Haddad, Papadopoulou, Novak, Moreau-Delacroix).
const SYLLABLES = ['BRE', 'TOV', 'ZAK', 'VUR', 'GEM', 'FIB', 'WEX', 'QUIL', 'DRAM', 'YOT', 'BLEN', 'SKOR', 'TRIF', 'GWEL', 'FURM'] as const;
const GIVEN = ['ABEBE', 'BOGDAN', 'CHIDI', 'DAGNY', 'EFUA', 'FARID', 'GUNNHILD', 'HAMZA', 'ILSE', 'JARNO', 'KOFI', 'LEOCADIA', 'MIROSLAV', 'NNEKA', 'OTTOKAR', 'PRISCA'] as const;

const csvLine = (cells: readonly string[]) => cells.join(',') + '\n';

export function demoDocumentsCsv(): string {
  const next = random(5105);
  let csv = csvLine(['document_number', 'issuing_state', 'document_type', 'status', 'reference']);
  // The simulator's counterfeit passport carries a stolen genuine number (as on SLTD's demo data).
  csv += csvLine(['UP8402513', 'UTO', 'P', 'stolen', 'DEMO-NAT-0001']);
  for (let i = 0; i < GENERATED_DOCUMENTS; i++) {
    const number = pick(next, LETTERS.split('')) + pick(next, LETTERS.split('')) + String(Math.floor(next() * 1e7)).padStart(7, '0');
    csv += csvLine([number, pick(next, STATES), next() < 0.7 ? 'P' : 'I', pick(next, STATUSES), `DEMO-NAT-${String(i + 2).padStart(4, '0')}`]);
  }
  return csv;
}

export function demoPersonsCsv(): string {
  const next = random(7207);
  let csv = csvLine(['id', 'surname', 'given_names', 'birth_date', 'nationality', 'aliases']);
  // The MRV-B specimen's holder, loosely: another romanisation of the given name, only the birth month known.
  csv += csvLine(['DEMO-W-0001', 'NAKAMURA', 'HIROSI', '1983-09', 'JPN', '']);
  for (let i = 0; i < GENERATED_PERSONS; i++) {
    const surname = pick(next, SYLLABLES) + pick(next, SYLLABLES).toLowerCase() + (next() < 0.4 ? pick(next, SYLLABLES).toLowerCase() : '');
    const year = 1940 + Math.floor(next() * 65);
    const known = next();
    const birth = known < 0.7 ? `${year}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}` : known < 0.9 ? `${year}` : '';
    csv += csvLine([`DEMO-W-${String(i + 2).padStart(4, '0')}`, surname.toUpperCase(), pick(next, GIVEN), birth, pick(next, STATES).replace(/^D$/, 'DEU'), '']);
  }
  return csv;
}

/**
 * Import the demo lists when no list of any kind exists yet (the agency's own lists always win; once it
 * imports one, the demo is not brought back). Resolves with the lists imported, empty when none was.
 */
export async function importDemoLists(store: ListStore): Promise<ListInfo[]> {
  if ((await store.lists()).length) return [];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-demo-lists-'));
  try {
    const imported: ListInfo[] = [];
    for (const [list, kind, content] of [[DEMO_DOCUMENT_LIST, 'documents', demoDocumentsCsv()], [DEMO_PERSON_LIST, 'persons', demoPersonsCsv()]] as const) {
      const file = path.join(dir, `${list}.csv`);
      await writeFile(file, content);
      imported.push((await importList(store, { file, list, kind, actor: DEMO_DATA_ACTOR })).list);
    }
    return imported;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
