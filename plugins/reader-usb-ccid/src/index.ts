/** Plugin entry: the USB CCID chip-reader driver, configured from the host and closed when the host stops. */
import { coreServices, definePlugin, extensionPoints } from '@tessera/sdk';
import { UsbCcidDriver } from './ccid-driver.js';
import { simulatedReaderBus, withSimulatedBus, type SimulatedReaderConfig } from './simulated-readers.js';
import { loadUsbBackend } from './usb-backend.js';

export { UsbCcidDriver, type UsbCcidDriverOptions } from './ccid-driver.js';
export { CCID_ERROR_CODES } from './ccid-protocol.js';

interface UsbCcidConfig {
  allowList: string[];
  commandTimeoutMs: number;
  timeExtensionLimitMs: number;
  idleSessionTimeoutMs: number;
  simulatedReaders: SimulatedReaderConfig[];
}

export default definePlugin({
  id: 'reader-usb-ccid',
  deps: { readers: extensionPoints.readers, config: coreServices.config, logger: coreServices.logger },
  init({ readers, config, logger }) {
    const c = config as unknown as UsbCcidConfig;
    // The chip source is looked up at each power-on, so the plugin that contributes it may start after this one.
    const simulated = c.simulatedReaders?.length ? simulatedReaderBus(c.simulatedReaders, (id) => readers.get(id), logger) : undefined;
    // Nothing touches USB here: the `usb` module loads on the first device listing, so start-up stays fast.
    const driver = new UsbCcidDriver({
      ...(simulated ? { usb: withSimulatedBus(loadUsbBackend, simulated, logger) } : {}),
      allowList: c.allowList,
      commandTimeoutMs: c.commandTimeoutMs,
      timeExtensionLimitMs: c.timeExtensionLimitMs,
      idleSessionTimeoutMs: c.idleSessionTimeoutMs,
      logger,
    });
    readers.add(driver);
    return {
      async stop() {
        await driver.close();
      },
    };
  },
});
