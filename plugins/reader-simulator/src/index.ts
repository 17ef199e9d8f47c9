/** Plugin entry: the simulated reader and its specimen documents. */
import { coreServices, definePlugin, extensionPoints } from '@tessera/sdk';
import { SimulatorDriver, type SimulatorOptions } from './simulator-driver.js';
import { SpecimenStore } from './specimens/specimen-store.js';

export default definePlugin({
  id: 'reader-simulator',
  deps: { readers: extensionPoints.readers, config: coreServices.config, plugin: coreServices.plugin, logger: coreServices.logger, clock: coreServices.clock },
  init({ readers, config, plugin, logger, clock }) {
    const store = new SpecimenStore({ cacheDir: plugin.dataDir ? `${plugin.dataDir}/specimens` : null, referenceDate: clock.now() });
    readers.add(new SimulatorDriver(store, config as unknown as SimulatorOptions));
    return {
      start() {
        // Render the specimen pages in the background so the first scan is fast but start-up is not held up.
        store.warmUp().catch((error: unknown) => logger.warn('specimen warm-up failed', { error: String(error) }));
      },
    };
  },
});
