// Integration: every chip profile of the reader simulator met through PACE (its 'chip-access'
// setting set to 'pace', so EF.CardAccess offers PACE-GM whatever the profile), the RSA Active
// Authentication and DH Chip Authentication chips through both PACE and BAC, and the PACE-CAM chip
// and its clone (Chip Authentication Mapping against the key in a signed EF.CardSecurity), read by this plugin
// inside one test host. The simulator keeps its test PKI in a temporary folder (chipDataDir) and
// this plugin trusts the master list and CRL written there, as the default host configuration does
// with the data folder — so each profile's Passive Authentication verdict is the specific one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestHost, type TestHost } from '@tessera/sdk/testing';
import type { ReaderDriver } from '@tessera/sdk';

const EMRTD_DIR = fileURLToPath(new URL('../..', import.meta.url));
const SIMULATOR_DIR = fileURLToPath(new URL('../../../reader-simulator', import.meta.url));
const DEVICE = 'simulator:fpr-1';

let host: TestHost | undefined;
let pkiFolder: string | undefined;

async function start(): Promise<TestHost> {
  if (host) return host;
  pkiFolder = await mkdtemp(join(tmpdir(), 'tessera-pace-profiles-'));
  const trust = { masterLists: [join(pkiFolder, 'test-pki', 'UTO-masterlist.ml')], crls: [join(pkiFolder, 'test-pki', 'UTO-crl.crl')] };
  host = await startTestHost({
    pluginFolders: [SIMULATOR_DIR, EMRTD_DIR],
    now: new Date(),
    inspectionTimeouts: { checkMs: 30_000 },
    config: { plugins: { config: { 'reader-simulator': { chipDataDir: pkiFolder }, emrtd: { apduTimeoutMs: 500, readTimeoutMs: 15_000, ...trust } } } },
  });
  assert.is(host.plugin('reader-simulator').state, 'started');
  assert.is(host.plugin('emrtd').state, 'started');
  return host;
}

type Checks = Record<string, { status: string; summary: string; findings: { code: string }[]; evidence: { kind: string; label: string; value?: unknown }[] }>;

async function scanWith(profile: string, access: 'pace' | 'profile'): Promise<Checks> {
  const h = await start();
  const driver = h.kernel.registry.get('readers', 'simulator')!.item as ReaderDriver;
  await driver.changeSetting!(DEVICE, 'chip', profile);
  await driver.changeSetting!(DEVICE, 'chip-access', access);
  const record = await h.kernel.inspections.scan({ deviceId: DEVICE, actor: 'test' });
  const checks = Object.fromEntries(record.checks.map((c) => [c.checkId, c])) as unknown as Checks;
  if (process.env.EMRTD_TEST_VERBOSE) for (const c of Object.values(checks)) console.log(`${access} ${profile} ${JSON.stringify(c).replace(/"dataUrl":"[^"]*"/g, "").slice(0, Number(process.env.EMRTD_TEST_VERBOSE) || 400)}`);
  return checks;
}

const findingCodes = (checks: Checks, id: string) => checks[id]!.findings.map((f) => f.code);
const evidenceText = (checks: Checks, id: string) => JSON.stringify(checks[id]!.evidence);

/** What each profile must end in under PACE: the status of each named check, and what else must hold. */
const EXPECT: Record<string, { statuses: Record<string, string>; also?: (c: Checks) => void; readWithPace?: false }> = {
  genuine: { statuses: { 'chip.access': 'pass', 'chip.dg1-mrz': 'pass', 'chip.passive-auth': 'pass', 'chip.active-auth': 'pass', 'chip.chip-auth': 'pass' } },
  'short-reads': { statuses: { 'chip.access': 'pass', 'chip.dg1-mrz': 'pass', 'chip.passive-auth': 'pass' } },
  'bad-mac': {
    statuses: { 'chip.access': 'fail', 'chip.passive-auth': 'fail' },
    also: (c) => assert.is(findingCodes(c, 'chip.access')[0], 'CHIP_SECURE_CHANNEL_BROKEN'),
    readWithPace: false,
  },
  'truncated-tlv': { statuses: { 'chip.access': 'warning', 'chip.dg1-mrz': 'pass', 'chip.passive-auth': 'pass' } },
  'overlong-tlv': { statuses: { 'chip.access': 'warning', 'chip.dg1-mrz': 'not_checked' } },
  'wrong-dg-hash': {
    statuses: { 'chip.access': 'pass', 'chip.passive-auth': 'fail', 'chip.active-auth': 'warning' },
    also: (c) => assert.ok(findingCodes(c, 'chip.passive-auth').includes('PA_DG_HASH_MISMATCH')),
  },
  'expired-signer': {
    statuses: { 'chip.access': 'pass', 'chip.dg1-mrz': 'pass', 'chip.passive-auth': 'fail' },
    also: (c) => assert.match(c['chip.passive-auth']!.summary, /expired/),
  },
  'unknown-signer': {
    statuses: { 'chip.access': 'pass', 'chip.dg1-mrz': 'pass', 'chip.passive-auth': 'warning' },
    also: (c) => assert.match(c['chip.passive-auth']!.summary, /not the key that signed/),
  },
  // The ZZ CSCA is in the trusted master list, but a Utopian document must chain to Utopia's CSCA.
  'foreign-csca': {
    statuses: { 'chip.access': 'pass', 'chip.passive-auth': 'fail' },
    also: (c) => assert.match(c['chip.passive-auth']!.summary, /ZZ/),
  },
  cloned: {
    statuses: { 'chip.access': 'pass', 'chip.passive-auth': 'pass', 'chip.active-auth': 'fail', 'chip.chip-auth': 'pass' },
    also: (c) => assert.ok(findingCodes(c, 'chip.active-auth').includes('CHIP_AA_FAILED')),
  },
  mute: {
    statuses: { 'chip.access': 'error' },
    also: (c) => assert.is(findingCodes(c, 'chip.access')[0], 'CHIP_NOT_ANSWERING'),
    readWithPace: false,
  },
  'rsa-aa': {
    statuses: { 'chip.access': 'pass', 'chip.passive-auth': 'pass', 'chip.active-auth': 'pass' },
    also: (c) => assert.match(evidenceText(c, 'chip.active-auth'), /RSA 1024, ISO\/IEC 9796-2 scheme 1/),
  },
  'dh-ca': {
    statuses: { 'chip.access': 'pass', 'chip.passive-auth': 'pass', 'chip.chip-auth': 'pass' },
    also: (c) => assert.match(evidenceText(c, 'chip.chip-auth'), /CA v1 DH 1024/),
  },
  // PACE-CAM: the chip authenticates inside PACE, against the key its signed EF.CardSecurity publishes.
  'pace-cam': {
    statuses: { 'chip.access': 'pass', 'chip.passive-auth': 'pass', 'chip.active-auth': 'pass', 'chip.chip-auth': 'pass' },
    also: (c) => {
      assert.match(evidenceText(c, 'chip.access'), /PACE ECDH-CAM with AES128 \(domain parameters 12/);
      assert.match(evidenceText(c, 'chip.access'), /EF.CardSecurity/);
      assert.match(c['chip.chip-auth']!.summary, /PACE-CAM/);
      assert.match(evidenceText(c, 'chip.chip-auth'), /EF.CardSecurity is signed by .*which chains to a trusted CSCA/);
    },
  },
  // Its clone: the copied EF.CardSecurity still verifies, but the chip's CAM token does not fit the key in it.
  'pace-cam-cloned': {
    statuses: { 'chip.access': 'pass', 'chip.passive-auth': 'pass', 'chip.active-auth': 'fail', 'chip.chip-auth': 'fail' },
    also: (c) => {
      assert.match(evidenceText(c, 'chip.access'), /PACE ECDH-CAM with AES128/);
      assert.match(findingCodes(c, 'chip.chip-auth').join(), /CHIP_CA_FAILED/);
      assert.match(c['chip.chip-auth']!.findings.map((f) => (f as { message?: string }).message).join(), /CA_IC · PK_IC is not the chip's mapping public key/);
      assert.match(evidenceText(c, 'chip.chip-auth'), /EF.CardSecurity is signed by .*which chains to a trusted CSCA/);
    },
  },
};

for (const [profile, expected] of Object.entries(EXPECT)) {
  test(`PACE: simulator chip '${profile}'`, async () => {
    const checks = await scanWith(profile, 'pace');
    for (const [id, status] of Object.entries(expected.statuses)) {
      assert.is(checks[id]?.status, status, `${profile} ${id}: ${checks[id]?.status} (${checks[id]?.summary}) ${JSON.stringify(checks[id]?.findings)}`);
    }
    if (expected.readWithPace !== false) assert.match(checks['chip.access']!.summary, /^Read with PACE/);
    expected.also?.(checks);
  });
}

test('the same hostile chips under BAC: the access protocol is what the setting chose', async () => {
  const checks = await scanWith('wrong-dg-hash', 'profile');
  assert.match(checks['chip.access']!.summary, /^Read with BAC/);
  assert.is(checks['chip.passive-auth']!.status, 'fail');
});

for (const profile of ['rsa-aa', 'dh-ca']) {
  test(`BAC: simulator chip '${profile}' authenticates as under PACE`, async () => {
    const checks = await scanWith(profile, 'profile');
    assert.match(checks['chip.access']!.summary, /^Read with BAC/);
    for (const [id, status] of Object.entries(EXPECT[profile]!.statuses)) assert.is(checks[id]?.status, status, `${profile} ${id}`);
    EXPECT[profile]!.also!(checks);
  });
}

for (const profile of ['pace-cam', 'pace-cam-cloned']) {
  test(`simulator chip '${profile}' runs PACE-CAM whatever the access setting`, async () => {
    const checks = await scanWith(profile, 'profile');
    assert.match(checks['chip.access']!.summary, /^Read with PACE/);
    for (const [id, status] of Object.entries(EXPECT[profile]!.statuses)) assert.is(checks[id]?.status, status, `${profile} ${id}`);
    EXPECT[profile]!.also!(checks);
  });
}

test('stop', async () => {
  await host?.stop();
  if (pkiFolder) await rm(pkiFolder, { recursive: true, force: true });
});

test.run();
