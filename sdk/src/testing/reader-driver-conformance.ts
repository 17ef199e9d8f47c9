/**
 * The ReaderDriver conformance suite. A vendor runs it against their driver (on real hardware, with
 * a document on the glass) to prove the host can rely on it:
 *
 *   readerDriverConformance({ create: () => new AcmeDriver() }).run();
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { validateScanResult } from '@tessera/core';
import { LIGHT_SOURCES, type LightSource, type ReaderDriver } from '../index.js';

export interface ReaderConformanceOptions {
  create: () => ReaderDriver | Promise<ReaderDriver>;
  name?: string;
  /** Fail when the driver lists no device (default true: run the suite with a device attached). */
  expectDevices?: boolean;
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string })?.code;
}

export function readerDriverConformance(options: ReaderConformanceOptions) {
  const test = suite<{ driver: ReaderDriver }>(`ReaderDriver conformance: ${options.name ?? 'driver'}`, {} as { driver: ReaderDriver });
  test.before.each(async (ctx) => {
    ctx.driver = await options.create();
  });
  test.after.each(async (ctx) => {
    await ctx.driver.close?.();
  });

  test('has an id and a display name', ({ driver }) => {
    assert.type(driver.id, 'string');
    assert.ok(/^[a-z][a-z0-9.-]*$/.test(driver.id), `driver id "${driver.id}" must be lower-case kebab/dotted`);
    assert.ok(driver.displayName.trim().length > 0, 'displayName must not be empty');
  });

  test('lists devices with unique ids, known lights and a valid status', async ({ driver }) => {
    const devices = await driver.listDevices();
    assert.ok(Array.isArray(devices), 'listDevices must resolve to an array');
    if (options.expectDevices !== false) assert.ok(devices.length > 0, 'attach a device to run the conformance suite');
    assert.is(new Set(devices.map((d) => d.id)).size, devices.length, 'device ids must be unique');
    for (const d of devices) {
      assert.ok(d.id && d.vendor && d.model, `device ${d.id} needs id, vendor and model`);
      // A chip-only reader (a contactless CCID reader) captures no page image; anything else must.
      assert.ok(d.capabilities.lights.length > 0 || d.capabilities.chip, `device ${d.id} captures in no light and reads no chip`);
      for (const light of d.capabilities.lights) assert.ok(LIGHT_SOURCES.includes(light), `unknown light "${light}"`);
      assert.ok(['ready', 'busy', 'disconnected', 'error'].includes(d.status), `bad status "${d.status}"`);
      if (d.status !== 'ready') assert.ok(d.statusMessage, `device ${d.id} is ${d.status} without a statusMessage`);
    }
  });

  test('scans every ready device into valid page images', async ({ driver }) => {
    for (const d of (await driver.listDevices()).filter((x) => x.status === 'ready')) {
      const result = await driver.scan(d.id);
      validateScanResult(driver.id, result);
      assert.is(result.deviceId, d.id);
      assert.ok(!Number.isNaN(Date.parse(result.capturedAt)), 'capturedAt must be ISO 8601');
      for (const p of result.pages) assert.ok(d.capabilities.lights.includes(p.light), `page in ${p.light}, which the device does not declare`);
      assert.ok(result.pages.some((p) => p.light === 'white') || !d.capabilities.lights.includes('white'), 'a white-light page is expected');
      if (result.mrz) assert.ok(d.capabilities.mrz, 'returned an MRZ but capabilities.mrz is false');
      if (!d.capabilities.lights.length) assert.ok(result.chip, 'a chip-only reader must return the chip transport');
      await result.chip?.close();
    }
  });

  test('captures only the lights asked for', async ({ driver }) => {
    const d = (await driver.listDevices()).find((x) => x.status === 'ready' && x.capabilities.lights.length > 1);
    if (!d) return;
    const only: LightSource[] = [d.capabilities.lights[0]!];
    const result = await driver.scan(d.id, { lights: only });
    assert.equal([...new Set(result.pages.map((p) => p.light))], only);
  });

  test('rejects an unknown device with TSR_READER_DEVICE_NOT_FOUND', async ({ driver }) => {
    try {
      await driver.scan('no-such-device-' + Date.now());
      assert.unreachable('scan of an unknown device must reject');
    } catch (error) {
      assert.is(errorCode(error), 'TSR_READER_DEVICE_NOT_FOUND');
    }
  });

  test('honours an aborted signal with TSR_READER_ABORTED', async ({ driver }) => {
    const d = (await driver.listDevices()).find((x) => x.status === 'ready');
    if (!d) return;
    const controller = new AbortController();
    controller.abort();
    try {
      await driver.scan(d.id, { signal: controller.signal });
      assert.unreachable('an aborted scan must reject');
    } catch (error) {
      assert.is(errorCode(error), 'TSR_READER_ABORTED');
    }
  });

  test('two scans at once: both succeed, or the second is TSR_READER_BUSY', async ({ driver }) => {
    const d = (await driver.listDevices()).find((x) => x.status === 'ready');
    if (!d) return;
    const results = await Promise.allSettled([driver.scan(d.id), driver.scan(d.id)]);
    assert.is(results[0]!.status, 'fulfilled', 'the first scan must succeed');
    if (results[1]!.status === 'rejected') assert.is(errorCode(results[1]!.reason), 'TSR_READER_BUSY');
  });

  test('device settings, when offered, round-trip', async ({ driver }) => {
    const d = (await driver.listDevices())[0];
    if (!d || !driver.getSettings) return;
    const settings = await driver.getSettings(d.id);
    for (const s of settings) {
      assert.ok(s.choices.some((c) => c.value === s.value), `setting ${s.id}: current value must be one of its choices`);
      if (driver.changeSetting) {
        await driver.changeSetting(d.id, s.id, s.value);
        try {
          await driver.changeSetting(d.id, s.id, '\u0000not-a-choice');
          assert.unreachable('an invalid setting value must be rejected');
        } catch (error) {
          assert.is(errorCode(error), 'TSR_REQUEST_INVALID');
        }
      }
    }
  });

  return test;
}
