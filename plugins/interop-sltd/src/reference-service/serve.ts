/**
 * Running the reference service from a command line, shared by `tessera sltd serve` and main.ts:
 * parse the options, start, print where it listens, and stop cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { TesseraError } from '@tessera/sdk';
import { parseFaultOption } from './faults.js';
import { DEFAULT_REFERENCE_PORT, DEFAULT_REFERENCE_RECORDS, DEFAULT_REFERENCE_SEED, startReferenceService, type ReferenceServiceOptions } from './reference-server.js';

const integer = (text: string | undefined, option: string, min: number, max: number, fallback: number): number => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new TesseraError('SLTD_REFERENCE_OPTION_INVALID', `${option} must be a whole number from ${min} to ${max}, got "${text}".`, { hint: 'See tessera sltd serve --help.' });
  }
  return value;
};

/** Throws TesseraError (bad values) or TypeError from parseArgs (unknown option: a usage error). */
export function parseServeOptions(args: string[]): ReferenceServiceOptions & { port: number } {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      records: { type: 'string' },
      seed: { type: 'string' },
      'api-key': { type: 'string' },
      'no-auth': { type: 'boolean' },
      fault: { type: 'string' },
      // Read by the CLI before it loads the plugins; accepted so it is not an unknown option.
      data: { type: 'string' },
    },
  });
  if (positionals.length) throw new TypeError(`unexpected argument "${positionals[0]}"`);
  if (values['no-auth'] && values['api-key'] !== undefined) throw new TypeError('--api-key and --no-auth exclude each other');
  return {
    port: integer(values.port, '--port', 0, 65535, DEFAULT_REFERENCE_PORT),
    ...(values.host ? { host: values.host } : {}),
    records: integer(values.records, '--records', 0, 50_000_000, DEFAULT_REFERENCE_RECORDS),
    seed: integer(values.seed, '--seed', 0, 2 ** 32 - 1, DEFAULT_REFERENCE_SEED),
    ...(values['no-auth'] ? { apiKey: null } : values['api-key'] !== undefined ? { apiKey: values['api-key'] } : {}),
    ...(values.fault ? { fault: parseFaultOption(values.fault) } : {}),
  };
}

/** Starts the service, prints one "listening" line, and resolves once SIGINT or SIGTERM stopped it. */
export async function serveUntilInterrupted(options: ReferenceServiceOptions, out: (line: string) => void): Promise<void> {
  const service = await startReferenceService(options);
  const key = service.apiKey === null ? 'no credentials needed' : `API key ${service.apiKey}`;
  out(`SLTD reference service listening on ${service.url} (${service.dataSet.size} records, seed ${options.seed ?? DEFAULT_REFERENCE_SEED}, ${key}); OpenAPI at ${service.url}/docs`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await service.close();
  out('SLTD reference service stopped');
}
