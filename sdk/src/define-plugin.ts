/**
 * definePlugin: the one entry point a plugin module exports (as its default export).
 *
 * Lifecycle, driven by the host: register (module imported, definition checked, the plugin's child
 * container and database set up) → migrate (the plugin's own migrations) → init (deps resolved,
 * contributions added) → start (after every enabled plugin has initialised) → stop (reverse order).
 */
import type { Knex } from 'knex';
import type { DependencyRef, ResolvedDeps } from './refs.js';

export interface PluginMigration {
  /** Sortable and unique within the plugin, e.g. '0001-create-specimens'. */
  name: string;
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

export interface PluginHooks {
  /** Called once every enabled plugin has initialised: start timers, open devices. */
  start?(): Promise<void> | void;
  /** Called in reverse dependency order when the host stops: release everything. */
  stop?(): Promise<void> | void;
}

export type DepsMap = Record<string, DependencyRef<any>>;

export interface PluginDefinition<D extends DepsMap = DepsMap> {
  /** Must equal the manifest's id. */
  readonly id: string;
  readonly deps: D;
  readonly migrations?: readonly PluginMigration[];
  init(deps: ResolvedDeps<D>): Promise<PluginHooks | void> | PluginHooks | void;
}

const PLUGIN_BRAND = Symbol.for('tessera.plugin-definition');

export function definePlugin<D extends DepsMap>(definition: PluginDefinition<D>): PluginDefinition<D> {
  return Object.freeze({ ...definition, [PLUGIN_BRAND]: true });
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true;
}
