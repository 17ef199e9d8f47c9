// The simulator proven with the same conformance suite a vendor runs on real hardware, plus the
// behaviours the officer UI relies on (empty glass, device settings, cancelled scans).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { readerDriverConformance, startTestHost } from '@tessera/sdk/testing';
import { SimulatorDriver } from './simulator-driver.js';
import { SpecimenStore } from './specimens/specimen-store.js';

const store = new SpecimenStore({ cacheDir: null });
const options = { devices: 2, defaultDocument: 'genuine-td3', scanDelayMs: 0, readsMrz: true };

readerDriverConformance({ name: 'reader simulator', create: () => new SimulatorDriver(store, options) }).run();

test('an empty glass is TSR_READER_NO_DOCUMENT with what to do', async () => {
  const driver = new SimulatorDriver(store, options);
  await driver.changeSetting('simulator:fpr-1', 'document', 'none');
  try {
    await driver.scan('simulator:fpr-1');
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code: string }).code, 'TSR_READER_NO_DOCUMENT');
    assert.match((error as { hint: string }).hint, /Place the document/);
  }
  // The other device keeps its own document.
  const other = await driver.scan('simulator:fpr-2');
  assert.is(other.metadata?.specimen, 'genuine-td3');
});

test('"page images only" turns off the device MRZ, as on a reader without its own OCR', async () => {
  const driver = new SimulatorDriver(store, options);
  await driver.changeSetting('simulator:fpr-1', 'mrz', 'image');
  const result = await driver.scan('simulator:fpr-1');
  assert.is(result.mrz, undefined);
  assert.is((await driver.listDevices())[0]!.capabilities.mrz, false);
  assert.is(result.pages.length, 3);
});

test('a scan cancelled while capturing rejects with TSR_READER_ABORTED and frees the device', async () => {
  const driver = new SimulatorDriver(store, { ...options, scanDelayMs: 2000 });
  const controller = new AbortController();
  const scan = driver.scan('simulator:fpr-1', { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  const started = Date.now();
  try {
    await scan;
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code: string }).code, 'TSR_READER_ABORTED');
  }
  assert.ok(Date.now() - started < 1500, 'the abort does not wait for the capture');
  assert.is((await driver.listDevices())[0]!.status, 'ready');
});

test('loaded from its folder, the plugin contributes the driver and honours its configuration', async () => {
  const host = await startTestHost({
    pluginFolders: [fileURLToPath(new URL('..', import.meta.url))],
    config: { plugins: { config: { 'reader-simulator': { devices: 3, defaultDocument: 'genuine-td1' } } } },
  });
  assert.is(host.plugin('reader-simulator').state, 'started');
  const listing = await host.kernel.inspections.listDevices();
  assert.is(listing.devices.length, 3);
  const record = await host.kernel.inspections.scan({ deviceId: 'simulator:fpr-2', actor: 'test' });
  assert.is(record.mrz?.format, 'TD1');
  await host.stop();
});

test.run();
