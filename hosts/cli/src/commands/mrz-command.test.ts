// `tessera mrz` in-process with a fake io.
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runMrzCommand, splitDocuments, type MrzCommandIo } from './mrz-command.js';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const REF = ['--reference-date', '2026-11-25'];

function fakeIo(stdin: string | null, stdinIsTTY = false): MrzCommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdin: stdin === null ? null : Readable.from([Buffer.from(stdin, 'utf8')]),
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    stdinIsTTY,
    out,
    err,
  };
}

test('lines as arguments form one document; valid → exit 0 and one JSON line', async () => {
  const io = fakeIo(null, true);
  const code = await runMrzCommand([...REF, ...TD3], io);
  assert.is(code, 0);
  assert.is(io.out.length, 1);
  assert.equal(io.err, []);
  const doc = JSON.parse(io.out[0]);
  assert.equal(Object.keys(doc), ['format', 'valid', 'fields', 'checks', 'errors', 'warnings', 'corrections']);
  assert.is(doc.format, 'TD3');
  assert.is(doc.valid, true);
  assert.equal(doc.fields, {
    documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '1974-08-12',
    sex: 'F', expiryDate: '2012-04-15', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', optionalData1: 'ZE184226B', optionalData2: '',
  });
  assert.equal(doc.checks[0], { field: 'documentNumber', valid: true });
  assert.equal(doc.errors, []);
  assert.equal(doc.warnings.map((w: { code: string }) => w.code), ['MRZ_DOCUMENT_EXPIRED']);
  assert.equal(Object.keys(doc.warnings[0]), ['code', 'message']);
});

test('invalid document → exit 1 with coded errors', async () => {
  const io = fakeIo(null, true);
  const code = await runMrzCommand([...REF, TD3[0], TD3[1].slice(0, 43) + '1'], io);
  assert.is(code, 1);
  const doc = JSON.parse(io.out[0]);
  assert.is(doc.valid, false);
  assert.equal(doc.errors.map((e: { code: string }) => e.code), ['MRZ_CHECK_DIGIT_COMPOSITE']);
  assert.match(doc.errors[0].message, 'line 2, column 44');
});

test('stdin: documents separated by blank lines, one JSON line each', async () => {
  const io = fakeIo(`${TD3.join('\n')}\n\n\n  ${TD1.join('\r\n')}  \n\n${TD3[0]}\n`);
  const code = await runMrzCommand(REF, io);
  assert.is(code, 1); // the third document has one line only
  assert.is(io.out.length, 3);
  const docs = io.out.map((l) => JSON.parse(l));
  assert.equal(docs.map((d) => d.format), ['TD3', 'TD1', null]);
  assert.equal(docs.map((d) => d.valid), [true, true, false]);
  assert.is(docs[2].fields, null);
  assert.is(docs[2].errors[0].code, 'MRZ_LINE_COUNT');
});

test('--correct repairs OCR confusions and reports them', async () => {
  const io = fakeIo(`${TD3[0]}\nL898902C36UTO74O8122F1204159ZE184226B<<<<<10\n`);
  const code = await runMrzCommand(['--correct', ...REF], io);
  assert.is(code, 0);
  const doc = JSON.parse(io.out[0]);
  assert.is(doc.fields.birthDate, '1974-08-12');
  assert.equal(doc.corrections.map((c: { column: number; from: string; to: string }) => [c.column, c.from, c.to]), [[16, 'O', '0']]);
});

test('ambiguous corrections are printed with their candidates', async () => {
  const io = fakeIo(null, true);
  const code = await runMrzCommand(['--correct', ...REF, TD3[0], 'LB98902C36UTO7408122F1204159ZE184226B<<<<<10'], io);
  assert.is(code, 1);
  const doc = JSON.parse(io.out[0]);
  assert.ok(doc.errors.some((e: { code: string }) => e.code === 'MRZ_CORRECTION_AMBIGUOUS'));
  assert.ok(doc.ambiguous.candidates.length >= 2);
});

test('--reference-date drives the century and the expiry warning', async () => {
  const io = fakeIo(null, true);
  await runMrzCommand(['--reference-date', '2010-01-01', ...TD3], io);
  const doc = JSON.parse(io.out[0]);
  assert.is(doc.fields.expiryDate, '2012-04-15');
  assert.equal(doc.warnings, []);
});

test('usage errors exit 2 with one line on stderr', async () => {
  const cases: Array<[string[], string | null, boolean, string]> = [
    [['--bogus', ...TD3], null, true, "unknown option '--bogus'"],
    [[], null, true, 'pass the MRZ lines as arguments or pipe them on stdin'],
    [[], null, false, 'pass the MRZ lines as arguments or pipe them on stdin'],
    [[], '\n  \n', false, 'stdin held no MRZ lines'],
    [['--reference-date', '2026-02-30', ...TD3], null, true, '--reference-date must be a calendar date'],
    [['--reference-date', '25.11.2026', ...TD3], null, true, 'YYYY-MM-DD'],
    [['--reference-date'], null, true, 'argument missing'],
  ];
  for (const [args, stdin, tty, text] of cases) {
    const io = fakeIo(stdin, tty);
    const code = await runMrzCommand(args, io);
    assert.is(code, 2, args.join(' '));
    assert.equal(io.out, []);
    assert.is(io.err.length, 1);
    assert.ok(!io.err[0].includes('\n'));
    assert.match(io.err[0], text);
  }
});

test('--help prints the usage and exits 0', async () => {
  const io = fakeIo(null, true);
  assert.is(await runMrzCommand(['--help'], io), 0);
  assert.match(io.out[0], 'usage: tessera mrz');
});

test('splitDocuments ignores surrounding blank lines and whitespace', () => {
  assert.equal(splitDocuments('\n\n a \n b\n\n\n c\n'), [['a', 'b'], ['c']]);
  assert.equal(splitDocuments(''), []);
});

test.run();
