/**
 * The plugin's settings as the connector and the commands use them: the validated configuration
 * (tessera-plugin.json's configSchema applies the defaults) and where the offline copy lives.
 */
import path from 'node:path';

export type SltdMode = 'online' | 'offline' | 'online-then-offline';

/** The connector's identity, here so the plugin entry can register it before loading its code. */
export const SLTD_CONNECTOR_ID = 'sltd';
export const SLTD_CONNECTOR_NAME = 'INTERPOL SLTD (stolen and lost travel documents)';

export interface SltdSettings {
  mode: SltdMode;
  endpoint: string | undefined;
  apiKey: string | undefined;
  bearerToken: string | undefined;
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  deadlineMs: number;
  breakerFailures: number;
  breakerCoolDownMs: number;
  offlineDataDir: string | undefined;
  maxAgeHours: number;
  /** Import a generated demonstration snapshot at start while the offline copy is empty (demo-data.ts). */
  demoData: boolean;
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
const number = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

export function readSettings(config: Readonly<Record<string, unknown>>): SltdSettings {
  const mode = config.mode === 'online' || config.mode === 'online-then-offline' ? config.mode : 'offline';
  return {
    mode,
    endpoint: text(config.endpoint),
    apiKey: text(config.apiKey),
    bearerToken: text(config.bearerToken),
    timeoutMs: number(config.timeoutMs, 2000),
    retries: number(config.retries, 2),
    backoffBaseMs: number(config.backoffBaseMs, 200),
    backoffMaxMs: number(config.backoffMaxMs, 2000),
    deadlineMs: number(config.deadlineMs, 6000),
    breakerFailures: number(config.breakerFailures, 5),
    breakerCoolDownMs: number(config.breakerCoolDownMs, 30000),
    offlineDataDir: text(config.offlineDataDir),
    maxAgeHours: number(config.maxAgeHours, 48),
    demoData: config.demoData === true,
  };
}

/**
 * The folder of the offline copy: `offlineDataDir` relative to the host data folder, else
 * `<data folder>/plugins/interop-sltd/offline`. The plugin's data folder is `<data>/plugins/<id>`, or
 * '' on a host without a data folder; then `fallbackDataFolder` (a command's --data, TESSERA_DATA or
 * ./tessera-data) is used, or null is returned: there is nowhere to keep a copy.
 */
export function resolveOfflineDir(options: { pluginDataDir: string; pluginId: string; configured: string | undefined; fallbackDataFolder?: string | undefined }): string | null {
  const dataFolder = options.pluginDataDir ? path.resolve(options.pluginDataDir, '..', '..') : options.fallbackDataFolder ? path.resolve(options.fallbackDataFolder) : null;
  if (options.configured && path.isAbsolute(options.configured)) return options.configured;
  if (!dataFolder) return null;
  return options.configured ? path.resolve(dataFolder, options.configured) : path.join(dataFolder, 'plugins', options.pluginId, 'offline');
}
