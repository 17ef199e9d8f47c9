// The simulator proven with the same conformance suite a vendor runs on real hardware, plus the
// behaviours the officer UI relies on (empty glass, device settings, cancelled scans).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { PageImage, ScanResult } from '@tessera/sdk';
import { readerDriverConformance, startTestHost } from '@tessera/sdk/testing';
import { SimulatorDriver } from './simulator-driver.js';
import { SpecimenStore } from './specimens/specimen-store.js';
import { pageGeometry } from './specimens/render-pages.js';

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

/** Mean grey level (0–255) of a page inside a box, or of the whole page. */
async function meanGrey(page: PageImage, box?: { left: number; top: number; width: number; height: number }): Promise<number> {
  const image = sharp(page.data).greyscale();
  // stats() reads its input, not the pipeline's output: cut the box out first.
  const { channels } = await sharp(await (box ? image.extract(box) : image).png().toBuffer()).stats();
  return channels[0]!.mean;
}

test('"printing" turns any specimen into a counterfeit under IR (MRZ ink vanishes) and UV (paper glows); the white page stays', async () => {
  const driver = new SimulatorDriver(store, options);
  const band = pageGeometry('TD3').mrzBand;
  const genuine = await driver.scan('simulator:fpr-1');
  assert.is(genuine.metadata?.printing, 'specimen');
  await driver.changeSetting('simulator:fpr-1', 'printing', 'both');
  const fake = await driver.scan('simulator:fpr-1', { lights: ['uv', 'white', 'ir'] });
  assert.equal(fake.pages.map((p) => p.light), ['uv', 'white', 'ir']);
  assert.is(fake.metadata?.printing, 'both');
  const byLight = (scan: ScanResult, light: string) => scan.pages.find((p) => p.light === light)!;
  // IR paper is grey 216. Genuine: dark OCR-B strokes pull the band's mean down (≈182); the
  // counterfeit MRZ is nearly paper-coloured (≈215).
  assert.ok((await meanGrey(byLight(genuine, 'ir'), band)) < 195);
  assert.ok((await meanGrey(byLight(fake, 'ir'), band)) > 208);
  assert.ok((await meanGrey(byLight(genuine, 'uv'))) < 60, 'security paper is dull under UV');
  assert.ok((await meanGrey(byLight(fake, 'uv'))) > 150, 'brightened paper glows');
  assert.equal(byLight(fake, 'white').data, byLight(genuine, 'white').data);
  assert.equal(fake.mrz?.lines, genuine.mrz?.lines);

  await driver.changeSetting('simulator:fpr-1', 'printing', 'brightened-paper');
  const paperOnly = await driver.scan('simulator:fpr-1', { lights: ['ir'] });
  assert.ok((await meanGrey(paperOnly.pages[0]!, band)) < 195, 'only the paper is counterfeit');
  assert.is((await driver.getSettings('simulator:fpr-1')).find((s) => s.id === 'printing')?.value, 'brightened-paper');
  assert.is((await driver.getSettings('simulator:fpr-2')).find((s) => s.id === 'printing')?.value, 'specimen', 'per device');
});

test('an unknown printing is TSR_REQUEST_INVALID naming the choices', async () => {
  const driver = new SimulatorDriver(store, options);
  try {
    await driver.changeSetting('simulator:fpr-1', 'printing', 'photocopy');
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code: string }).code, 'TSR_REQUEST_INVALID');
    assert.match((error as { hint: string }).hint, /ir-transparent-mrz/);
  }
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
    config: { plugins: { config: { 'reader-simulator': { devices: 3, defaultDocument: 'genuine-td1', printing: 'ir-transparent-mrz' } } } },
  });
  assert.is(host.plugin('reader-simulator').state, 'started');
  const listing = await host.kernel.inspections.listDevices();
  assert.is(listing.devices.length, 3);
  const record = await host.kernel.inspections.scan({ deviceId: 'simulator:fpr-2', actor: 'test' });
  assert.is(record.mrz?.format, 'TD1');
  const driver = host.kernel.registry.get('readers', 'simulator')!.item;
  assert.is((await driver.getSettings!('simulator:fpr-3')).find((s) => s.id === 'printing')?.value, 'ir-transparent-mrz');
  await host.stop();
});

test.run();
