/**
 * The host configuration (tessera.config.json in the data folder): which plugins are enabled, their
 * settings, the BCP this workstation serves, and per-BCP profiles that override the plugin choice.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { TesseraError, type BcpInfo } from '@tessera/sdk';
import { coreSchemaAjv, formatSchemaErrors } from './manifest.js';

export interface PluginSelection {
  /** Plugins switched off (all discovered plugins are on unless listed here). */
  disabled?: string[];
  /** Plugins switched back on, e.g. by a BCP profile after the base config disabled them. */
  enabled?: string[];
  /** Per-plugin configuration, validated against each plugin's configSchema. */
  config?: Record<string, Record<string, unknown>>;
}

export interface HostConfig {
  bcp?: BcpInfo | null;
  /** Id of the entry in `profiles` to apply. */
  profile?: string | null;
  plugins?: PluginSelection & { folders?: string[]; npm?: boolean };
  profiles?: Record<string, { bcp?: BcpInfo; plugins?: PluginSelection }>;
  /** Milliseconds a plugin's init may take before it is marked failed. */
  pluginInitTimeoutMs?: number;
}

const selectionSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    disabled: { type: 'array', items: { type: 'string' } },
    enabled: { type: 'array', items: { type: 'string' } },
    config: { type: 'object', additionalProperties: { type: 'object' } },
  },
};
const bcpSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'country'],
  properties: { code: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 }, country: { type: 'string', pattern: '^[A-Z<]{1,3}$' } },
};
export const hostConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    bcp: { anyOf: [bcpSchema, { type: 'null' }] },
    profile: { type: ['string', 'null'] },
    plugins: {
      type: 'object',
      additionalProperties: false,
      properties: { ...selectionSchema.properties, folders: { type: 'array', items: { type: 'string' } }, npm: { type: 'boolean' } },
    },
    profiles: { type: 'object', additionalProperties: { type: 'object', additionalProperties: false, properties: { bcp: bcpSchema, plugins: selectionSchema } } },
    pluginInitTimeoutMs: { type: 'integer', minimum: 100, maximum: 600000 },
  },
} as const;

const validate = coreSchemaAjv.compile<HostConfig>(hostConfigSchema);

export function validateHostConfig(value: unknown, source: string): HostConfig {
  if (validate(value)) return value;
  const problems = formatSchemaErrors(validate.errors, 'config');
  throw new TesseraError('TSR_CONFIG_INVALID', `Invalid host configuration ${source}: ${problems.join('; ')}.`, {
    hint: 'Fix the file (see docs/configuration.md); the host does not start with an invalid configuration.',
    details: { problems },
  });
}

export async function readHostConfig(file: string): Promise<HostConfig | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TesseraError('TSR_CONFIG_UNREADABLE', `Cannot read host configuration ${file}: ${(error as Error).message}.`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TesseraError('TSR_CONFIG_UNREADABLE', `Host configuration ${file} is not valid JSON: ${(cause as Error).message}.`, {
      cause,
      hint: 'Fix the JSON syntax; the file is left untouched.',
    });
  }
  return validateHostConfig(json, file);
}

export async function writeDefaultHostConfig(file: string): Promise<HostConfig> {
  const config: HostConfig = {
    bcp: { code: 'DEMO-BCP', name: 'Demonstration border crossing point', country: 'UTO' },
    profile: null,
    plugins: {
      disabled: [],
      config: {
        // The simulator's test PKI (written on first use) is trusted out of the box, so a simulated chip
        // passes Passive Authentication; a real deployment replaces it with its CSCA master lists.
        emrtd: { masterLists: ['plugins/reader-simulator/test-pki/UTO-masterlist.ml'], crls: ['plugins/reader-simulator/test-pki/UTO-crl.crl'] },
        // Empty databases answer every scan "not checked" (never a silent pass), which would leave the
        // demonstration nothing to show: generated demo data, labelled as such in every answer, fills
        // them until real data is imported. A real deployment leaves demoData off.
        'interop-sltd': { demoData: true },
        'interop-national-lists': { demoData: true },
      },
    },
    profiles: {},
  };
  await writeFile(file, JSON.stringify(config, null, 2) + '\n', { flag: 'wx' });
  return config;
}

export interface EffectiveSelection {
  disabled: Set<string>;
  config: Record<string, Record<string, unknown>>;
  bcp: BcpInfo | null;
  /** Every plugin id the configuration names, with where, to warn about unknown ids. */
  mentioned: Array<{ id: string; where: string }>;
}

/** Apply the active profile on top of the base selection. */
export function effectiveSelection(config: HostConfig): EffectiveSelection {
  const disabled = new Set(config.plugins?.disabled ?? []);
  for (const id of config.plugins?.enabled ?? []) disabled.delete(id);
  const pluginConfig: Record<string, Record<string, unknown>> = { ...(config.plugins?.config ?? {}) };
  const mentioned: EffectiveSelection['mentioned'] = [];
  const note = (ids: string[] | undefined, where: string) => ids?.forEach((id) => mentioned.push({ id, where }));
  note(config.plugins?.disabled, 'plugins.disabled');
  note(config.plugins?.enabled, 'plugins.enabled');
  note(Object.keys(config.plugins?.config ?? {}), 'plugins.config');
  let bcp = config.bcp ?? null;
  if (config.profile) {
    const profile = config.profiles?.[config.profile];
    if (!profile) {
      throw new TesseraError('TSR_CONFIG_UNKNOWN_PROFILE', `The configuration selects profile "${config.profile}", which is not defined under "profiles".`, {
        hint: `Define profiles.${config.profile} or set "profile" to one of: ${Object.keys(config.profiles ?? {}).join(', ') || '(none defined)'}.`,
      });
    }
    for (const id of profile.plugins?.disabled ?? []) disabled.add(id);
    for (const id of profile.plugins?.enabled ?? []) disabled.delete(id);
    for (const [id, cfg] of Object.entries(profile.plugins?.config ?? {})) pluginConfig[id] = { ...(pluginConfig[id] ?? {}), ...cfg };
    const where = `profiles.${config.profile}.plugins`;
    note(profile.plugins?.disabled, `${where}.disabled`);
    note(profile.plugins?.enabled, `${where}.enabled`);
    note(Object.keys(profile.plugins?.config ?? {}), `${where}.config`);
    if (profile.bcp) bcp = profile.bcp;
  }
  return { disabled, config: pluginConfig, bcp, mentioned };
}
