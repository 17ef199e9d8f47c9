// Integration: the reader simulator's virtual chips read by this plugin inside one test host.
// The test host has no data folder, so the simulator's test PKI (and its UTO-masterlist.ml) lives
// only in memory: no CSCA can be configured here, Passive Authentication ends 'unknown' (warning)
// for sound documents, and AA/CA are then 'warning' ("not meaningful without PA"). Profiles whose
// PA verdict does not depend on the trust anchor (an altered data group) still fail.
// Skipped, with a message, while the simulator cannot start its chips (SDK barrel not wired yet).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { startTestHost, type TestHost } from '@tessera/sdk/testing';
import type { ReaderDriver } from '@tessera/sdk';
import * as sdkEmrtd from '@tessera/sdk/emrtd';

const EMRTD_DIR = fileURLToPath(new URL('../..', import.meta.url));
const SIMULATOR_DIR = fileURLToPath(new URL('../../../reader-simulator', import.meta.url));

let host: TestHost | undefined;
let skip: string | undefined;

async function start(): Promise<TestHost | undefined> {
  if (host || skip) return host;
  if (typeof (sdkEmrtd as Record<string, unknown>).parseDg2 !== 'function') {
    skip = '@tessera/sdk/emrtd does not export the LDS parsers yet';
    return undefined;
  }
  const h = await startTestHost({
    pluginFolders: [SIMULATOR_DIR, EMRTD_DIR],
    now: new Date(),
    inspectionTimeouts: { checkMs: 30_000 },
    config: { plugins: { config: { emrtd: { apduTimeoutMs: 500, readTimeoutMs: 15_000 } } } },
  });
  const sim = h.kernel.plugins.status('reader-simulator');
  const emrtd = h.kernel.plugins.status('emrtd');
  const devices = await h.kernel.registry.get('readers', 'simulator')?.item.listDevices().catch(() => []);
  if (sim?.state !== 'started' || emrtd?.state !== 'started' || !devices?.[0]?.capabilities.chip) {
    skip = `simulator ${sim?.state ?? 'missing'}, emrtd ${emrtd?.state ?? 'missing'}, chip antenna ${devices?.[0]?.capabilities.chip ?? false}`;
    await h.stop();
    return undefined;
  }
  host = h;
  return h;
}

async function scanWith(profile: string) {
  const h = await start();
  if (!h) return undefined;
  const driver = h.kernel.registry.get('readers', 'simulator')!.item as ReaderDriver;
  await driver.changeSetting!('simulator:fpr-1', 'chip', profile);
  const record = await h.kernel.inspections.scan({ deviceId: 'simulator:fpr-1', actor: 'test' });
  return Object.fromEntries(record.checks.map((c) => [c.checkId, c]));
}

const EXPECT: Record<string, Record<string, string | string[]>> = {
  genuine: { 'chip.access': 'pass', 'chip.dg1-mrz': 'pass', 'chip.passive-auth': 'warning', 'chip.active-auth': 'warning', 'chip.chip-auth': 'warning' },
  'bac-only': { 'chip.access': 'pass', 'chip.dg1-mrz': 'pass' },
  pace: { 'chip.access': 'pass', 'chip.dg1-mrz': 'pass' },
  'short-reads': { 'chip.access': 'pass', 'chip.dg1-mrz': 'pass' },
  'bad-mac': { 'chip.access': 'fail', 'chip.dg1-mrz': ['not_checked', 'pass'] },
  'truncated-tlv': { 'chip.access': 'warning', 'chip.dg1-mrz': 'pass' },
  'overlong-tlv': { 'chip.access': 'warning', 'chip.dg1-mrz': 'not_checked' },
  'wrong-dg-hash': { 'chip.access': 'pass', 'chip.passive-auth': 'fail' },
  'unknown-signer': { 'chip.access': 'pass', 'chip.passive-auth': 'warning' },
  cloned: { 'chip.access': 'pass', 'chip.active-auth': 'warning' },
  'expired-signer': { 'chip.access': 'pass', 'chip.passive-auth': ['fail', 'warning'] },
  'foreign-csca': { 'chip.access': 'pass', 'chip.passive-auth': ['fail', 'warning'] },
  mute: { 'chip.access': 'error' },
};

for (const [profile, expected] of Object.entries(EXPECT)) {
  test(`simulator chip '${profile}'`, async () => {
    const s = await scanWith(profile);
    if (!s) return void console.warn(`  skipped '${profile}': ${skip}`);
    if (process.env.EMRTD_TEST_VERBOSE) for (const c of Object.values(s).filter((c) => c.checkId.startsWith('chip.'))) console.log(`${profile} ${c.checkId} ${c.status}: ${c.summary} ${c.findings.map((f) => f.code).join(',')}`);
    for (const [id, status] of Object.entries(expected)) {
      const allowed = Array.isArray(status) ? status : [status];
      assert.ok(allowed.includes(s[id]!.status), `${profile} ${id}: ${s[id]!.status} (${s[id]!.summary}) ${JSON.stringify(s[id]!.findings)}`);
    }
    if (profile === 'pace' && /PACE/.test(s['chip.access']!.summary) === false) console.warn('  note: PACE profile read with BAC (performPace not exported by the SDK yet)');
    if (profile === 'genuine') assert.ok(s['chip.access']!.evidence.some((e) => e.kind === 'image' && e.label === 'Portrait from the chip'), 'portrait evidence');
    if (profile === 'wrong-dg-hash') assert.ok(s['chip.passive-auth']!.findings.some((f) => f.code === 'PA_DG_HASH_MISMATCH'));
    if (profile === 'cloned') assert.match(s['chip.active-auth']!.summary, /failed/);
    if (profile === 'genuine') assert.match(s['chip.active-auth']!.summary, /succeeded/);
    if (profile === 'bad-mac') assert.is(s['chip.access']!.findings[0]!.code, 'CHIP_SECURE_CHANNEL_BROKEN');
  });
}

test('stop', async () => {
  await host?.stop();
});

test.run();
