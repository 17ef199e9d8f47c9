/** The plugin manifest (tessera-plugin.json), as TypeScript. The JSON Schema beside this file is the authority. */
import type { ContributionKind } from './services.js';

export type PluginMaturity = 'alpha' | 'beta' | 'stable' | 'deprecated';

export interface PluginManifest {
  $schema?: string;
  id: string;
  version: string;
  displayName: string;
  description?: string;
  maturity?: PluginMaturity;
  /** Module that default-exports the definePlugin(...) result, relative to the manifest. */
  main: string;
  engines: {
    /** semver range of the Tessera host API this plugin works with. */
    tessera: string;
    /** Which hosts may load it; default both. */
    hosts?: Array<'local' | 'central'>;
  };
  contributes?: Partial<Record<ContributionKind, string[]>>;
  /** Plugin id → semver range. */
  requires?: Record<string, string>;
  /** JSON Schema of the plugin's configuration. */
  configSchema?: Record<string, unknown>;
}

export const MANIFEST_FILE_NAME = 'tessera-plugin.json';
