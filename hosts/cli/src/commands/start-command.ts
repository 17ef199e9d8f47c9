/** `tessera start [local|central] [--port N] [--data DIR] [--database URL]`: run a host until SIGINT/SIGTERM. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@tessera/core';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, reportError, type CliIo } from '../cli-io.js';

const STOP_DEADLINE_MS = 6000;
const EXIT_GRACE_MS = 1000;

export const DEFAULT_DATA_DIR = 'tessera-data';

export async function runStartCommand(args: string[], io: CliIo, options: { signals?: boolean } = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        database: { type: 'string' },
        'log-level': { type: 'string' },
      },
    });
  } catch (error) {
    io.stderr(`usage error: ${(error as Error).message}. Usage: tessera start [local|central] [--port N] [--data DIR] [--database URL]`);
    return EXIT_USAGE;
  }
  const kind = parsed.positionals[0] ?? 'local';
  if ((kind !== 'local' && kind !== 'central') || parsed.positionals.length > 1) {
    io.stderr(`usage error: unknown host "${parsed.positionals.join(' ')}". Usage: tessera start [local|central] …`);
    return EXIT_USAGE;
  }
  let port: number | undefined;
  if (parsed.values.port !== undefined) {
    port = Number(parsed.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr(`usage error: --port must be a number from 0 to 65535, not "${parsed.values.port}".`);
      return EXIT_USAGE;
    }
  }
  const level = (parsed.values['log-level'] ?? 'warn') as 'debug' | 'info' | 'warn' | 'error';
  if (!['debug', 'info', 'warn', 'error'].includes(level)) {
    io.stderr('usage error: --log-level must be debug, info, warn or error.');
    return EXIT_USAGE;
  }
  const logger = createLogger({ level, format: 'pretty', write: io.stderr });
  let close: () => Promise<void>;
  try {
    if (kind === 'local') {
      // Each host is imported only when started: a usage error or the other host costs nothing.
      const { startLocalHost } = await import('@tessera/host-local');
      const dataDir = path.resolve(parsed.values.data ?? process.env.TESSERA_DATA ?? DEFAULT_DATA_DIR);
      const host = await startLocalHost({ dataDir, ...(port !== undefined ? { port } : {}), logger });
      const statuses = host.kernel.plugins.statuses();
      for (const p of statuses.filter((s) => s.state === 'failed')) io.stderr(`warning: plugin ${p.id} failed — ${p.error?.code}: ${p.error?.message}`);
      for (const w of host.kernel.configWarnings) io.stderr(`warning ${w.code}: ${w.message}`);
      io.stdout(`Tessera local host ready at ${host.url} (data: ${dataDir}; ${statuses.filter((s) => s.state === 'started').length} plugins running)`);
      host.warmUp();
      close = host.close;
    } else {
      const { startCentralHost } = await import('@tessera/host-central');
      const host = await startCentralHost({ ...(parsed.values.database ? { databaseUrl: parsed.values.database } : {}), ...(port !== undefined ? { port } : {}), logger });
      io.stdout(`Tessera central host ready at ${host.url}`);
      close = host.close;
    }
  } catch (error) {
    reportError(io, error);
    return EXIT_FAILURE;
  }
  if (options.signals === false) {
    await close();
    return EXIT_OK;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    // A stopped host must leave, whatever a plugin left behind (a worker thread, a timer, a socket):
    // once close() has run, or if it has not finished in STOP_DEADLINE_MS, the process exits. The
    // timers are unref'd, so they only act when something is still keeping the process alive.
    const finish = (code: number) => {
      setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
      resolve(code);
    };
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      io.stderr(`${signal} received, stopping…`);
      setTimeout(() => {
        io.stderr(`Stopping took longer than ${STOP_DEADLINE_MS / 1000} s; exiting without waiting for the rest.`);
        process.exit(EXIT_FAILURE);
      }, STOP_DEADLINE_MS).unref();
      close().then(
        () => finish(EXIT_OK),
        (error: unknown) => {
          reportError(io, error);
          finish(EXIT_FAILURE);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
