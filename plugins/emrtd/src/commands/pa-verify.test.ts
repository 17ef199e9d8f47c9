// `tessera pa verify` on the BSI TR-03105 2013 reference document and the NL master list (from the
// shared data folder): verdicts, the JSON printed, exit codes and the errors a user can act on.
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPaVerifyCommand, parsePaVerifyArgs } from './pa-verify-command.js';

const DATA = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
const BSI = `${DATA}bsi-tr03105-2013/`;
const NL_ML = `${DATA}trust/NL_MASTERLIST_20211207.mls`;
/** The data groups the 2013 set's EF.SOD lists (the set also ships DG15, which it does not cover). */
const DGS = [1, 2, 3, 4, 14];
const dgArgs = (files: Record<number, string> = {}) => DGS.flatMap((dg) => ['--dg', `${dg}=${files[dg] ?? `${BSI}Datagroup${dg}.bin`}`]);

interface Run {
  code: number;
  out: string[];
  err: string[];
}

/** Runs the command; `overrides` serves in-memory bytes for some paths, everything else comes from disk. */
async function run(args: string[], overrides: Record<string, Uint8Array> = {}): Promise<Run> {
  const { readFile } = await import('node:fs/promises');
  const command = createPaVerifyCommand({ readFile: async (p) => overrides[p] ?? new Uint8Array(await readFile(p)) });
  const out: string[] = [];
  const err: string[] = [];
  const code = await command.run(args, { stdin: null, stdinIsTTY: false, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out, err };
}

type PaJson = {
  verdict: string;
  signature: { valid: boolean; algorithm: string };
  chain: { status: string; detail: string };
  hashes: { dg: number; valid: boolean | null; status: string }[];
  dsc: { subject: string } | null;
  csca: unknown;
  errors: { code: string; message: string }[];
};

function single(r: Run): PaJson {
  assert.is(r.out.length, 1, 'one JSON object, printed at once');
  return JSON.parse(r.out[0]) as PaJson;
}

test('BSI 2013 + its data groups + the NL master list → unknown (no CSCA), signature and every hash valid, exit 1', async () => {
  const r = await run(['--sod', `${BSI}EF_SOD.bin`, ...dgArgs(), '--masterlist', NL_ML]);
  assert.is(r.code, 1, r.err.join('\n'));
  const result = single(r);
  for (const key of ['verdict', 'signature', 'chain', 'hashes', 'dsc', 'csca', 'errors']) assert.ok(key in result, key);
  assert.is(result.verdict, 'unknown');
  assert.is(result.signature.valid, true);
  assert.is(result.signature.algorithm, 'RSASSA-PSS (SHA-256, MGF1 SHA-256, salt 32)');
  assert.equal(result.hashes.map((h) => [h.dg, h.valid, h.status]), DGS.map((dg) => [dg, true, 'match']));
  assert.is(result.chain.status, 'no-anchor');
  assert.match(result.dsc!.subject, /HJP PB DS/);
  assert.is(result.csca, null);
  assert.equal(result.errors.map((e) => e.code), ['PA_CSCA_NOT_FOUND']);
  assert.equal(r.err, [], 'an unknown verdict is an outcome, not an error');
});

test('--issuing-state and a CRL are accepted; the country is reported', async () => {
  const r = await run(['--sod', `${BSI}EF_SOD.bin`, ...dgArgs(), '--masterlist', NL_ML, '--crl', `${DATA}trust/COL.crl`, '--issuing-state', 'D']);
  assert.is(r.code, 1, r.err.join('\n'));
  const result = single(r) as PaJson & { country: { issuingState: string | null } };
  assert.is(result.verdict, 'unknown');
  assert.ok('country' in result);
});

test('a tampered data group → invalid, the data group named, exit 1', async () => {
  const { readFileSync } = await import('node:fs');
  const dg2 = new Uint8Array(readFileSync(`${BSI}Datagroup2.bin`));
  dg2[200] ^= 0x01;
  const r = await run(['--sod', `${BSI}EF_SOD.bin`, ...dgArgs({ 2: 'tampered-DG2.bin' }), '--masterlist', NL_ML], { 'tampered-DG2.bin': dg2 });
  assert.is(r.code, 1);
  const result = single(r);
  assert.is(result.verdict, 'invalid');
  assert.is(result.signature.valid, true);
  const bad = result.hashes.filter((h) => h.valid === false);
  assert.equal(bad.map((h) => [h.dg, h.status]), [[2, 'mismatch']]);
  const error = result.errors.find((e) => e.code === 'PA_DG_HASH_MISMATCH');
  assert.ok(error);
  assert.match(error!.message, /^Data group 2 /);
});

test('a corrupt EF.SOD → exit 1 with PA_SOD_MALFORMED on stderr (and verdict invalid)', async () => {
  const r = await run(['--sod', 'bad-sod.bin', ...dgArgs(), '--masterlist', NL_ML], { 'bad-sod.bin': Uint8Array.of(0x77, 0x03, 0x30, 0x01, 0xff) });
  assert.is(r.code, 1);
  assert.match(r.err[0], /^error PA_SOD_MALFORMED: --sod bad-sod\.bin: /);
  assert.ok(r.err[1]?.trim(), 'with a hint');
  assert.is(single(r).verdict, 'invalid');
});

test('an unreadable file or a corrupt master list → exit 1 with a code, no JSON', async () => {
  const missing = await run(['--sod', `${BSI}does-not-exist.bin`, '--masterlist', NL_ML]);
  assert.is(missing.code, 1);
  assert.equal(missing.out, []);
  assert.match(missing.err[0], /^error PA_FILE_UNREADABLE: Cannot read --sod ".*does-not-exist\.bin": no such file/);

  const badList = await run(['--sod', `${BSI}EF_SOD.bin`, '--masterlist', 'list.mls'], { 'list.mls': Uint8Array.of(1, 2, 3) });
  assert.is(badList.code, 1);
  assert.equal(badList.out, []);
  assert.match(badList.err[0], /^error PA_MASTER_LIST_MALFORMED: /);

  const notCsca = await run(['--sod', `${BSI}EF_SOD.bin`, '--csca', 'x.pem'], { 'x.pem': new TextEncoder().encode('hello') });
  assert.is(notCsca.code, 1);
  assert.match(notCsca.err[0], /^error PA_CSCA_UNUSABLE: /);
});

test('usage errors → exit 2 with what to do', async () => {
  const cases: [string[], RegExp][] = [
    [['--masterlist', NL_ML], /missing --sod FILE/],
    [['--sod', 'x', '--masterlist', NL_ML, '--dg', 'x=DG1.bin'], /--dg x=DG1\.bin: expected N=FILE/],
    [['--sod', 'x', '--masterlist', NL_ML, '--dg', '17=DG17.bin'], /data group number 1-16/],
    [['--sod', 'x', '--masterlist', NL_ML, '--dg', '1=a', '--dg', 'DG1=b'], /--dg 1 is given twice/],
    [['--sod', 'x'], /pass at least one --masterlist FILE or --csca FILE/],
    [['--sod', 'x', '--masterlist', NL_ML, '--frobnicate'], /Unknown option '--frobnicate'/],
    [['--sod', 'x', '--masterlist', NL_ML, 'extra'], /positional/i],
    [['--sod', 'x', '--masterlist', NL_ML, '--at', 'yesterday'], /--at yesterday: not a date/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.is(r.code, 2, args.join(' '));
    assert.equal(r.out, []);
    assert.match(r.err[0], /^error: /);
    assert.match(r.err[0], message);
    assert.match(r.err.join('\n'), /Usage: tessera pa verify/);
  }
});

test('argument parsing: DGn= and N= forms, repeatable trust sources', () => {
  const parsed = parsePaVerifyArgs(['--sod', 's', '--dg', 'DG1=a', '--dg', '14=b', '--masterlist', 'm1', '--masterlist', 'm2', '--csca', 'c', '--crl', 'r', '--issuing-state', 'UTO', '--at', '2020-01-01']);
  assert.ok(typeof parsed !== 'string', String(parsed));
  if (typeof parsed === 'string') return;
  assert.equal([...parsed.dgs], [[1, 'a'], [14, 'b']]);
  assert.equal([parsed.masterLists, parsed.cscas, parsed.crls, parsed.issuingState], [['m1', 'm2'], ['c'], ['r'], 'UTO']);
  assert.is(parsed.at!.toISOString(), '2020-01-01T00:00:00.000Z');
});

test.run();
