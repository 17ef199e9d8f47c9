// `tessera chip read`: end to end through the CLI entry as a spawned process against the reader
// simulator in a fresh data folder (whose default configuration trusts the simulator's test PKI):
// the genuine chip passes every verdict (exit 0); the wrong-dg-hash profile fails Passive
// Authentication (exit 1). Then the command function alone: arguments, keys and reader choice.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandIo, ReaderDriver } from '@tessera/sdk';
import { createChipReadCommand, mrzKeyFromOption, overallVerdict, parseChipReadArgs } from './chip-read-command.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = path.join(REPO, 'hosts/cli/bin/tessera.mjs');

/** The configuration `tessera start` writes into a new data folder (core's writeDefaultHostConfig). */
const DEFAULT_CONFIG = {
  bcp: { code: 'DEMO-BCP', name: 'Demonstration border crossing point', country: 'UTO' },
  profile: null,
  plugins: { disabled: [], config: { emrtd: { masterLists: ['plugins/reader-simulator/test-pki/UTO-masterlist.ml'], crls: ['plugins/reader-simulator/test-pki/UTO-crl.crl'] } } },
  profiles: {},
};

function tessera(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const { TESSERA_DATA: _ignored, ...env } = process.env; // --data decides, not the caller's environment
    execFile(process.execPath, [CLI, ...args], { cwd: REPO, timeout: 120_000, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let dataDir: string | undefined;
async function data(): Promise<string> {
  if (!dataDir) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-chip-read-'));
    await writeFile(path.join(dataDir, 'tessera.config.json'), JSON.stringify(DEFAULT_CONFIG));
  }
  return dataDir;
}

test('spawned CLI, genuine simulator chip: every verdict passes, exit 0', async () => {
  const r = await tessera(['chip', 'read', '--data', await data(), '--json']);
  assert.is(r.code, 0, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout);
  assert.is(report.verdict, 'pass');
  assert.is(report.device, 'simulator:fpr-1');
  assert.is(report.access.protocol, 'BAC');
  assert.equal(report.dataGroups, [1, 2, 11, 12, 14, 15]);
  assert.is(report.dg1.length, 2);
  assert.match(report.dg1[1], /^[A-Z0-9<]{44}$/);
  assert.is(report.face.format, 'jpeg');
  assert.ok(report.face.bytes > 1000 && report.face.width > 0 && report.face.height > 0);
  for (const id of ['chip.access', 'chip.dg1-mrz', 'chip.passive-auth', 'chip.active-auth', 'chip.chip-auth']) assert.is(report.checks[id].status, 'pass', `${id}: ${report.checks[id].summary}`);
});

test('spawned CLI, hostile wrong-dg-hash chip: Passive Authentication fails with the data group named, exit 1', async () => {
  const r = await tessera(['chip', 'read', '--data', await data(), '--setting', 'chip=wrong-dg-hash']);
  assert.is(r.code, 1, r.stderr + r.stdout);
  assert.match(r.stdout, /^Chip on simulator:fpr-1: FAIL/);
  assert.match(r.stdout, /chip\.passive-auth\s+FAIL\s+Passive Authentication failed: Data group \d+ hash does not match/);
  assert.match(r.stdout, /PA_DG_HASH_MISMATCH/);
  // AA and CA cannot count without PA.
  assert.match(r.stdout, /chip\.active-auth\s+WARN/);
});

test('cleanup', async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- the command function
function io(readers?: readonly ReaderDriver[]): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdin: null, stdinIsTTY: false, stdout: (l) => out.push(l), stderr: (l) => err.push(l), ...(readers ? { readers: () => readers } : {}), out, err };
}

const command = createChipReadCommand({ trust: { masterLists: [], crls: [], cscaCertificates: [] }, pluginDataDir: '' });

function reader(id: string, devices: Array<{ id: string; chip: boolean }>, scan?: ReaderDriver['scan']): ReaderDriver {
  return {
    id,
    displayName: id,
    listDevices: async () =>
      devices.map((d) => ({ id: d.id, vendor: 'test', model: 'test', capabilities: { lights: ['white'], mrz: true, chip: d.chip }, status: 'ready' as const })),
    scan: scan ?? (async (deviceId) => ({ deviceId, capturedAt: new Date().toISOString(), pages: [], mrz: { lines: ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'], source: 'device-ocr' } })),
  };
}

test('arguments: usage errors exit 2; --mrz takes MRZ_information or the MRZ lines', async () => {
  for (const args of [['--bogus'], ['extra'], ['--can', '12345'], ['--setting', 'chip']]) {
    const o = io();
    assert.is(await command.run(args, o), 2, args.join(' '));
    assert.match(o.err.join('\n'), /Usage: tessera chip read/);
  }
  assert.equal(parseChipReadArgs(['--setting', 'chip=cloned', '--setting', 'a=b=c', '--data', 'x', '--json']).settings, [
    { id: 'chip', value: 'cloned' },
    { id: 'a', value: 'b=c' },
  ]);
  assert.equal(mrzKeyFromOption('L898902C<369080619406236').key, { documentNumber: 'L898902C', birthDate: '690806', expiryDate: '940623' });
  const lines = mrzKeyFromOption('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<< L898902C36UTO7408122F1204159ZE184226B<<<<<10');
  assert.equal(lines.key, { documentNumber: 'L898902C3', birthDate: '740812', expiryDate: '120415' });
  assert.throws(() => mrzKeyFromOption('L898902C'), (e: { code?: string }) => e.code === 'EMRTD_READ_NO_KEY');
});

test('readers: none from the host, none with a chip, an unknown driver, a device without a chip answering', async () => {
  const cases: Array<[readonly ReaderDriver[] | undefined, string[], RegExp]> = [
    [undefined, [], /^error EMRTD_READ_NO_READER: This host runs commands without readers/],
    [[reader('flatbed', [{ id: 'flatbed:1', chip: false }])], [], /^error EMRTD_READ_NO_READER: No ready reader with a chip antenna was found \(devices: flatbed:1 \(no chip antenna\)\)/],
    [[reader('simulator', [{ id: 'simulator:fpr-1', chip: true }])], ['--reader', 'usb-ccid'], /^error EMRTD_READ_NO_READER: No reader driver "usb-ccid" is loaded \(loaded: simulator\)/],
    [[reader('simulator', [{ id: 'simulator:fpr-1', chip: true }])], ['--device', 'simulator:fpr-9'], /^error EMRTD_READ_NO_READER: No device "simulator:fpr-9"/],
    [[reader('simulator', [{ id: 'simulator:fpr-1', chip: true }])], [], /^error EMRTD_READ_NO_CHIP: No chip answered on simulator:fpr-1/],
    [[reader('simulator', [{ id: 'simulator:fpr-1', chip: true }])], ['--setting', 'chip=cloned'], /^error EMRTD_READ_SETTING_INVALID: The reader simulator has no settings/],
  ];
  for (const [readers, args, message] of cases) {
    const o = io(readers);
    assert.is(await command.run(args, o), 1, `${args.join(' ')}: ${o.err.join(' ')}`);
    assert.match(o.err[0]!, message);
  }
});

test('overall verdict: any fail or error fails; warnings and unchecked verdicts are inconclusive', () => {
  assert.is(overallVerdict(['pass', 'not_applicable', 'pass']), 'pass');
  assert.is(overallVerdict(['pass', 'warning', 'not_applicable']), 'inconclusive');
  assert.is(overallVerdict(['pass', 'not_checked']), 'inconclusive');
  assert.is(overallVerdict(['warning', 'fail']), 'fail');
  assert.is(overallVerdict(['pass', 'error']), 'fail');
});

test.run();
