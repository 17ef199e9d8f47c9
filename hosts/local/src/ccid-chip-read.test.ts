// End to end at the USB boundary: the local host with the reader-usb-ccid plugin configured with two
// simulated CCID readers (extended and short APDUs) whose card is the reader simulator's virtual
// chip. For every specimen, the officer first scans the data page on the page reader, then reads
// the chip on the chip-only reader with that MRZ given in the scan request — what a workstation
// with a separate chip reader does. Every chip verdict through CCID must equal the simulator's
// direct read, genuine chips must pass every chip check, and hostile chips end in their failure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, loadHostConfig } from '@tessera/core';
import { startLocalHost, type LocalHost } from './local-host.js';

const PAGE_READER = 'simulator:fpr-1';
/** The simulated bus is bus 0; its readers sit in ports 1 and 2 in configuration order. */
const CCID_EXTENDED = 'usb-ccid:0-1';
const CCID_SHORT = 'usb-ccid:0-2';
const CHIP_CHECKS = ['chip.access', 'chip.dg1-mrz', 'chip.passive-auth', 'chip.active-auth', 'chip.chip-auth'];

interface Check {
  checkId: string;
  status: string;
  summary: string;
  findings: Array<{ code: string }>;
}
interface Inspection {
  mrzSource: string;
  mrz: { lines: string[] } | null;
  checks: Check[];
  images: unknown[];
  device: { id: string } | null;
}

let host: LocalHost;
let dataDir: string;

test.before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-ccid-test-'));
  // The default configuration (which trusts the simulator's test CSCA), plus the two simulated readers.
  const config = await loadHostConfig(dataDir, { createDefault: true });
  const chipFrom = { reader: 'simulator', device: PAGE_READER };
  const pluginConfig = (config.plugins ??= {}).config ?? {};
  config.plugins.config = {
    ...pluginConfig,
    emrtd: { ...pluginConfig.emrtd, apduTimeoutMs: 1000 },
    'reader-usb-ccid': { simulatedReaders: [{ chipFrom }, { chipFrom, exchangeLevel: 'short-apdu' }] },
  };
  host = await startLocalHost({ dataDir, port: 0, logger: createLogger({ level: 'silent' }), config });
});
test.after(async () => {
  await host?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const json = (r: { body: string }) => JSON.parse(r.body);

async function setOnPageReader(setting: 'document' | 'chip', value: string) {
  const r = await host.app.inject({ method: 'PUT', url: `/api/devices/${encodeURIComponent(PAGE_READER)}/settings/${setting}`, payload: { value } });
  assert.is(r.statusCode, 200, r.body);
}

async function scan(payload: { deviceId: string; mrz?: string[] }): Promise<Inspection> {
  const r = await host.app.inject({ method: 'POST', url: '/api/inspections', payload, headers: { 'x-tessera-officer': 'officer.test' } });
  assert.is(r.statusCode, 201, r.body);
  return json(r) as Inspection;
}

function chipVerdicts(record: Inspection): Record<string, string> {
  return Object.fromEntries(record.checks.filter((c) => c.checkId.startsWith('chip.')).map((c) => [c.checkId, `${c.status} ${c.findings.map((f) => f.code).sort().join(',')}`.trim()]));
}

function statusOf(record: Inspection, checkId: string): Check {
  const check = record.checks.find((c) => c.checkId === checkId);
  assert.ok(check, `${checkId} ran`);
  return check!;
}

/** Page scan for the MRZ, then the chip through the CCID reader with that MRZ. */
async function pageThenChip(ccidDevice: string): Promise<{ page: Inspection; chip: Inspection }> {
  const page = await scan({ deviceId: PAGE_READER });
  assert.ok(page.mrz?.lines.length, 'the page reader read the MRZ');
  const chip = await scan({ deviceId: ccidDevice, mrz: page.mrz!.lines });
  return { page, chip };
}

test('the simulated CCID readers are listed beside the page reader, as chip-only readers', async () => {
  const devices = json(await host.app.inject('/api/devices')).devices as Array<{ id: string; status: string; capabilities: { lights: string[]; chip: boolean } }>;
  for (const id of [CCID_EXTENDED, CCID_SHORT]) {
    const device = devices.find((d) => d.id === id);
    assert.ok(device, `${id} listed among ${devices.map((d) => d.id).join(', ')}`);
    assert.is(device!.status, 'ready');
    assert.equal(device!.capabilities.lights, []);
    assert.ok(device!.capabilities.chip);
  }
});

test('without an MRZ, the chip-only reader cannot derive the access key, and says so', async () => {
  await setOnPageReader('document', 'genuine-td3');
  const record = await scan({ deviceId: CCID_EXTENDED });
  assert.is(record.mrzSource, 'none');
  assert.is(statusOf(record, 'chip.access').status, 'not_checked');
});

test('an MRZ given with the scan request must be 2 or 3 lines of text', async () => {
  for (const mrz of [['P<UTOERIKSSON<<ANNA<MARIA'], ['a', 'b', 'c', 'd'], ['', 'x']]) {
    const r = await host.app.inject({ method: 'POST', url: '/api/inspections', payload: { deviceId: CCID_EXTENDED, mrz } });
    assert.is(r.statusCode, 400, r.body);
    assert.is(json(r).error?.code, 'TSR_REQUEST_INVALID', r.body);
  }
});

test('every specimen: the chip read through both CCID readers gives the verdicts of the direct read, and genuine chips pass', async () => {
  const settings = json(await host.app.inject(`/api/devices/${encodeURIComponent(PAGE_READER)}/settings`)) as Array<{ id: string; choices: Array<{ value: string; label: string }> }>;
  // Every choice but the empty glass, whose label is in brackets.
  const specimens = settings.find((s) => s.id === 'document')!.choices.filter((c) => !c.label.startsWith('(')).map((c) => c.value);
  assert.ok(specimens.length >= 5, `specimens: ${specimens.join(', ')}`);
  await setOnPageReader('chip', 'genuine');
  let withChip = 0;
  for (const specimen of specimens) {
    await setOnPageReader('document', specimen);
    const page = await scan({ deviceId: PAGE_READER });
    assert.ok(page.mrz?.lines.length, `${specimen}: the page reader read the MRZ`);
    if (statusOf(page, 'chip.access').status === 'not_applicable') {
      // A visa has no chip: on the chip reader nothing answers the field.
      const r = await host.app.inject({ method: 'POST', url: '/api/inspections', payload: { deviceId: CCID_EXTENDED, mrz: page.mrz!.lines } });
      assert.is(json(r).error?.code, 'TSR_READER_NO_DOCUMENT', `${specimen}: ${r.body}`);
      continue;
    }
    withChip++;
    const chip = await scan({ deviceId: CCID_EXTENDED, mrz: page.mrz!.lines });
    const short = await scan({ deviceId: CCID_SHORT, mrz: page.mrz!.lines });
    const direct = chipVerdicts(page);
    assert.is(chip.mrzSource, 'entered');
    assert.is(chip.device?.id, CCID_EXTENDED);
    assert.equal(chip.images, [], 'a chip-only reader stores no page images');
    assert.equal(chipVerdicts(chip), direct, `${specimen} through extended-APDU CCID`);
    assert.equal(chipVerdicts(short), direct, `${specimen} through short-APDU CCID`);
    if (specimen.startsWith('genuine-')) {
      for (const id of CHIP_CHECKS) assert.is(statusOf(chip, id).status, 'pass', `${specimen} ${id}: ${statusOf(chip, id).summary}`);
    }
  }
  assert.ok(withChip >= 3, `${withChip} specimens had a chip`);
});

// Hostile chips: each ends in its own failure through CCID, as it does read directly.
const HOSTILE: Record<string, { checkId: string; status: string; finding?: string }> = {
  'wrong-dg-hash': { checkId: 'chip.passive-auth', status: 'fail', finding: 'PA_DG_HASH_MISMATCH' },
  'expired-signer': { checkId: 'chip.passive-auth', status: 'fail', finding: 'PA_DSC_EXPIRED' },
  'unknown-signer': { checkId: 'chip.passive-auth', status: 'warning', finding: 'PA_CSCA_NOT_FOUND' },
  cloned: { checkId: 'chip.active-auth', status: 'fail', finding: 'CHIP_AA_FAILED' },
  'bad-mac': { checkId: 'chip.access', status: 'fail', finding: 'CHIP_SECURE_CHANNEL_BROKEN' },
  mute: { checkId: 'chip.access', status: 'error' },
};

for (const [profile, expected] of Object.entries(HOSTILE)) {
  test(`hostile chip '${profile}' through CCID: ${expected.checkId} ${expected.status}`, async () => {
    await setOnPageReader('document', 'genuine-td3');
    await setOnPageReader('chip', profile);
    try {
      const { page, chip } = await pageThenChip(CCID_EXTENDED);
      const check = statusOf(chip, expected.checkId);
      assert.is(check.status, expected.status, `${check.summary} ${JSON.stringify(check.findings)}`);
      if (expected.finding) assert.ok(check.findings.some((f) => f.code === expected.finding), JSON.stringify(check.findings));
      assert.is(statusOf(page, expected.checkId).status, expected.status, 'the direct read agrees');
      if (profile !== 'mute') assert.equal(chipVerdicts(chip), chipVerdicts(page), 'every chip verdict as in the direct read');
      // The chip session was closed: the reader is free for the next document.
      const devices = json(await host.app.inject('/api/devices')).devices as Array<{ id: string; status: string }>;
      assert.is(devices.find((d) => d.id === CCID_EXTENDED)?.status, 'ready');
    } finally {
      await setOnPageReader('chip', 'genuine');
    }
  });
}

test.run();
