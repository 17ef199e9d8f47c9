/**
 * Plugin entry: the national lists in the plugin's own database, the `national-documents` and
 * `national-persons` connectors over them, and the `tessera lists import|ls|screen` commands. With
 * `demoData`, generated demo lists are imported after start while none exists (demo/demo-lists.ts);
 * queries arriving meanwhile wait for them rather than answer "no list imported".
 */
import { coreServices, definePlugin, extensionPoints, type CliCommand, type InteropConnector } from '@tessera/sdk';
import { createListsImportCommand } from './commands/lists-import-command.js';
import { createListsLsCommand } from './commands/lists-ls-command.js';
import { createListsScreenCommand } from './commands/lists-screen-command.js';
import { NationalDocumentsConnector } from './connectors/documents-connector.js';
import { NationalPersonsConnector } from './connectors/persons-connector.js';
import { ScreeningService } from './screening/screening-service.js';
import { LIST_STORE_MIGRATIONS, ListStore } from './store/list-store.js';
import { importDemoLists } from './demo/demo-lists.js';

export { NATIONAL_LISTS_ERROR_CODES } from './errors.js';
export { importList, type ImportOptions, type ImportSummary } from './import/import-list.js';
export { ListStore, type ListInfo } from './store/list-store.js';

export default definePlugin({
  id: 'interop-national-lists',
  migrations: LIST_STORE_MIGRATIONS,
  deps: {
    db: coreServices.database,
    audit: coreServices.audit,
    clock: coreServices.clock,
    config: coreServices.config,
    logger: coreServices.logger,
    plugin: coreServices.plugin,
    host: coreServices.host,
    connectors: extensionPoints.connectors,
    commands: extensionPoints.commands,
  },
  init({ db, audit, clock, config, logger, plugin, host, connectors, commands }) {
    const store = new ListStore(db, clock);
    const screening = new ScreeningService(store, {
      ...(typeof config.threshold === 'number' ? { threshold: config.threshold } : {}),
      limit: config.maxCandidates as number,
    });
    const personLists = config.personLists as string[];
    // The demo import (setting demoData): due after start, begun at once by an earlier query, dropped by a command.
    let demoImport: Promise<unknown> | undefined;
    let demoDue = false;
    let demoTimer: NodeJS.Timeout | undefined;
    const runDemoImport = () => {
      clearTimeout(demoTimer);
      demoImport ??= importDemoLists(store)
        .then((lists) => lists.length && logger.info('Imported the demo lists', { lists: lists.map((l) => l.name) }))
        .catch((error: Error) => logger.warn('The demo lists could not be imported', { error: error.message }));
      return demoImport;
    };
    const afterDemoImport = (connector: InteropConnector): InteropConnector => {
      const ready = async () => {
        if (demoDue) await runDemoImport(); // an answer from the demo lists, not "no list imported"
      };
      return {
        id: connector.id,
        displayName: connector.displayName,
        queries: connector.queries,
        ...(connector.queryDocument ? { queryDocument: async (query, context) => (await ready(), connector.queryDocument!(query, context)) } : {}),
        ...(connector.queryPerson ? { queryPerson: async (query, context) => (await ready(), connector.queryPerson!(query, context)) } : {}),
      };
    };
    connectors.add(afterDemoImport(new NationalDocumentsConnector(store, clock)));
    connectors.add(afterDemoImport(new NationalPersonsConnector(store, screening, clock, personLists)));
    let warmTimer: NodeJS.Timeout | undefined;
    // A command run means this is the CLI, not the workstation: loading every watchlist would only slow it.
    const cancelsWarming = (command: CliCommand): CliCommand => ({
      ...command,
      run(args, io) {
        clearTimeout(warmTimer);
        clearTimeout(demoTimer);
        demoDue = false;
        return command.run(args, io);
      },
    });
    const commandDeps = { store, audit, plugin, host, maxFileBytes: config.maxFileBytes as number };
    commands.add(cancelsWarming(createListsImportCommand(commandDeps)));
    commands.add(cancelsWarming(createListsLsCommand(commandDeps)));
    commands.add(cancelsWarming(createListsScreenCommand({ ...commandDeps, screening })));
    return {
      start() {
        if (host.kind !== 'local') return;
        if (config.demoData === true) {
          // Off the start path, so the host is ready at once; a little later, so a CLI command (which
          // cancels it) never imports demo lists beside its own work. A query before then starts it at once.
          demoDue = true;
          demoTimer = setTimeout(runDemoImport, 500);
          demoTimer.unref();
        }
        // Build the screening indexes in the background on the workstation, so the first inspection
        // does not wait for them.
        if (plugin.dataDir === '') return;
        warmTimer = setTimeout(() => {
          Promise.resolve(demoImport)
            .then(() => store.lists('persons'))
            .then((lists) => Promise.all(lists.filter((l) => !personLists.length || personLists.includes(l.name)).map((l) => screening.warm(l.name))))
            .catch((error: Error) => logger.warn('persons lists could not be loaded ahead of screening', { error: error.message }));
        }, 2000);
        warmTimer.unref();
      },
      async stop() {
        clearTimeout(warmTimer);
        clearTimeout(demoTimer);
        await demoImport;
      },
    };
  },
});
