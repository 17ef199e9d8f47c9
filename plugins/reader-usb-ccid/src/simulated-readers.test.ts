// Simulated CCID readers whose card is another reader's chip: the bridge card alone (power cycle,
// errors), and the plugin configured with `simulatedReaders` in a test host beside a plugin whose
// reader has a chip — the chip reached through the readers extension point, a fresh chip session
// per scan, closed with the scan.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { definePlugin, extensionPoints, isTesseraError, type ChipTransport, type ReaderDriver, type ScanResult } from '@tessera/sdk';
import { startTestHost, testManifest } from '@tessera/sdk/testing';
import { ChipBridgeCard } from './chip-bridge-card.js';
import { EMRTD_AID, emrtdAppletCard } from './simulated-ccid-device.js';

const pluginDir = fileURLToPath(new URL('..', import.meta.url));
const SELECT_EMRTD = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, EMRTD_AID.length, ...EMRTD_AID]);
const ATR = Uint8Array.from([0x3b, 0x81, 0x80, 0x01, 0x80, 0x80]);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A reader with one device whose document has a chip (the eMRTD applet), counting chip sessions. */
function chipReader(options: { noChip?: boolean } = {}) {
  const sessions = { opened: 0, closed: 0, apdus: 0 };
  const driver: ReaderDriver = {
    id: 'chip-source',
    displayName: 'A reader with a chip',
    async listDevices() {
      return [{ id: 'chip-source:1', vendor: 'Test', model: 'Chip source', capabilities: { lights: ['white'], mrz: true, chip: true }, status: 'ready' }];
    },
    async scan(deviceId): Promise<ScanResult> {
      if (deviceId !== 'chip-source:1') throw new Error(`no device ${deviceId}`);
      if (options.noChip) return { deviceId, capturedAt: new Date().toISOString(), pages: [] };
      sessions.opened++;
      const card = emrtdAppletCard();
      let open = true;
      const chip: ChipTransport = {
        atr: ATR,
        maxCommandLength: 65_544,
        maxResponseLength: 65_538,
        async transmit(command) {
          if (!open) throw new Error('closed');
          sessions.apdus++;
          return card(command);
        },
        async close() {
          if (open) sessions.closed++;
          open = false;
        },
      };
      return { deviceId, capturedAt: new Date().toISOString(), pages: [], chip };
    },
  };
  return { driver, sessions };
}

function codeOf(error: unknown): string | undefined {
  return isTesseraError(error) ? error.code : undefined;
}

test('the bridge card: power-on opens a chip session of the source device, power-off closes it, a second power-on starts afresh', async () => {
  const { driver, sessions } = chipReader();
  const card = new ChipBridgeCard({ reader: 'chip-source', device: 'chip-source:1' }, (id) => (id === 'chip-source' ? driver : undefined));
  assert.is(hex((await card.powerOn())!), hex(ATR), "the source chip's ATR");
  assert.is(hex(await card.transmit(SELECT_EMRTD)), '9000');
  await card.powerOn();
  assert.equal(sessions, { opened: 2, closed: 1, apdus: 1 }, 'a reset closed the first session and opened a second');
  await card.powerOff();
  assert.is(sessions.closed, 2);
  const afterOff = await card.transmit(SELECT_EMRTD).catch((e: unknown) => e);
  assert.is(codeOf(afterOff), 'CCID_TRANSPORT_CLOSED');
});

test('the bridge card: a missing reader, a device that fails to scan, and a document without a chip each fail power-on with CCID_CHIP_SOURCE_UNAVAILABLE', async () => {
  const { driver } = chipReader();
  const { driver: chipless } = chipReader({ noChip: true });
  const warnings: string[] = [];
  const logger = { warn: (message: string, fields?: Record<string, unknown>) => void warnings.push(`${message} ${String(fields?.error)}`) };
  const cases: Array<[string, ChipBridgeCard, RegExp]> = [
    ['missing reader', new ChipBridgeCard({ reader: 'nowhere', device: 'x' }, () => undefined, logger), /No reader driver "nowhere"/],
    ['unknown device', new ChipBridgeCard({ reader: 'chip-source', device: 'chip-source:9' }, () => driver, logger), /could not be scanned/],
    ['no chip', new ChipBridgeCard({ reader: 'chip-source', device: 'chip-source:1' }, () => chipless, logger), /has no chip/],
  ];
  for (const [what, card, message] of cases) {
    const error = await card.powerOn().catch((e: unknown) => e);
    assert.is(codeOf(error), 'CCID_CHIP_SOURCE_UNAVAILABLE', what);
    assert.match((error as Error).message, message, what);
  }
  assert.is(warnings.length, 3, 'each reason is logged for whoever configured the reader');
});

function sourcePlugin(options: { noChip?: boolean } = {}) {
  const source = chipReader(options);
  return {
    source,
    plugin: {
      manifest: testManifest('chip-source', { contributes: { readers: ['chip-source'] } }),
      definition: definePlugin({
        id: 'chip-source',
        deps: { readers: extensionPoints.readers },
        init({ readers }) {
          readers.add(source.driver);
        },
      }),
    },
  };
}

const bridgeConfig = (exchangeLevel: 'short-apdu' | 'extended-apdu') => ({
  plugins: { config: { 'reader-usb-ccid': { simulatedReaders: [{ chipFrom: { reader: 'chip-source', device: 'chip-source:1' }, exchangeLevel }] } } },
});

for (const exchangeLevel of ['extended-apdu', 'short-apdu'] as const) {
  test(`configured with a simulated ${exchangeLevel} reader, the plugin lists it and each scan carries a fresh chip session of the source device`, async () => {
    const { source, plugin } = sourcePlugin();
    const host = await startTestHost({ pluginFolders: [pluginDir], plugins: [plugin], config: bridgeConfig(exchangeLevel) });
    try {
      assert.is(host.plugin('reader-usb-ccid').state, 'started');
      const ccid = host.kernel.registry.get('readers', 'usb-ccid')!.item;
      const devices = await ccid.listDevices();
      const simulated = devices.find((d) => d.id === 'usb-ccid:0-1');
      assert.ok(simulated, JSON.stringify(devices));
      assert.is(simulated!.status, 'ready');
      assert.match(simulated!.model, /chip of chip-source:1/);
      for (let round = 1; round <= 2; round++) {
        const scan = await ccid.scan('usb-ccid:0-1');
        assert.is(hex(scan.chip!.atr!), hex(ATR), "the source chip's ATR travels in the power-on answer");
        assert.is(scan.chip!.maxCommandLength > 261, exchangeLevel === 'extended-apdu', 'the link announces what the simulated reader does');
        assert.is(hex(await scan.chip!.transmit(SELECT_EMRTD)), '9000');
        await scan.chip!.close();
        assert.equal(source.sessions, { opened: round, closed: round, apdus: round }, `round ${round}`);
      }
    } finally {
      await host.stop();
    }
  });
}

test('with the source reader absent, a scan on the simulated reader finds no chip answering', async () => {
  const host = await startTestHost({ pluginFolders: [pluginDir], config: bridgeConfig('extended-apdu') });
  try {
    const ccid = host.kernel.registry.get('readers', 'usb-ccid')!.item;
    const error = await ccid.scan('usb-ccid:0-1').catch((e: unknown) => e);
    assert.is(codeOf(error), 'TSR_READER_NO_DOCUMENT');
  } finally {
    await host.stop();
  }
});

test('a simulated reader without chipFrom.device is refused by the configuration schema', async () => {
  const host = await startTestHost({ pluginFolders: [pluginDir], config: { plugins: { config: { 'reader-usb-ccid': { simulatedReaders: [{ chipFrom: { reader: 'simulator' } }] } } } } });
  try {
    const status = host.plugin('reader-usb-ccid');
    assert.is(status.state, 'failed');
    assert.is(status.error?.code, 'TSR_PLUGIN_CONFIG_INVALID');
  } finally {
    await host.stop();
  }
});

test.run();
