// `tessera lists import|ls|screen` as spawned processes on a real data folder: the JSON the issue
// specifies, exit codes, usage errors, a refused import that changes nothing, and the audit trail.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryFromName } from './lists-screen-command.js';
import { parseArgs } from './command-support.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = path.join(REPO, 'hosts/cli/bin/tessera.mjs');
const WORK = mkdtempSync(path.join(tmpdir(), 'natlist-cli-'));
const DATA = path.join(WORK, 'data');
const write = (name: string, content: string) => {
  const p = path.join(WORK, name);
  writeFileSync(p, content);
  return p;
};

function tessera(...args: string[]): Promise<{ code: number; out: string[]; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO, timeout: 120_000, env: { ...process.env, TESSERA_USER: 'officer.k', TESSERA_DATA: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout.split('\n').filter(Boolean), err: stderr });
    });
  });
}

test('argument handling: --name forms, option parsing errors', () => {
  assert.equal(queryFromName('ERIKSSON, ANNA MARIA'), { surname: 'ERIKSSON', givenNames: 'ANNA MARIA' });
  assert.equal(queryFromName('ERIKSSON<<ANNA<MARIA'), { surname: 'ERIKSSON', givenNames: 'ANNA MARIA' });
  assert.equal(queryFromName('Anna Maria Eriksson'), { surname: 'Anna Maria Eriksson' });
  assert.throws(() => parseArgs(['--list'], ['list']), /--list needs a value/);
  assert.throws(() => parseArgs(['--bogus'], ['list']), /unknown option --bogus/);
  assert.equal([...parseArgs(['--list=a', '--data', 'd', 'F'], ['list']).values], [['list', 'a'], ['data', 'd']]);
});

test('spawned: import, ls, screen (single and file), a refused import, usage errors, no data folder', async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(DATA);
  const docs = await tessera('lists', 'import', write('stolen.csv', 'document_number,issuing_state,document_type,status\nL898902C3,UTO,P,stolen\n'), '--list', 'stolen', '--kind', 'documents', '--data', DATA);
  assert.is(docs.code, 0, docs.err);
  const summary = JSON.parse(docs.out[0]!);
  assert.equal([summary.list, summary.kind, summary.version, summary.rows, summary.importedBy], ['stolen', 'documents', 1, 1, 'officer.k']);
  assert.match(docs.err, /progress: 100%/);

  const persons = write('watch.csv', 'id,surname,given_names,birth_date,nationality,aliases\nW-17,ERIKSSON,ANNA MARIA,1974-08-12,UTO,ERIKSON ANNA\nW-18,PETROV,IVAN,1980,RUS,\n');
  assert.is((await tessera('lists', 'import', persons, '--list', 'watch', '--kind', 'persons', '--data', DATA, '--threshold', '0.75')).code, 0);

  const bad = await tessera('lists', 'import', write('bad.csv', 'id,surname,birth_date\nW-1,A,1974-02-30\n'), '--list', 'watch', '--kind', 'persons', '--data', DATA);
  assert.is(bad.code, 1);
  assert.match(bad.err, /line 2: birth_date "1974-02-30" is not a valid date/);
  assert.match(bad.err, /error NATLIST_TOO_MANY_INVALID_ROWS/);

  const ls = await tessera('lists', 'ls', '--data', DATA, '--json');
  assert.is(ls.code, 0);
  assert.equal(ls.out.map((l) => JSON.parse(l)).map((l: { name: string; version: number; rowCount: number; threshold: number | null }) => [l.name, l.version, l.rowCount, l.threshold]), [['stolen', 1, 1, null], ['watch', 1, 2, 0.75]]);

  const one = await tessera('lists', 'screen', '--list', 'watch', '--data', DATA, '--name', 'ERIKSSON, ANNA MARIA', '--birth-date', '1974-08-12', '--nationality', 'UTO', '--user', 'officer.m', '--purpose', 'visa-application');
  assert.is(one.code, 0, one.err);
  assert.is(one.out.length, 1);
  const line = JSON.parse(one.out[0]!);
  assert.equal(Object.keys(line), ['query', 'candidates']);
  assert.is(line.query, '1');
  assert.equal(Object.keys(line.candidates[0]), ['id', 'score', 'match', 'features']);
  assert.equal([line.candidates[0].id, line.candidates[0].match], ['W-17', true]);
  assert.ok(line.candidates.every((c: { score: number; match: boolean }) => c.match === c.score >= 0.75), 'match follows the list threshold');

  const queries = write('queries.csv', 'id,surname,given_names,birth_date,nationality\nq1,PETROV,IVAN,1980-05-01,RUS\nq2,NOBODY,,1999,XXA\nq3,BROKEN,,1999-99-99,\n');
  const many = await tessera('lists', 'screen', '--list', 'watch', '--data', DATA, '--file', queries);
  assert.is(many.code, 1, 'a skipped query row makes the exit status 1');
  assert.equal(many.out.map((l) => JSON.parse(l).query), ['q1', 'q2']);
  assert.is(JSON.parse(many.out[0]!).candidates[0].id, 'W-18');
  assert.match(many.err, /line 4: birth date "1999-99-99"/);

  assert.is((await tessera('lists', 'screen', '--list', 'watch', '--data', DATA, '--name', 'X', '--file', queries)).code, 2);
  assert.is((await tessera('lists', 'screen', '--list', 'watch', '--data', DATA, '--name', 'X', '--birth-date', '12.08.1974')).code, 2);
  assert.is((await tessera('lists', 'import', persons, '--list', 'w', '--kind', 'people', '--data', DATA)).code, 2);
  const noList = await tessera('lists', 'screen', '--list', 'nope', '--data', DATA, '--name', 'X');
  assert.equal([noList.code, /NATLIST_LIST_NOT_FOUND/.test(noList.err)], [1, true]);
  const noData = await tessera('lists', 'import', persons, '--list', 'w', '--kind', 'persons', '--data', path.join(WORK, 'missing'));
  assert.equal([noData.code, /NATLIST_NO_DATA_FOLDER/.test(noData.err)], [1, true]);
});

test.run();
