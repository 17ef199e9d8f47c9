/**
 * The plugin loader and lifecycle: validate → select (configuration, host compatibility) → order by
 * `requires` → register → migrate → init → start → stop. A plugin that fails at any step becomes a
 * visible failed state with a stable error code; plugins that require it fail with it as the cause,
 * and the host goes on with the rest.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import semver from 'semver';
import type { DependencyContainer } from 'tsyringe';
import type { Knex } from 'knex';
import {
  CONTRIBUTION_KINDS,
  TesseraError,
  coreServices,
  describeError,
  extensionPoints,
  isPluginDefinition,
  isTesseraError,
  type AuditLog,
  type Clock,
  type HostInfo,
  type Logger,
  type PluginDefinition,
  type PluginHooks,
  type PluginManifest,
} from '@tessera/sdk';
import type { ErrorCode } from './error-codes.js';
import type { DatabaseProvider } from './databases.js';
import { runMigrations } from './databases.js';
import { ExtensionRegistry, PluginContributionScope } from './extension-registry.js';
import { compileConfigSchema, formatSchemaErrors } from './manifest.js';
import type { KnexAuditLog } from './audit-log.js';

export type PluginState = 'disabled' | 'failed' | 'registered' | 'initialized' | 'started' | 'stopped';

export interface PluginFailure {
  code: ErrorCode;
  message: string;
  hint?: string;
  /** For dependency failures: the id of the plugin whose failure caused this one. */
  causedBy?: string;
}

export interface PluginStatus {
  id: string;
  version: string | null;
  displayName: string | null;
  description: string | null;
  maturity: string | null;
  source: 'folder' | 'npm' | 'inline';
  dir: string | null;
  state: PluginState;
  error: PluginFailure | null;
  contributes: PluginManifest['contributes'];
  requires: Record<string, string>;
  initMs: number | null;
}

/** A plugin as the loader receives it: discovered on disk, or handed over in memory (tests, embedding). */
export interface PluginCandidate {
  source: PluginStatus['source'];
  dir: string | null;
  manifest: PluginManifest | null;
  manifestError?: TesseraError | null;
  /** For inline plugins; folder plugins are imported from manifest.main. */
  definition?: PluginDefinition;
  /** Fallback id for a candidate whose manifest could not be read (the folder name). */
  fallbackId?: string;
}

export interface PluginHostOptions {
  hostInfo: HostInfo;
  apiVersion: string;
  rootContainer: DependencyContainer;
  databases: DatabaseProvider;
  logger: Logger;
  audit: KnexAuditLog;
  clock: Clock;
  registry: ExtensionRegistry;
  dataDir: string | null;
  disabled: ReadonlySet<string>;
  pluginConfig: Record<string, Record<string, unknown>>;
  initTimeoutMs?: number;
  stopTimeoutMs?: number;
}

interface LoadedPlugin {
  status: PluginStatus;
  candidate: PluginCandidate;
  definition: PluginDefinition | null;
  scope: PluginContributionScope;
  hooks: PluginHooks | null;
  container: DependencyContainer | null;
}

function fail(status: PluginStatus, code: ErrorCode, message: string, extra: { hint?: string; causedBy?: string } = {}): void {
  status.state = 'failed';
  status.error = { code, message, ...extra };
}

function failFromError(status: PluginStatus, fallbackCode: ErrorCode, error: unknown, prefix: string): void {
  const code = isTesseraError(error) && error.code.startsWith('TSR_') ? (error.code as ErrorCode) : fallbackCode;
  const hint = isTesseraError(error) ? error.hint : undefined;
  fail(status, code, `${prefix}${describeError(error).replace(/^TSR_[A-Z_]+: /, '')}`, hint ? { hint } : {});
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => TesseraError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export class PluginHost {
  private readonly plugins = new Map<string, LoadedPlugin>();
  private order: string[] = [];
  private readonly opts: Required<Pick<PluginHostOptions, 'initTimeoutMs' | 'stopTimeoutMs'>> & PluginHostOptions;

  constructor(options: PluginHostOptions) {
    this.opts = { initTimeoutMs: 10_000, stopTimeoutMs: 5_000, ...options };
  }

  statuses(): PluginStatus[] {
    return [...this.plugins.values()].map((p) => ({ ...p.status })).sort((a, b) => a.id.localeCompare(b.id));
  }

  status(id: string): PluginStatus | undefined {
    const p = this.plugins.get(id);
    return p ? { ...p.status } : undefined;
  }

  /** Validate, order, register, migrate and init every candidate. Never throws for a plugin's fault. */
  async load(candidates: PluginCandidate[]): Promise<void> {
    for (const candidate of candidates) this.admit(candidate);
    this.order = this.orderByRequires();
    for (const id of this.order) {
      const plugin = this.plugins.get(id)!;
      if (plugin.status.state === 'failed' || plugin.status.state === 'disabled') continue;
      const failedDep = Object.keys(plugin.status.requires).find((dep) => this.plugins.get(dep)?.status.state === 'failed');
      if (failedDep) {
        const cause = this.plugins.get(failedDep)!.status.error;
        fail(plugin.status, 'TSR_PLUGIN_DEPENDENCY_FAILED', `Plugin ${id} requires ${failedDep}, which failed (${cause?.code}: ${cause?.message})`, {
          causedBy: failedDep,
          hint: `Fix ${failedDep} first; ${id} starts once its dependency does.`,
        });
        continue;
      }
      await this.initPlugin(plugin);
    }
  }

  /** First pass: manifest validity, duplicates, configuration, host compatibility. */
  private admit(candidate: PluginCandidate): void {
    const manifest = candidate.manifest;
    const id = manifest?.id ?? candidate.fallbackId ?? (candidate.dir ? path.basename(candidate.dir) : 'unknown');
    const status: PluginStatus = {
      id,
      version: manifest?.version ?? null,
      displayName: manifest?.displayName ?? null,
      description: manifest?.description ?? null,
      maturity: manifest?.maturity ?? null,
      source: candidate.source,
      dir: candidate.dir,
      state: 'registered',
      error: null,
      contributes: manifest?.contributes ?? {},
      requires: manifest?.requires ?? {},
      initMs: null,
    };
    const plugin: LoadedPlugin = { status, candidate, definition: null, scope: new PluginContributionScope(), hooks: null, container: null };
    if (this.plugins.has(id)) {
      const first = this.plugins.get(id)!;
      const dup: LoadedPlugin = { ...plugin, status: { ...status, id: `${id}@${candidate.dir ?? 'inline'}` } };
      fail(dup.status, 'TSR_PLUGIN_DUPLICATE_ID', `Plugin id "${id}" in ${candidate.dir ?? 'an inline plugin'} is already used by ${first.status.dir ?? 'an inline plugin'}`, {
        hint: 'Remove one of the two copies; the first one found is kept.',
      });
      this.plugins.set(dup.status.id, dup);
      return;
    }
    this.plugins.set(id, plugin);
    if (!manifest) {
      const err = candidate.manifestError;
      fail(status, (err?.code as ErrorCode) ?? 'TSR_MANIFEST_INVALID', err?.message ?? 'Plugin has no manifest', err?.hint ? { hint: err.hint } : {});
      return;
    }
    if (this.opts.disabled.has(id)) {
      status.state = 'disabled';
      return;
    }
    const hostKind = this.opts.hostInfo.kind;
    if (!semver.satisfies(this.opts.apiVersion, manifest.engines.tessera, { includePrerelease: true })) {
      fail(status, 'TSR_PLUGIN_HOST_INCOMPATIBLE', `Plugin ${id} ${manifest.version} needs Tessera ${manifest.engines.tessera}; this host offers ${this.opts.apiVersion}`, {
        hint: 'Install a version of the plugin built for this host, or disable it.',
      });
      return;
    }
    if (hostKind !== 'test' && manifest.engines.hosts && !manifest.engines.hosts.includes(hostKind)) {
      status.state = 'disabled';
      status.error = null;
    }
  }

  /** Topological order over requires; missing, disabled, out-of-range and cyclic dependencies fail here. */
  private orderByRequires(): string[] {
    const ids = [...this.plugins.keys()];
    for (const id of ids) {
      const plugin = this.plugins.get(id)!;
      if (plugin.status.state !== 'registered') continue;
      for (const [dep, range] of Object.entries(plugin.status.requires)) {
        const target = this.plugins.get(dep);
        if (!target) {
          fail(plugin.status, 'TSR_PLUGIN_DEPENDENCY_MISSING', `Plugin ${id} requires ${dep} ${range}, which is not installed`, {
            hint: `Install the plugin ${dep}, or disable ${id}.`,
          });
        } else if (target.status.state === 'disabled') {
          fail(plugin.status, 'TSR_PLUGIN_DEPENDENCY_DISABLED', `Plugin ${id} requires ${dep}, which is disabled by configuration`, {
            hint: `Enable ${dep} in the host configuration, or disable ${id} as well.`,
            causedBy: dep,
          });
        } else if (target.status.version && !semver.satisfies(target.status.version, range, { includePrerelease: true })) {
          fail(plugin.status, 'TSR_PLUGIN_DEPENDENCY_VERSION', `Plugin ${id} requires ${dep} ${range}, but ${target.status.version} is installed`, {
            hint: `Install a version of ${dep} in ${range}.`,
            causedBy: dep,
          });
        }
        if ((plugin.status.state as PluginState) === 'failed') break;
      }
    }
    // Kahn's algorithm; whatever is left over sits on or behind a cycle.
    const indegree = new Map<string, number>();
    const dependents = new Map<string, string[]>();
    for (const id of ids) {
      const reqs = Object.keys(this.plugins.get(id)!.status.requires).filter((d) => this.plugins.has(d));
      indegree.set(id, reqs.length);
      for (const d of reqs) dependents.set(d, [...(dependents.get(d) ?? []), id]);
    }
    const queue = ids.filter((id) => indegree.get(id) === 0).sort();
    const order: string[] = [];
    while (queue.length) {
      const id = queue.shift()!;
      order.push(id);
      for (const dependent of (dependents.get(id) ?? []).sort()) {
        const n = indegree.get(dependent)! - 1;
        indegree.set(dependent, n);
        if (n === 0) queue.push(dependent);
      }
    }
    const cyclic = ids.filter((id) => !order.includes(id)).sort();
    for (const id of cyclic) {
      const status = this.plugins.get(id)!.status;
      if (status.state === 'registered') {
        fail(status, 'TSR_PLUGIN_DEPENDENCY_CYCLE', `Plugin ${id} is part of (or depends on) a requires cycle among: ${cyclic.join(', ')}`, {
          hint: 'Break the cycle: two plugins cannot require each other.',
        });
      }
    }
    return [...order, ...cyclic];
  }

  private async importDefinition(plugin: LoadedPlugin): Promise<PluginDefinition> {
    const { candidate, status } = plugin;
    let definition: unknown = candidate.definition;
    if (!definition) {
      const entry = path.resolve(candidate.dir!, candidate.manifest!.main);
      let mod: { default?: unknown };
      try {
        mod = (await import(pathToFileURL(entry).href)) as { default?: unknown };
      } catch (cause) {
        throw new TesseraError('TSR_PLUGIN_LOAD_FAILED', `Cannot import ${entry}: ${(cause as Error).message}`, {
          cause,
          hint: 'Check the manifest\'s "main" path and that the plugin\'s npm dependencies are installed.',
        });
      }
      definition = mod.default;
    }
    if (!isPluginDefinition(definition)) {
      throw new TesseraError('TSR_PLUGIN_DEFINITION_INVALID', `The main module of ${status.id} does not default-export definePlugin({...})`, {
        hint: "export default definePlugin({ id, deps, init }) from '@tessera/sdk'.",
      });
    }
    if (definition.id !== status.id) {
      throw new TesseraError('TSR_PLUGIN_DEFINITION_INVALID', `The module defines plugin "${definition.id}" but its manifest says "${status.id}"`, {
        hint: 'Use the same id in definePlugin and tessera-plugin.json.',
      });
    }
    return definition;
  }

  private resolvePluginConfig(plugin: LoadedPlugin): Record<string, unknown> {
    const manifest = plugin.candidate.manifest!;
    const config = structuredClone(this.opts.pluginConfig[plugin.status.id] ?? {});
    if (manifest.configSchema) {
      const validate = compileConfigSchema(manifest.configSchema);
      if (!validate(config)) {
        throw new TesseraError('TSR_PLUGIN_CONFIG_INVALID', `Configuration of ${plugin.status.id} is invalid: ${formatSchemaErrors(validate.errors, 'config').join('; ')}`, {
          hint: `Fix plugins.config["${plugin.status.id}"] in the host configuration.`,
        });
      }
    }
    return Object.freeze(config);
  }

  private async initPlugin(plugin: LoadedPlugin): Promise<void> {
    const { status } = plugin;
    const started = performance.now();
    const logger = this.opts.logger.child({ plugin: status.id });
    try {
      const definition = await this.importDefinition(plugin);
      plugin.definition = definition;
      const config = this.resolvePluginConfig(plugin);

      const deps = definition.deps ?? {};
      const wantsDatabase = Object.values(deps).includes(coreServices.database) || (definition.migrations?.length ?? 0) > 0;
      let knex: Knex | null = null;
      if (wantsDatabase) {
        knex = await this.opts.databases.forPlugin(status.id);
        try {
          await runMigrations(knex, definition.migrations ?? []);
        } catch (cause) {
          throw new TesseraError('TSR_PLUGIN_MIGRATION_FAILED', `A migration of ${status.id} failed and was rolled back: ${(cause as Error).message}`, {
            cause,
            hint: 'The plugin\'s earlier data is untouched; fix or update the plugin.',
          });
        }
      }

      // One child container per plugin: its own logger, config, database and contribution facades.
      const child = this.opts.rootContainer.createChildContainer();
      plugin.container = child;
      const audit: AuditLog = this.opts.audit.forPlugin(status.id);
      child.register(coreServices.logger.token, { useValue: logger });
      child.register(coreServices.config.token, { useValue: config });
      child.register(coreServices.audit.token, { useValue: audit });
      child.register(coreServices.plugin.token, {
        useValue: Object.freeze({ id: status.id, version: status.version!, dataDir: this.opts.dataDir ? path.join(this.opts.dataDir, 'plugins', status.id) : '' }),
      });
      if (knex) child.register(coreServices.database.token, { useValue: knex });
      const declared = plugin.candidate.manifest!.contributes ?? {};
      for (const kind of CONTRIBUTION_KINDS) {
        child.register(extensionPoints[kind].token, { useValue: this.opts.registry.facade(kind, status.id, declared[kind] ?? [], plugin.scope) });
      }

      const resolved: Record<string, unknown> = {};
      for (const [key, ref] of Object.entries(deps)) {
        if (!ref || typeof ref !== 'object' || typeof (ref as { token?: unknown }).token !== 'symbol' || !child.isRegistered(ref.token, true)) {
          throw new TesseraError('TSR_PLUGIN_UNKNOWN_DEPENDENCY_REF', `Plugin ${status.id} asks for deps.${key} (${(ref as { id?: string })?.id ?? String(ref)}), which this host does not offer`, {
            hint: 'Use the refs exported by @tessera/sdk (coreServices, extensionPoints).',
          });
        }
        resolved[key] = child.resolve(ref.token);
      }

      const initPromise = Promise.resolve().then(() => definition.init(resolved as never));
      const hooks = await withTimeout(initPromise, this.opts.initTimeoutMs, () => {
        // A late init must not leave contributions or resources behind.
        initPromise.then(
          (late) => {
            logger.warn('init finished after its time limit; stopping what it started');
            return late?.stop?.();
          },
          () => undefined,
        );
        return new TesseraError('TSR_PLUGIN_INIT_TIMEOUT', `Plugin ${status.id} did not finish init within ${this.opts.initTimeoutMs} ms`, {
          hint: 'The plugin may be waiting on a device or a network service; check its configuration, or raise pluginInitTimeoutMs.',
        });
      });
      plugin.hooks = hooks ?? null;
      status.state = 'initialized';
      status.initMs = Math.round(performance.now() - started);
    } catch (error) {
      plugin.scope.disposeAll();
      failFromError(status, 'TSR_PLUGIN_INIT_FAILED', error, '');
      if (status.error && status.error.code === 'TSR_PLUGIN_INIT_FAILED') status.error.message = `init of ${status.id} threw: ${status.error.message}`;
      logger.error('plugin failed', { code: status.error?.code, error: status.error?.message });
    }
  }

  /** Start every initialised plugin in dependency order. */
  async start(): Promise<void> {
    for (const id of this.order) {
      const plugin = this.plugins.get(id)!;
      if (plugin.status.state !== 'initialized') continue;
      const failedDep = Object.keys(plugin.status.requires).find((dep) => this.plugins.get(dep)?.status.state === 'failed');
      if (failedDep) {
        plugin.scope.disposeAll();
        fail(plugin.status, 'TSR_PLUGIN_DEPENDENCY_FAILED', `Plugin ${id} requires ${failedDep}, which failed to start`, { causedBy: failedDep });
        continue;
      }
      try {
        if (plugin.hooks?.start) {
          await withTimeout(Promise.resolve().then(() => plugin.hooks!.start!()), this.opts.initTimeoutMs, () =>
            new TesseraError('TSR_PLUGIN_START_FAILED', `start of ${id} did not finish within ${this.opts.initTimeoutMs} ms`),
          );
        }
        plugin.status.state = 'started';
      } catch (error) {
        plugin.scope.disposeAll();
        failFromError(plugin.status, 'TSR_PLUGIN_START_FAILED', error, `start of ${id} failed: `);
        this.opts.logger.error('plugin failed to start', { plugin: id, error: plugin.status.error?.message });
      }
    }
  }

  /** Stop in reverse dependency order; a failing stop hook is logged and does not stop the others. */
  async stop(): Promise<void> {
    for (const id of [...this.order].reverse()) {
      const plugin = this.plugins.get(id)!;
      if (plugin.status.state !== 'started' && plugin.status.state !== 'initialized') continue;
      try {
        if (plugin.hooks?.stop) {
          await withTimeout(Promise.resolve().then(() => plugin.hooks!.stop!()), this.opts.stopTimeoutMs, () =>
            new TesseraError('TSR_PLUGIN_STOP_FAILED', `stop of ${id} did not finish within ${this.opts.stopTimeoutMs} ms`),
          );
        }
      } catch (error) {
        this.opts.logger.warn('plugin stop failed', { plugin: id, code: 'TSR_PLUGIN_STOP_FAILED', error: describeError(error) });
      }
      plugin.scope.disposeAll();
      plugin.status.state = 'stopped';
    }
  }
}
