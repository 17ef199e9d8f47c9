/** Plugin entry: the USB CCID chip-reader driver, configured from the host and closed when the host stops. */
import { coreServices, definePlugin, extensionPoints } from '@tessera/sdk';
import { UsbCcidDriver } from './ccid-driver.js';

export { UsbCcidDriver, type UsbCcidDriverOptions } from './ccid-driver.js';
export { CCID_ERROR_CODES } from './ccid-protocol.js';

interface UsbCcidConfig {
  allowList: string[];
  commandTimeoutMs: number;
  timeExtensionLimitMs: number;
  idleSessionTimeoutMs: number;
}

export default definePlugin({
  id: 'reader-usb-ccid',
  deps: { readers: extensionPoints.readers, config: coreServices.config, logger: coreServices.logger },
  init({ readers, config, logger }) {
    const c = config as unknown as UsbCcidConfig;
    // Nothing touches USB here: the `usb` module loads on the first device listing, so start-up stays fast.
    const driver = new UsbCcidDriver({
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
