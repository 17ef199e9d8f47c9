/**
 * The services and extension points the host gives to plugins, as typed references.
 * A plugin names what it needs in `deps`; the host resolves each from the plugin's own child container.
 */
import type { Knex } from 'knex';
import type { Disposable } from './disposable.js';
import { createExtensionPoint, createServiceRef } from './refs.js';
import type { ReaderDriver } from './contracts/reader-driver.js';
import type { DocumentCheck, BcpInfo } from './contracts/document-check.js';
import type { InteropConnector } from './contracts/interop-connector.js';
import type { ChecklistTemplate } from './contracts/checklist-template.js';
import type { ReportTemplate } from './contracts/report-template.js';
import type { UiContribution } from './contracts/ui-contribution.js';
import type { MrzOcrEngine } from './contracts/mrz-ocr-engine.js';
import type { CliCommand } from './contracts/cli-command.js';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface AuditEntry {
  /** Who acted: a user name, 'system', or 'plugin:<id>'. */
  actor: string;
  /** Dotted verb, e.g. 'inspection.scan', 'report.download', 'interop.query'. */
  action: string;
  /** What was acted on, e.g. an inspection id. */
  subject?: string;
  /** Why, where the law asks for a purpose (e.g. 'border-control'). */
  purpose?: string;
  outcome?: 'success' | 'failure';
  details?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: string;
  pluginId: string | null;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  list(filter?: { action?: string; subject?: string; actor?: string; limit?: number }): Promise<AuditRecord[]>;
}

export interface PluginInfo {
  id: string;
  version: string;
  /** A folder the plugin may write files to (inside the host's data folder). */
  dataDir: string;
}

export interface HostInfo {
  kind: 'local' | 'central' | 'test';
  version: string;
  bcp: BcpInfo | null;
}

export interface Clock {
  now(): Date;
}

/**
 * What every extension point offers a plugin: add, and get a Disposable back; and look up what any
 * plugin contributed under an id, for plugins built on another's contribution (a reader that carries
 * another reader's chip). Look up when the item is needed, not in init: the other plugin may start later.
 */
export interface Contributions<T> {
  add(item: T): Disposable;
  /** The item contributed under this id, by any plugin; undefined while none is. */
  get(id: string): T | undefined;
}

export const coreServices = {
  logger: createServiceRef<Logger>({ id: 'core.logger' }),
  audit: createServiceRef<AuditLog>({ id: 'core.audit' }),
  /** The plugin's own knex handle: its own SQLite file on the local host, its own schema on PostgreSQL. */
  database: createServiceRef<Knex>({ id: 'core.database' }),
  /** The plugin's configuration, validated against the manifest's config schema, defaults applied. */
  config: createServiceRef<Readonly<Record<string, unknown>>>({ id: 'core.config' }),
  plugin: createServiceRef<PluginInfo>({ id: 'core.plugin' }),
  host: createServiceRef<HostInfo>({ id: 'core.host' }),
  clock: createServiceRef<Clock>({ id: 'core.clock' }),
} as const;

export const extensionPoints = {
  readers: createExtensionPoint<Contributions<ReaderDriver>>({ id: 'readers' }),
  checks: createExtensionPoint<Contributions<DocumentCheck>>({ id: 'checks' }),
  connectors: createExtensionPoint<Contributions<InteropConnector>>({ id: 'connectors' }),
  checklists: createExtensionPoint<Contributions<ChecklistTemplate>>({ id: 'checklists' }),
  reportTemplates: createExtensionPoint<Contributions<ReportTemplate>>({ id: 'reportTemplates' }),
  ui: createExtensionPoint<Contributions<UiContribution>>({ id: 'ui' }),
  ocrEngines: createExtensionPoint<Contributions<MrzOcrEngine>>({ id: 'ocrEngines' }),
  commands: createExtensionPoint<Contributions<CliCommand>>({ id: 'commands' }),
} as const;

/** The manifest's `contributes` keys, one per extension point. */
export type ContributionKind = keyof typeof extensionPoints;
export const CONTRIBUTION_KINDS = Object.keys(extensionPoints) as ContributionKind[];
