/**
 * The interop-sltd plugin: the `sltd` connector (every scanned document against INTERPOL's Stolen and
 * Lost Travel Documents database, online, offline or online-then-offline) and the `tessera sltd`
 * commands (serve the reference service, import, status, sync).
 *
 * The entry stays light so the host starts fast: it registers stand-ins whose code (the connector, the
 * online client, the offline store; fastify for `serve`) loads shortly after start or on first use.
 * With `demoData`, an empty offline copy is filled with generated demo records in the background after
 * start; queries arriving meanwhile wait for it rather than answer "nothing imported".
 */
import { coreServices, definePlugin, extensionPoints, type CliCommand, type Clock, type InteropConnector } from '@tessera/sdk';
import { SLTD_CONNECTOR_ID, SLTD_CONNECTOR_NAME, readSettings, resolveOfflineDir, type SltdSettings } from './sltd-settings.js';
import { SLTD_COMMAND_TEXTS, type SltdCommandId } from './commands/command-texts.js';
import type { OfflineCopy } from './offline-copy.js';

/** Builds the real connector with its online client (one circuit breaker for the host's life) and offline copy. */
async function loadConnector(settings: SltdSettings, offlineCopy: Promise<OfflineCopy | null>, clock: Clock): Promise<InteropConnector> {
  const [{ SltdConnector }, { SltdOnlineClient }, { CircuitBreaker }] = await Promise.all([
    import('./sltd-connector.js'),
    import('./online/sltd-online-client.js'),
    import('./online/circuit-breaker.js'),
  ]);
  const online = settings.endpoint
    ? new SltdOnlineClient({
        endpoint: settings.endpoint,
        apiKey: settings.apiKey,
        bearerToken: settings.bearerToken,
        timeoutMs: settings.timeoutMs,
        retries: settings.retries,
        backoffBaseMs: settings.backoffBaseMs,
        backoffMaxMs: settings.backoffMaxMs,
        deadlineMs: settings.deadlineMs,
        breaker: new CircuitBreaker({ failureThreshold: settings.breakerFailures, coolDownMs: settings.breakerCoolDownMs, now: () => clock.now() }),
      })
    : undefined;
  const copy = await offlineCopy;
  return new SltdConnector({
    mode: settings.mode,
    online,
    ...(settings.mode === 'online' ? {} : { offline: async () => (copy ? copy.get() : null) }),
    maxAgeHours: settings.maxAgeHours,
    now: () => clock.now(),
  });
}

export default definePlugin({
  id: 'interop-sltd',
  deps: {
    connectors: extensionPoints.connectors,
    commands: extensionPoints.commands,
    config: coreServices.config,
    plugin: coreServices.plugin,
    clock: coreServices.clock,
    logger: coreServices.logger,
    host: coreServices.host,
  },
  init({ connectors, commands, config, plugin, clock, logger, host }) {
    const settings = readSettings(config);
    const offlineDir = resolveOfflineDir({ pluginDataDir: plugin.dataDir, pluginId: plugin.id, configured: settings.offlineDataDir });
    let offlineCopy: Promise<OfflineCopy | null> | undefined;
    const copy = () => (offlineCopy ??= offlineDir ? import('./offline-copy.js').then(({ OfflineCopy }) => new OfflineCopy(offlineDir)) : Promise.resolve(null));
    /** The demo import (setting demoData): due after start, begun at once by an earlier query, dropped by a command. */
    let demoImport: Promise<unknown> | undefined;
    let demoDue = false;
    let demoTimer: NodeJS.Timeout | undefined;
    const runDemoImport = () => {
      clearTimeout(demoTimer);
      demoImport ??= importDemoData().catch((error: unknown) => logger.warn('The SLTD demo data could not be imported', { error: String(error), offlineDir }));
      return demoImport;
    };
    let implementation: Promise<InteropConnector> | undefined;
    const load = () => {
      implementation ??= loadConnector(settings, copy(), clock);
      implementation.catch(() => (implementation = undefined)); // a failed load is retried by the next query
      return implementation;
    };
    connectors.add({
      id: SLTD_CONNECTOR_ID,
      displayName: SLTD_CONNECTOR_NAME,
      queries: ['document'],
      queryDocument: async (query, context) => {
        if (demoDue) await runDemoImport(); // an answer from the demo data, not "nothing imported yet"
        return (await load()).queryDocument!(query, context);
      },
    });

    let warmTimer: NodeJS.Timeout | undefined;
    const commandContext = { settings, pluginDataDir: plugin.dataDir, pluginId: plugin.id };
    const lazyCommand = (id: SltdCommandId): CliCommand => ({
      id,
      summary: SLTD_COMMAND_TEXTS[id].summary,
      usage: SLTD_COMMAND_TEXTS[id].usage,
      run: async (args, io) => {
        // A command (the CLI) needs no warm connector, and opening the offline copy while `import`
        // builds a new one in the same folder would disturb it.
        clearTimeout(warmTimer);
        clearTimeout(demoTimer);
        demoDue = false;
        return (await import('./commands/sltd-commands.js')).createSltdCommand(id, commandContext).run(args, io);
      },
    });
    for (const id of Object.keys(SLTD_COMMAND_TEXTS) as SltdCommandId[]) commands.add(lazyCommand(id));

    const importDemoData = async () => {
      const store = await (await copy())?.get();
      if (!store) return; // no data folder: nowhere to keep a copy
      const { importDemoSnapshot } = await import('./demo-data.js');
      const info = await importDemoSnapshot(store, { now: clock.now(), maxAgeHours: settings.maxAgeHours });
      if (info) logger.info('Imported the SLTD demo data into the empty offline copy', { records: info.records, offlineDir });
    };

    return {
      start() {
        if (settings.demoData && settings.mode !== 'online' && host.kind === 'local' && offlineDir) {
          // Off the start path, so the host is ready at once; a little later, so a CLI command (which
          // cancels it) never races its own import against it. A query before then starts it at once.
          demoDue = true;
          demoTimer = setTimeout(runDemoImport, 500);
          demoTimer.unref();
        }
        // Load the connector and open the offline copy soon after start, off the start path, so the
        // first inspection does not wait.
        warmTimer = setTimeout(() => {
          load()
            .then(async () => (settings.mode === 'online' ? undefined : (await copy())?.get()))
            .catch((error: unknown) => logger.warn('The SLTD connector could not be prepared', { error: String(error), offlineDir }));
        }, 2000);
        warmTimer.unref();
      },
      async stop() {
        clearTimeout(warmTimer);
        clearTimeout(demoTimer);
        await demoImport;
        await implementation?.catch(() => undefined);
        await (await offlineCopy)?.close();
      },
    };
  },
});
