/** Plugin entry: the simulated reader and its specimen documents. */
import { coreServices, definePlugin, extensionPoints } from '@tessera/sdk';
import { SimulatorDriver, type SimulatorOptions } from './simulator-driver.js';
import { SpecimenStore } from './specimens/specimen-store.js';
import { DocumentIssuer } from './chip/document-issuer.js';

export default definePlugin({
  id: 'reader-simulator',
  deps: { readers: extensionPoints.readers, config: coreServices.config, plugin: coreServices.plugin, logger: coreServices.logger, clock: coreServices.clock },
  init({ readers, config, plugin, logger, clock }) {
    const store = new SpecimenStore({ cacheDir: plugin.dataDir ? `${plugin.dataDir}/specimens` : null, referenceDate: clock.now() });
    const options = config as unknown as SimulatorOptions & { chip?: boolean };
    // The chips' test PKI lives in <dataDir>/test-pki/ (in memory without a data folder).
    const chips = options.chip === false ? undefined : new DocumentIssuer({ dataDir: plugin.dataDir || null, referenceDate: clock.now() });
    readers.add(new SimulatorDriver(store, options, chips));
    return {
      start() {
        // Render the specimen pages in the background so the first scan is fast but start-up is not held up.
        store.warmUp().catch((error: unknown) => logger.warn('specimen warm-up failed', { error: String(error) }));
        // Likewise the chips' PKI: loaded or generated in the background; a scan waits for it if needed.
        chips?.pki().catch((error: unknown) => logger.warn('chip PKI preparation failed', { error: String(error) }));
      },
      async stop() {
        // Let a PKI still being written to the data folder finish, so the host can remove or reuse the folder.
        await chips?.idle();
      },
    };
  },
});
