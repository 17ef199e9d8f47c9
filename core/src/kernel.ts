/**
 * The kernel: what both hosts assemble. Opens the databases, runs the core migrations, discovers and
 * loads plugins, and offers the inspection pipeline. Hosts add HTTP, UI and PDF on top.
 */
import 'reflect-metadata';
import { access, mkdir, stat } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { container as globalContainer } from 'tsyringe';
import {
  TESSERA_API_VERSION,
  TesseraError,
  coreServices,
  type Clock,
  type HostInfo,
  type Logger,
  type PluginDefinition,
  type PluginManifest,
  type ServiceRef,
} from '@tessera/sdk';
import { KnexAuditLog, auditMigrations } from './audit-log.js';
import { createPostgresDatabases, createSqliteDatabases, runMigrations, type DatabaseProvider } from './databases.js';
import { discoverPlugins } from './discovery.js';
import { ExtensionRegistry } from './extension-registry.js';
import { effectiveSelection, readHostConfig, writeDefaultHostConfig, type HostConfig } from './host-config.js';
import { InspectionService, inspectionMigrations } from './inspection-service.js';
import { createLogger } from './logger.js';
import { validateManifest } from './manifest.js';
import { PluginHost, type PluginCandidate } from './plugin-host.js';

export const CONFIG_FILE_NAME = 'tessera.config.json';

export interface ConfigWarning {
  code: 'TSR_CONFIG_UNKNOWN_PLUGIN';
  message: string;
}

export interface KernelOptions {
  kind: HostInfo['kind'];
  /** SQLite data folder; null keeps everything in memory (tests). Ignored for PostgreSQL. */
  dataDir: string | null;
  /** postgres://… — when set, the kernel runs on PostgreSQL. */
  databaseUrl?: string;
  /** Schema prefix on PostgreSQL (lets tests run side by side). */
  schemaPrefix?: string;
  config: HostConfig;
  pluginFolders: string[];
  nodeModules?: string[];
  /** Plugins given in memory, e.g. by startTestHost. They go through the same loader. */
  inlinePlugins?: Array<{ manifest: PluginManifest; definition: PluginDefinition }>;
  logger?: Logger;
  clock?: Clock;
  hostServices?: Array<[ServiceRef<any>, unknown]>;
  initTimeoutMs?: number;
  /** Time limits of the inspection pipeline, per check and per connector query. */
  inspectionTimeouts?: { checkMs?: number; connectorMs?: number };
}

export interface Kernel {
  readonly hostInfo: HostInfo;
  readonly plugins: PluginHost;
  readonly registry: ExtensionRegistry;
  readonly inspections: InspectionService;
  readonly audit: KnexAuditLog;
  readonly databases: DatabaseProvider;
  readonly configWarnings: ConfigWarning[];
  readonly logger: Logger;
  stop(): Promise<void>;
}

/**
 * Make sure a data folder is usable. `create` makes a missing folder (first start); without it a
 * missing folder is an error, because commands that only read must not silently invent an empty one.
 */
export async function prepareDataFolder(dir: string, options: { create: boolean }): Promise<{ created: boolean }> {
  const abs = path.resolve(dir);
  let created = false;
  try {
    const s = await stat(abs);
    if (!s.isDirectory()) {
      throw new TesseraError('TSR_DATA_FOLDER_UNUSABLE', `The data folder ${abs} is a file, not a folder.`, { hint: 'Pass --data with a folder path.' });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!options.create) {
      throw new TesseraError('TSR_DATA_FOLDER_MISSING', `The data folder ${abs} does not exist.`, {
        hint: `Start the host once with --data ${dir} to create it, or pass the folder the host uses.`,
      });
    }
    try {
      await mkdir(abs, { recursive: true });
      created = true;
    } catch (cause) {
      throw new TesseraError('TSR_DATA_FOLDER_UNUSABLE', `Cannot create the data folder ${abs}: ${(cause as Error).message}.`, {
        cause,
        hint: 'Choose a folder you can write to with --data.',
      });
    }
  }
  try {
    await access(abs, fsConstants.W_OK | fsConstants.R_OK);
  } catch (cause) {
    throw new TesseraError('TSR_DATA_FOLDER_UNUSABLE', `The data folder ${abs} is not readable and writable by this user.`, { cause, hint: 'Fix its permissions or choose another folder with --data.' });
  }
  return { created };
}

/** Read the data folder's configuration, writing the default one on first start. */
export async function loadHostConfig(dataDir: string, options: { createDefault: boolean }): Promise<HostConfig> {
  const file = path.join(dataDir, CONFIG_FILE_NAME);
  const existing = await readHostConfig(file);
  if (existing) return existing;
  return options.createDefault ? writeDefaultHostConfig(file) : {};
}

export async function startKernel(options: KernelOptions): Promise<Kernel> {
  const logger = options.logger ?? createLogger();
  const clock = options.clock ?? { now: () => new Date() };
  const selection = effectiveSelection(options.config);
  const hostInfo: HostInfo = Object.freeze({ kind: options.kind, version: TESSERA_API_VERSION, bcp: selection.bcp });

  const databases = options.databaseUrl
    ? await createPostgresDatabases(options.databaseUrl, options.schemaPrefix ? { schemaPrefix: options.schemaPrefix } : {})
    : await createSqliteDatabases(options.dataDir);
  try {
    const coreDb = databases.core();
    await runMigrations(coreDb, [...auditMigrations, ...inspectionMigrations], 'tessera_core_migrations');
    const audit = new KnexAuditLog(coreDb, null, () => clock.now());
    const registry = new ExtensionRegistry();

    // The root container holds host-wide services; each plugin gets a child (see PluginHost).
    const root = globalContainer.createChildContainer();
    root.register(coreServices.host.token, { useValue: hostInfo });
    root.register(coreServices.clock.token, { useValue: clock });
    for (const [ref, value] of options.hostServices ?? []) root.register(ref.token, { useValue: value });

    const discovered = await discoverPlugins({ folders: options.pluginFolders, nodeModules: options.nodeModules ?? [] });
    const candidates: PluginCandidate[] = discovered.map((d) => ({
      source: d.source,
      dir: d.dir,
      manifest: d.manifest,
      manifestError: d.error,
      fallbackId: path.basename(d.dir),
    }));
    for (const inline of options.inlinePlugins ?? []) {
      let manifest: PluginManifest | null = null;
      let manifestError: TesseraError | null = null;
      try {
        manifest = validateManifest(inline.manifest, `of inline plugin ${inline.manifest?.id ?? '?'}`);
      } catch (error) {
        manifestError = error as TesseraError;
      }
      candidates.push({ source: 'inline', dir: null, manifest, manifestError, definition: inline.definition, fallbackId: inline.definition?.id ?? inline.manifest?.id });
    }

    const known = new Set(candidates.map((c) => c.manifest?.id).filter(Boolean));
    const configWarnings: ConfigWarning[] = selection.mentioned
      .filter((m) => !known.has(m.id))
      .map((m) => ({ code: 'TSR_CONFIG_UNKNOWN_PLUGIN' as const, message: `The configuration names plugin "${m.id}" in ${m.where}, but no installed plugin has that id; it is ignored.` }));
    for (const w of configWarnings) logger.warn(w.message, { code: w.code });

    const plugins = new PluginHost({
      hostInfo,
      apiVersion: TESSERA_API_VERSION,
      rootContainer: root,
      databases,
      logger,
      audit,
      clock,
      registry,
      dataDir: options.dataDir,
      disabled: selection.disabled,
      pluginConfig: selection.config,
      ...(options.initTimeoutMs ?? options.config.pluginInitTimeoutMs ? { initTimeoutMs: options.initTimeoutMs ?? options.config.pluginInitTimeoutMs } : {}),
    });
    await plugins.load(candidates);
    await plugins.start();
    const inspections = new InspectionService({
      knex: coreDb,
      registry,
      audit,
      clock,
      logger,
      bcp: selection.bcp,
      ...(options.inspectionTimeouts?.checkMs ? { checkTimeoutMs: options.inspectionTimeouts.checkMs } : {}),
      ...(options.inspectionTimeouts?.connectorMs ? { connectorTimeoutMs: options.inspectionTimeouts.connectorMs } : {}),
    });
    await audit.record({ actor: 'system', action: 'host.start', details: { kind: options.kind, plugins: plugins.statuses().map((p) => `${p.id}:${p.state}`) } });

    let stopped = false;
    return {
      hostInfo,
      plugins,
      registry,
      inspections,
      audit,
      databases,
      configWarnings,
      logger,
      async stop() {
        if (stopped) return;
        stopped = true;
        await plugins.stop();
        await audit.record({ actor: 'system', action: 'host.stop' }).catch(() => undefined);
        await databases.destroy();
      },
    };
  } catch (error) {
    await databases.destroy().catch(() => undefined);
    throw error;
  }
}
