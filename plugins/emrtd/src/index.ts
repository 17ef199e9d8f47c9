/**
 * The eMRTD plugin: reads the chip of ICAO 9303 travel documents (PACE/BAC, secure messaging, the
 * LDS files), authenticates its data (Passive Authentication against the configured CSCAs), proves
 * the chip is genuine (Active and Chip Authentication) and shows the portrait stored in it.
 *
 * The entry registers light stand-ins for its checks and commands; the chip code (ASN.1, curves,
 * the JPEG 2000 decoder) loads on first use or shortly after start, so it never delays the host's start.
 */
import { coreServices, definePlugin, extensionPoints, type CliCommand, type DocumentCheck, type Logger } from '@tessera/sdk';
import { CHIP_CHECK_TITLES, type ChipCheckId } from './checks/check-catalogue.js';
import { CHIP_READ_SUMMARY, CHIP_READ_USAGE, CHIP_REPLAY_SUMMARY, CHIP_REPLAY_USAGE, PA_VERIFY_SUMMARY, PA_VERIFY_USAGE } from './commands/command-texts.js';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

interface PluginSettings {
  masterLists: string[];
  crls: string[];
  cscaCertificates: string[];
  preferPace: boolean;
  apduTimeoutMs: number;
  readTimeoutMs: number;
}

/** Builds the real checks: the trust store, the chip inspector and the five checks sharing it. */
async function loadChecks(settings: PluginSettings, pluginDataDir: string, logger: Logger): Promise<Map<string, DocumentCheck>> {
  const [{ ChipInspector }, { createChipChecks }, { dataFolderOf, loadTrustStore }] = await Promise.all([
    import('./checks/chip-inspection.js'),
    import('./checks/chip-checks.js'),
    import('./checks/trust-config.js'),
  ]);
  const trustConfig = { masterLists: settings.masterLists, crls: settings.crls, cscaCertificates: settings.cscaCertificates };
  let trust = await loadTrustStore(trustConfig, dataFolderOf(pluginDataDir), logger);
  logger.info('eMRTD trust store loaded', { cscas: trust.store.size, problems: trust.problems.length });
  // A configured file may appear after start (the simulator writes its test PKI in the background):
  // while the store is incomplete, look again before each Passive Authentication, at most every 5 s.
  let lastRefresh = 0;
  const refreshTrust = async () => {
    if (!trust.problems.length || Date.now() - lastRefresh < 5000) return;
    lastRefresh = Date.now();
    trust = await loadTrustStore(trustConfig, dataFolderOf(pluginDataDir));
  };
  const inspector = new ChipInspector({
    trust: () => trust,
    refreshTrust,
    preferPace: settings.preferPace,
    apduTimeoutMs: settings.apduTimeoutMs,
    readTimeoutMs: settings.readTimeoutMs,
    logger,
  });
  return new Map(createChipChecks(inspector, () => trust).map((c) => [c.id, c]));
}

function lazyCommand(id: string, summary: string, usage: string, load: () => Promise<CliCommand>): CliCommand {
  return { id, summary, usage, run: async (args, io) => (await load()).run(args, io) };
}

export default definePlugin({
  id: 'emrtd',
  deps: { checks: extensionPoints.checks, commands: extensionPoints.commands, config: coreServices.config, plugin: coreServices.plugin, logger: coreServices.logger },
  init({ checks, commands, config, plugin, logger }) {
    const settings: PluginSettings = {
      masterLists: strings(config.masterLists),
      crls: strings(config.crls),
      cscaCertificates: strings(config.cscaCertificates),
      preferPace: config.preferPace !== false,
      apduTimeoutMs: Number(config.apduTimeoutMs ?? 5000),
      readTimeoutMs: Number(config.readTimeoutMs ?? 30000),
    };
    let implementation: Promise<Map<string, DocumentCheck>> | undefined;
    const load = () => {
      implementation ??= loadChecks(settings, plugin.dataDir, logger);
      implementation.catch(() => (implementation = undefined)); // a failed load is retried by the next inspection
      return implementation;
    };
    // A real chip read (PACE, a JPEG 2000 portrait) takes seconds: the checks may run as long as the read may.
    const timeoutMs = settings.readTimeoutMs + 5000;
    for (const [id, title] of Object.entries(CHIP_CHECK_TITLES) as Array<[ChipCheckId, string]>) {
      checks.add({ id, title, category: 'chip', timeoutMs, run: async (context) => (await load()).get(id)!.run(context) });
    }
    const commandModule = () => import('./commands/index.js');
    commands.add(lazyCommand('pa verify', PA_VERIFY_SUMMARY, PA_VERIFY_USAGE, async () => (await commandModule()).createPaVerifyCommand({})));
    commands.add(lazyCommand('chip replay', CHIP_REPLAY_SUMMARY, CHIP_REPLAY_USAGE, async () => (await commandModule()).createChipReplayCommand({})));
    commands.add(
      lazyCommand('chip read', CHIP_READ_SUMMARY, CHIP_READ_USAGE, async () =>
        (await commandModule()).createChipReadCommand({
          trust: { masterLists: settings.masterLists, crls: settings.crls, cscaCertificates: settings.cscaCertificates },
          pluginDataDir: plugin.dataDir,
          preferPace: settings.preferPace,
          apduTimeoutMs: settings.apduTimeoutMs,
          readTimeoutMs: settings.readTimeoutMs,
          logger,
        }),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    return {
      start() {
        // Load the chip code and the trust store soon after start, so the first inspection does not wait —
        // after the simulator (if enabled) has written its test PKI, so the default trust files exist.
        timer = setTimeout(() => load().catch((error: unknown) => logger.warn('eMRTD checks could not load', { error: String(error) })), 3000);
        timer.unref();
      },
      stop() {
        // A load still in flight only imports code and reads trust files; waiting for it made the host's
        // shutdown take seconds on a busy machine, and the stopping process does not need its result.
        clearTimeout(timer);
      },
    };
  },
});
