/**
 * startTestHost: the real kernel (same loader, same DI, same failure handling) in memory, for
 * plugin tests. This entry is the one place the SDK reaches the kernel, so a vendor tests against
 * exactly what runs at the border.
 */
import { startKernel, createLogger, type Kernel, type HostConfig } from '@tessera/core';
import type { Clock, PluginDefinition, PluginManifest } from '../index.js';

export interface TestPlugin {
  manifest: PluginManifest;
  definition: PluginDefinition;
}

export interface TestHostOptions {
  /** Plugins given in memory. */
  plugins?: TestPlugin[];
  /** Folders to discover plugins in (a plugin folder itself, or a parent of plugin folders). */
  pluginFolders?: string[];
  config?: HostConfig;
  /** A fixed clock makes date rules deterministic. */
  now?: Date;
  initTimeoutMs?: number;
  /** Time limits of the inspection pipeline, per check and per connector query. */
  inspectionTimeouts?: { checkMs?: number; connectorMs?: number };
  /** Where to send log lines; default: dropped. */
  log?: (line: string) => void;
}

export interface TestHost {
  kernel: Kernel;
  /** The status of one plugin (throws if the id is unknown, to catch typos in tests). */
  plugin(id: string): NonNullable<ReturnType<Kernel['plugins']['status']>>;
  stop(): Promise<void>;
}

export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const clock: Clock = { now: () => (options.now ? new Date(options.now) : new Date()) };
  const kernel = await startKernel({
    kind: 'test',
    dataDir: null,
    config: options.config ?? {},
    pluginFolders: options.pluginFolders ?? [],
    inlinePlugins: options.plugins ?? [],
    clock,
    logger: createLogger({ level: options.log ? 'debug' : 'silent', ...(options.log ? { write: options.log } : {}) }),
    ...(options.initTimeoutMs ? { initTimeoutMs: options.initTimeoutMs } : {}),
    ...(options.inspectionTimeouts ? { inspectionTimeouts: options.inspectionTimeouts } : {}),
  });
  return {
    kernel,
    plugin(id) {
      const status = kernel.plugins.status(id);
      if (!status) throw new Error(`No plugin "${id}" in the test host; known: ${kernel.plugins.statuses().map((s) => s.id).join(', ')}`);
      return status;
    },
    stop: () => kernel.stop(),
  };
}

/** A minimal valid manifest for an inline test plugin; override what the test is about. */
export function testManifest(id: string, overrides: Partial<PluginManifest> = {}): PluginManifest {
  return { id, version: '1.0.0', displayName: `Test plugin ${id}`, main: './index.ts', engines: { tessera: '^0.1.0' }, ...overrides };
}
