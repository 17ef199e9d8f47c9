// The MRZ checks run inside a test host against a scripted reader, with a fixed clock, so every
// status (pass, warning, fail, not checked) is reached on purpose.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { definePlugin, extensionPoints, type ReaderDriver } from '@tessera/sdk';
import { startTestHost, testManifest } from '@tessera/sdk/testing';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));
// A 1×1 PNG: the checks read the MRZ, not the image.
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64'));

let nextMrz: string[] | null = null;
const scripted: ReaderDriver = {
  id: 'scripted',
  displayName: 'Scripted reader',
  listDevices: async () => [{ id: 'scripted:1', vendor: 'Test', model: 'Scripted', capabilities: { lights: ['white'], mrz: true, chip: false }, status: 'ready' }],
  scan: async (deviceId) => ({
    deviceId,
    capturedAt: new Date().toISOString(),
    pages: [{ light: 'white', page: 'data-page', mediaType: 'image/png', data: PNG, width: 1, height: 1 }],
    ...(nextMrz ? { mrz: { lines: nextMrz, source: 'device-ocr' as const } } : {}),
  }),
};
const readerPlugin = {
  manifest: testManifest('scripted-reader', { contributes: { readers: ['scripted'] } }),
  definition: definePlugin({ id: 'scripted-reader', deps: { readers: extensionPoints.readers }, init: ({ readers }) => void readers.add(scripted) }),
};

async function inspect(mrz: string[] | null, now = '2011-06-01T12:00:00Z', config: Record<string, unknown> = {}) {
  nextMrz = mrz;
  const host = await startTestHost({ plugins: [readerPlugin], pluginFolders: [PLUGIN_DIR], now: new Date(now), config: { plugins: { config: { 'checks-mrz': config } } } });
  try {
    const record = await host.kernel.inspections.scan({ deviceId: 'scripted:1', actor: 'test' });
    return { record, status: Object.fromEntries(record.checks.map((c) => [c.checkId, c])) };
  } finally {
    await host.stop();
  }
}

// ICAO Doc 9303 part 4 specimen: expires 2012-04-15.
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

test('the ICAO specimen passes all three checks before its expiry', async () => {
  const { record, status } = await inspect(TD3);
  assert.is(status['mrz.check-digits']!.status, 'pass');
  assert.is(status['mrz.expiry']!.status, 'pass');
  assert.is(status['mrz.state-codes']!.status, 'pass');
  assert.is(record.overall, 'pass');
});

test('expiry: within the warning window is a warning (configurable), after it a failure', async () => {
  const soon = await inspect(TD3, '2012-03-01T00:00:00Z');
  assert.is(soon.status['mrz.expiry']!.status, 'warning');
  assert.is(soon.status['mrz.expiry']!.findings[0]!.code, 'DOC_EXPIRES_SOON');
  const quiet = await inspect(TD3, '2012-03-01T00:00:00Z', { expiryWarningDays: 10 });
  assert.is(quiet.status['mrz.expiry']!.status, 'pass');
  const expired = await inspect(TD3, '2014-01-01T00:00:00Z');
  assert.is(expired.status['mrz.expiry']!.status, 'fail');
  assert.is(expired.status['mrz.expiry']!.findings[0]!.code, 'DOC_EXPIRED');
  assert.is(expired.record.overall, 'fail');
  // An expired document is still structurally valid.
  assert.is(expired.status['mrz.check-digits']!.status, 'pass');
});

test('a wrong check digit fails the structure check with the field and the expected digit as evidence', async () => {
  const { status } = await inspect([TD3[0]!, 'L898902C36UTO7408121F1204159ZE184226B<<<<<10']);
  const check = status['mrz.check-digits']!;
  assert.is(check.status, 'fail');
  assert.ok(check.findings.some((f) => f.code === 'MRZ_CHECK_DIGIT_BIRTH_DATE'));
  const evidence = check.evidence.find((e) => e.kind === 'field' && e.label.includes('date of birth'));
  assert.ok(evidence && evidence.kind === 'field' && evidence.ok === false && evidence.value === '1');
  assert.match(check.summary, /date of birth/);
});

test('an unknown nationality fails the state-code check, not the structure check', async () => {
  const line2 = 'L898902C36ZZZ7408122F1204159ZE184226B<<<<<1';
  // Recompute the composite so that only the code is wrong.
  const { computeCheckDigit } = await import('@tessera/sdk');
  const composite = computeCheckDigit(line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, 43));
  const { status } = await inspect([TD3[0]!, line2 + composite]);
  assert.is(status['mrz.state-codes']!.status, 'fail');
  assert.ok(status['mrz.state-codes']!.findings.some((f) => f.code === 'MRZ_NATIONALITY_UNKNOWN'));
  assert.is(status['mrz.check-digits']!.status, 'pass');
});

test('no MRZ at all: every check is "not checked" and the inspection is incomplete, never passed', async () => {
  const { record, status } = await inspect(null);
  for (const id of ['mrz.check-digits', 'mrz.expiry', 'mrz.state-codes']) assert.is(status[id]!.status, 'not_checked', id);
  assert.is(record.overall, 'incomplete');
});

test('garbage from the reader is a failed structure check with a readable reason, not a crash', async () => {
  const { status } = await inspect(['P<UTO<script>alert(1)</script>', '']);
  assert.is(status['mrz.check-digits']!.status, 'fail');
  assert.ok(status['mrz.check-digits']!.findings.length > 0);
});

test.run();
