/** Plugin entry: the simulated reader and its specimen documents. */
import { coreServices, definePlugin, extensionPoints } from '@tessera/sdk';
import { SimulatorDriver, type SimulatorOptions } from './simulator-driver.js';
import { SpecimenStore } from './specimens/specimen-store.js';
import type { DocumentIssuer } from './chip/document-issuer.js';

/**
 * The chip issuer loads its code (ASN.1, X.509, curves) on first use: the driver only calls its async
 * methods, so a stand-in that imports the module then is indistinguishable from it.
 */
function lazyIssuer(options: ConstructorParameters<typeof DocumentIssuer>[0]): DocumentIssuer {
  let real: Promise<DocumentIssuer> | undefined;
  const load = () => (real ??= import('./chip/document-issuer.js').then((m) => new m.DocumentIssuer(options)));
  const standIn: Pick<DocumentIssuer, 'openChip' | 'pki' | 'idle'> = {
    openChip: async (...args) => (await load()).openChip(...args),
    pki: async () => (await load()).pki(),
    idle: async () => {
      if (real) await (await real).idle();
    },
  };
  return standIn as DocumentIssuer;
}

export default definePlugin({
  id: 'reader-simulator',
  deps: { readers: extensionPoints.readers, config: coreServices.config, plugin: coreServices.plugin, logger: coreServices.logger, clock: coreServices.clock },
  init({ readers, config, plugin, logger, clock }) {
    const store = new SpecimenStore({ cacheDir: plugin.dataDir ? `${plugin.dataDir}/specimens` : null, referenceDate: clock.now() });
    const options = config as unknown as SimulatorOptions & { chip?: boolean; chipDataDir?: string };
    // The chips' test PKI lives in <dataDir>/test-pki/ (in memory without a data folder); `chipDataDir`
    // names another folder, so a host without a data folder (a test) can still trust it by path.
    const chipDataDir = typeof options.chipDataDir === 'string' && options.chipDataDir ? options.chipDataDir : plugin.dataDir || null;
    const chips = options.chip === false ? undefined : lazyIssuer({ dataDir: chipDataDir, referenceDate: clock.now() });
    readers.add(new SimulatorDriver(store, options, chips));
    return {
      start() {
        // Render the specimen pages in the background so the first scan is fast but start-up is not held up.
        store.warmUp().catch((error: unknown) => logger.warn('specimen warm-up failed', { error: String(error) }));
        // Likewise the chips' PKI, a moment after start so its code does not delay the host's readiness;
        // a scan before then waits for it.
        setTimeout(() => chips?.pki().catch((error: unknown) => logger.warn('chip PKI preparation failed', { error: String(error) })), 1000).unref();
      },
      async stop() {
        // Let a PKI still being written to the data folder finish, so the host can remove or reuse the folder.
        await chips?.idle();
      },
    };
  },
});
