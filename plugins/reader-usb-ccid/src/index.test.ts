// The plugin as the host loads it: from its folder, with its manifest and config schema, on this
// machine's real USB (no readers: an empty list, no driver error); and the driver behind the real
// inspection pipeline, which accepts a scan without pages and closes the chip session afterwards.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { definePlugin, extensionPoints } from '@tessera/sdk';
import { startTestHost, testManifest } from '@tessera/sdk/testing';
import { UsbCcidDriver } from './ccid-driver.js';
import { SimulatedCcidReader, SimulatedUsbBus } from './simulated-ccid-device.js';

const pluginDir = fileURLToPath(new URL('..', import.meta.url));

test('loaded from its folder, the plugin starts and lists no devices on a machine without readers', async () => {
  const host = await startTestHost({ pluginFolders: [pluginDir] });
  try {
    assert.is(host.plugin('reader-usb-ccid').state, 'started');
    const listing = await host.kernel.inspections.listDevices();
    assert.equal(listing.devices, []);
    assert.equal(listing.driverErrors, []);
  } finally {
    await host.stop();
  }
});

test('its configuration is checked against the manifest schema', async () => {
  const host = await startTestHost({
    pluginFolders: [pluginDir],
    config: { plugins: { config: { 'reader-usb-ccid': { allowList: ['not-an-id'] } } } },
  });
  try {
    const status = host.plugin('reader-usb-ccid');
    assert.is(status.state, 'failed');
    assert.is(status.error?.code, 'TSR_PLUGIN_CONFIG_INVALID');
  } finally {
    await host.stop();
  }
});

test('through the inspection pipeline: a chip-only scan is stored without images and its chip session closed', async () => {
  const reader = new SimulatedCcidReader();
  const host = await startTestHost({
    plugins: [
      {
        manifest: testManifest('usb-ccid-on-simulated-bus', { contributes: { readers: ['usb-ccid'] } }),
        definition: definePlugin({
          id: 'usb-ccid-on-simulated-bus',
          deps: { readers: extensionPoints.readers },
          init({ readers }) {
            const driver = new UsbCcidDriver({ usb: new SimulatedUsbBus([reader]) });
            readers.add(driver);
            return { stop: () => driver.close() };
          },
        }),
      },
    ],
  });
  try {
    const listing = await host.kernel.inspections.listDevices();
    assert.equal(listing.devices.map((d) => `${d.driverId} ${d.id} ${d.status}`), ['usb-ccid usb-ccid:1-2 ready']);
    const record = await host.kernel.inspections.scan({ deviceId: 'usb-ccid:1-2', actor: 'test' });
    assert.equal(record.images, []);
    assert.is(record.mrzSource, 'none');
    assert.not.ok(reader.isClaimed, 'the host closed the chip session, which released the reader');
    assert.is((await host.kernel.inspections.listDevices()).devices[0]!.status, 'ready');
  } finally {
    await host.stop();
  }
});

test.run();
