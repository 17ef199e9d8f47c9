// The chip checks inside a test host, with a scripted reader whose scan carries a scripted chip:
// statuses for no chip, a genuine read, a wrong MRZ, an altered DG1, a mute chip and a broken MAC.
// (Passive Authentication here has no SOD signed by a known CSCA: it reports 'warning'/'fail'; the
// full PA path runs in the simulator integration test.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { definePlugin, extensionPoints, type ReaderDriver, type ChipTransport } from '@tessera/sdk';
import { startTestHost, testManifest } from '@tessera/sdk/testing';
import { TestChip, buildOpaqueFile, buildTestDg1, buildTestEfCom, type TestChipOptions } from '../reading/test-chip.js';

const PLUGIN_DIR = fileURLToPath(new URL('../..', import.meta.url));
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64'));
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const MRZ = { documentNumber: 'L898902C3', birthDate: '740812', expiryDate: '120415' };

let nextChip: (() => ChipTransport) | null = null;
let transmits = 0;
let challenges = 0;
const scripted: ReaderDriver = {
  id: 'scripted',
  displayName: 'Scripted reader',
  listDevices: async () => [{ id: 'scripted:1', vendor: 'Test', model: 'Scripted', capabilities: { lights: ['white'], mrz: true, chip: true }, status: 'ready' }],
  scan: async (deviceId) => ({
    deviceId,
    capturedAt: new Date().toISOString(),
    pages: [{ light: 'white', page: 'data-page', mediaType: 'image/png', data: PNG, width: 1, height: 1 }],
    mrz: { lines: TD3, source: 'device-ocr' as const },
    ...(nextChip ? { chip: nextChip() } : {}),
  }),
};
const readerPlugin = {
  manifest: testManifest('scripted-reader', { contributes: { readers: ['scripted'] } }),
  definition: definePlugin({ id: 'scripted-reader', deps: { readers: extensionPoints.readers }, init: ({ readers }) => void readers.add(scripted) }),
};

function chip(overrides: Partial<TestChipOptions> = {}, dg1 = TD3) {
  return () => {
    const c = new TestChip({
      mrz: MRZ,
      files: new Map([
        [0x011e, buildTestEfCom([1])],
        [0x011d, buildOpaqueFile(0x77, 300)],
        [0x0101, buildTestDg1(dg1)],
      ]),
      ...overrides,
    });
    const transmit = c.transmit.bind(c);
    c.transmit = (cmd, o) => {
      transmits++;
      if (cmd[1] === 0x84 && (cmd[0]! & 0x0c) === 0) challenges++;
      return transmit(cmd, o);
    };
    return c;
  };
}

async function inspect(make: (() => ChipTransport) | null, config: Record<string, unknown> = {}) {
  nextChip = make;
  transmits = 0;
  challenges = 0;
  const host = await startTestHost({ plugins: [readerPlugin], pluginFolders: [PLUGIN_DIR], now: new Date('2011-06-01T12:00:00Z'), config: { plugins: { config: { emrtd: config } } } });
  try {
    const record = await host.kernel.inspections.scan({ deviceId: 'scripted:1', actor: 'test' });
    return Object.fromEntries(record.checks.map((c) => [c.checkId, c]));
  } finally {
    await host.stop();
  }
}

test('no chip: every chip check is not applicable', async () => {
  const s = await inspect(null);
  for (const id of ['chip.access', 'chip.dg1-mrz', 'chip.passive-auth', 'chip.active-auth', 'chip.chip-auth']) assert.is(s[id]?.status, 'not_applicable', id);
});

test('a readable chip: access pass, DG1 matches, one chip session shared by all checks', async () => {
  const s = await inspect(chip());
  assert.is(s['chip.access']!.status, 'pass', JSON.stringify(s['chip.access']));
  assert.match(s['chip.access']!.summary, /BAC/);
  assert.is(s['chip.dg1-mrz']!.status, 'pass');
  assert.is(s['chip.active-auth']!.status, 'not_applicable');
  assert.is(s['chip.chip-auth']!.status, 'not_applicable');
  // The SOD here is not a real signed object: PA must not pass.
  assert.not.equal(s['chip.passive-auth']!.status, 'pass');
  // One session for the five checks running in parallel: BAC's GET CHALLENGE is sent once.
  assert.is(challenges, 1);
  assert.ok(transmits < 60, `${transmits} APDUs`);
});

test('wrong MRZ → chip.access fail CHIP_ACCESS_DENIED, dependents not checked', async () => {
  const s = await inspect(chip({ mrz: { ...MRZ, documentNumber: 'X12345678' } }));
  assert.is(s['chip.access']!.status, 'fail');
  assert.is(s['chip.access']!.findings[0]!.code, 'CHIP_ACCESS_DENIED');
  assert.is(s['chip.dg1-mrz']!.status, 'not_checked');
});

test('altered DG1 → chip.dg1-mrz fail with both MRZs shown', async () => {
  const altered = [TD3[0]!.replace('ANNA', 'ANNE'), TD3[1]!];
  const s = await inspect(chip({}, altered));
  assert.is(s['chip.dg1-mrz']!.status, 'fail');
  assert.is(s['chip.dg1-mrz']!.findings[0]!.code, 'CHIP_DG1_MRZ_MISMATCH');
  assert.is(s['chip.dg1-mrz']!.evidence.filter((e) => e.kind === 'text').length, 2);
});

test('mute chip → chip.access error CHIP_NOT_ANSWERING within the APDU timeout', async () => {
  const t0 = Date.now();
  const s = await inspect(chip({ mute: true }), { apduTimeoutMs: 300, readTimeoutMs: 2000 });
  assert.is(s['chip.access']!.status, 'error');
  assert.is(s['chip.access']!.findings[0]!.code, 'CHIP_NOT_ANSWERING');
  assert.ok(Date.now() - t0 < 3000);
});

test('a bad response MAC → chip.access fail CHIP_SECURE_CHANNEL_BROKEN', async () => {
  const s = await inspect(chip({ badMacOnResponse: 5 }));
  assert.is(s['chip.access']!.status, 'fail');
  assert.is(s['chip.access']!.findings[0]!.code, 'CHIP_SECURE_CHANNEL_BROKEN');
});

test('a master list that does not exist: the plugin starts, PA says why it cannot pass', async () => {
  const s = await inspect(chip(), { masterLists: ['no/such/list.ml'] });
  const pa = s['chip.passive-auth']!;
  assert.ok(pa.status === 'warning' || pa.status === 'fail' || pa.status === 'error', pa.status);
  assert.ok(pa.findings.some((f) => f.code === 'CHIP_TRUST_STORE_INCOMPLETE' && /no\/such\/list\.ml/.test(f.message)) || pa.status !== 'warning', JSON.stringify(pa.findings));
});

test.run();
