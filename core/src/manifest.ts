/** Reads and validates plugin manifests against the SDK's JSON Schema (additionalProperties: false). */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject } from 'ajv';
import type { PluginManifest } from '@tessera/sdk';
import { TesseraError } from '@tessera/sdk';

const require = createRequire(import.meta.url);
const manifestSchema = require('@tessera/sdk/manifest.schema.json') as Record<string, unknown>;

/** The core's one validator instance for its own schemas (manifests, host configuration): each Ajv
 * instance costs tens of milliseconds to set up, which the host pays at every start. */
export const coreSchemaAjv = new Ajv({ allErrors: true, strict: false });
const validateManifestSchema = coreSchemaAjv.compile<PluginManifest>(manifestSchema);

/** Turn ajv errors into one sentence per problem, naming the field. */
export function formatSchemaErrors(errors: ErrorObject[] | null | undefined, root = 'manifest'): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath ? `${root}${e.instancePath.replaceAll('/', '.')}` : root;
    if (e.keyword === 'additionalProperties') return `${where} has an unknown property "${String(e.params.additionalProperty)}"`;
    if (e.keyword === 'required') return `${where} lacks the required property "${String(e.params.missingProperty)}"`;
    if (e.keyword === 'enum') return `${where} must be one of ${JSON.stringify(e.params.allowedValues)}`;
    return `${where} ${e.message ?? 'is invalid'}`;
  });
}

export function validateManifest(value: unknown, source: string): PluginManifest {
  if (validateManifestSchema(value)) return value;
  const problems = formatSchemaErrors(validateManifestSchema.errors);
  throw new TesseraError('TSR_MANIFEST_INVALID', `Invalid plugin manifest ${source}: ${problems.join('; ')}.`, {
    hint: 'Fix the manifest so it matches sdk/src/plugin-manifest.schema.json; the plugin stays disabled until then.',
    details: { problems },
  });
}

export async function readManifest(file: string): Promise<PluginManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new TesseraError('TSR_MANIFEST_UNREADABLE', `Cannot read plugin manifest ${file}.`, { cause, hint: 'Check the file exists and is readable.' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TesseraError('TSR_MANIFEST_UNREADABLE', `Plugin manifest ${file} is not valid JSON: ${(cause as Error).message}.`, { cause, hint: 'Fix the JSON syntax.' });
  }
  return validateManifest(json, file);
}

// One Ajv instance for every plugin's config schema: an instance costs tens of milliseconds to set up,
// and with a dozen plugins that was a visible share of the host's start.
let configAjv: Ajv | null = null;

/** Compile a plugin's config schema once; validation applies defaults in place. */
export function compileConfigSchema(schema: Record<string, unknown>) {
  configAjv ??= new Ajv({ allErrors: true, strict: false, useDefaults: true });
  return configAjv.compile(schema);
}
