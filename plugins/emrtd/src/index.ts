/**
 * The eMRTD plugin: reads the chip of ICAO 9303 travel documents (PACE/BAC, secure messaging, the
 * LDS files), authenticates its data (Passive Authentication against the configured CSCAs), proves
 * the chip is genuine (Active and Chip Authentication) and shows the portrait stored in it.
 */
import { coreServices, definePlugin, extensionPoints } from '@tessera/sdk';
import { ChipInspector, type TrustState } from './checks/chip-inspection.js';
import { createChipChecks } from './checks/chip-checks.js';
import { dataFolderOf, loadTrustStore } from './checks/trust-config.js';
import { createEmrtdCommands } from './commands/index.js';

export { readChip, type ChipReadResult, type ReadChipOptions, type ChipReadError, type ReadProgress } from './reading/chip-reader.js';
export { performActiveAuthentication, verifyActiveAuthentication } from './reading/active-auth.js';
export { performChipAuthentication } from './reading/chip-auth.js';
export { decodeFace } from './face/decode-face.js';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export default definePlugin({
  id: 'emrtd',
  deps: { checks: extensionPoints.checks, commands: extensionPoints.commands, config: coreServices.config, plugin: coreServices.plugin, logger: coreServices.logger },
  async init({ checks, commands, config, plugin, logger }) {
    const trustConfig = { masterLists: strings(config.masterLists), crls: strings(config.crls), cscaCertificates: strings(config.cscaCertificates) };
    let trust: TrustState = await loadTrustStore(trustConfig, dataFolderOf(plugin.dataDir), logger);
    // A configured file may appear after start (the simulator writes its test PKI in the background):
    // while the store is incomplete, look again before each Passive Authentication, at most every 5 s.
    let lastRefresh = 0;
    const refreshTrust = async () => {
      if (!trust.problems.length || Date.now() - lastRefresh < 5000) return;
      lastRefresh = Date.now();
      trust = await loadTrustStore(trustConfig, dataFolderOf(plugin.dataDir));
    };
    logger.info('eMRTD trust store loaded', { cscas: trust.store.size, problems: trust.problems.length });
    const inspector = new ChipInspector({
      trust: () => trust,
      refreshTrust,
      preferPace: config.preferPace !== false,
      apduTimeoutMs: Number(config.apduTimeoutMs ?? 5000),
      readTimeoutMs: Number(config.readTimeoutMs ?? 30000),
      logger,
    });
    // A real chip read (PACE, a JPEG 2000 portrait) takes seconds: the checks may run as long as the read may.
    const timeoutMs = Number(config.readTimeoutMs ?? 30000) + 5000;
    for (const check of createChipChecks(inspector, () => trust)) checks.add({ ...check, timeoutMs });
    for (const command of createEmrtdCommands()) commands.add(command);
  },
});
