/**
 * The central (regional) host — for now a placeholder that proves the kernel runs on PostgreSQL:
 * it migrates, loads the plugins meant for it, and answers a health check. The fraud-reporting
 * network, dashboards and e-library come with their own issues.
 */
import os from 'node:os';
import Fastify, { type FastifyInstance } from 'fastify';
import { TesseraError, type Logger } from '@tessera/sdk';
import { createLogger, startKernel, type Kernel } from '@tessera/core';

export const DEFAULT_DATABASE_URL = 'postgres://127.0.0.1:5432/test';

/**
 * node-postgres takes the user name of a URL without one from $PGUSER or $USER only, so where neither is
 * set (containers, services) it sends none and the server refuses. Fall back to the OS account, as psql does.
 */
export function withDefaultUser(databaseUrl: string): string {
  if (process.env.PGUSER || process.env.USER) return databaseUrl;
  try {
    const url = new URL(databaseUrl);
    if (url.username || url.searchParams.has('user') || !url.host) return databaseUrl;
    url.username = os.userInfo().username;
    return url.toString();
  } catch {
    return databaseUrl; // not a URL (or no passwd entry): leave it to the driver and its message
  }
}

export interface CentralHostOptions {
  databaseUrl?: string;
  port?: number;
  host?: string;
  pluginFolders?: string[];
  schemaPrefix?: string;
  logger?: Logger;
}

export interface CentralHost {
  url: string;
  app: FastifyInstance;
  kernel: Kernel;
  close(): Promise<void>;
}

export async function startCentralHost(options: CentralHostOptions = {}): Promise<CentralHost> {
  const kernel = await startKernel({
    kind: 'central',
    dataDir: null,
    databaseUrl: withDefaultUser(options.databaseUrl ?? process.env.TESSERA_DATABASE_URL ?? DEFAULT_DATABASE_URL),
    ...(options.schemaPrefix ? { schemaPrefix: options.schemaPrefix } : {}),
    config: {},
    pluginFolders: options.pluginFolders ?? [],
    logger: options.logger ?? createLogger(),
  });
  const app = Fastify({ logger: false });
  app.get('/api/health', async () => {
    await kernel.databases.core().raw('select 1');
    return { status: 'ok', kind: 'central', version: kernel.hostInfo.version, database: 'postgres' };
  });
  const port = options.port ?? 4500;
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close().catch(() => undefined);
    await kernel.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new TesseraError('TSR_PORT_IN_USE', `Port ${port} on ${host} is already in use by another program.`, { hint: 'Stop that program, or choose another port with --port.' });
    }
    throw error;
  }
  const address = app.server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
  return {
    url,
    app,
    kernel,
    async close() {
      await app.close();
      await kernel.stop();
    },
  };
}
