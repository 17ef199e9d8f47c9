/**
 * The secondary-inspection workstation host: the kernel on SQLite in a data folder, fastify on
 * loopback, the lit officer UI, OpenAPI at /docs, PDF reports through Chromium.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TesseraError, type Clock, type Logger, type PluginDefinition, type PluginManifest } from '@tessera/sdk';
import { createLogger, loadHostConfig, prepareDataFolder, startKernel, type HostConfig, type Kernel } from '@tessera/core';
import { PdfRenderer } from './pdf-renderer.js';
import { UiBundle } from './ui-bundle.js';
import { apiRoutes } from './routes/api-routes.js';
import { installErrorHandler } from './http-errors.js';
import { indexHtml } from './ui/index-html.js';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));
/** The first-party plugins shipped with Tessera; they load through the same loader as any other. */
export const BUILT_IN_PLUGIN_FOLDER = path.join(REPO_ROOT, 'plugins');

export interface LocalHostOptions {
  /** Data folder; created on first start. null: everything in memory (tests). */
  dataDir: string | null;
  port?: number;
  /** Loopback by default: the workstation API is not for the network. */
  host?: string;
  /** Overrides the data folder's tessera.config.json. */
  config?: HostConfig;
  pluginFolders?: string[];
  inlinePlugins?: Array<{ manifest: PluginManifest; definition: PluginDefinition }>;
  logger?: Logger;
  clock?: Clock;
  defaultOfficer?: string;
}

export interface LocalHost {
  url: string;
  app: FastifyInstance;
  kernel: Kernel;
  pdf: PdfRenderer;
  /**
   * Start Chromium and build the UI bundle in the background, so the first page and the first report
   * are fast. Call it once the host has said it is ready: loading them sooner delays readiness.
   */
  warmUp(): void;
  close(): Promise<void>;
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const logger = options.logger ?? createLogger();
  let config = options.config;
  if (options.dataDir) {
    await prepareDataFolder(options.dataDir, { create: true });
    config ??= await loadHostConfig(options.dataDir, { createDefault: true });
  }
  const kernel = await startKernel({
    kind: 'local',
    dataDir: options.dataDir ? path.resolve(options.dataDir) : null,
    config: config ?? {},
    // Relative plugin folders in the configuration are relative to the data folder, not to wherever the host was started.
    pluginFolders: options.pluginFolders ?? [BUILT_IN_PLUGIN_FOLDER, ...(config?.plugins?.folders ?? []).map((f) => path.resolve(options.dataDir ?? '.', f))],
    nodeModules: config?.plugins?.npm === false ? [] : [path.join(REPO_ROOT, 'node_modules'), ...(options.dataDir ? [path.join(path.resolve(options.dataDir), 'node_modules')] : [])],
    ...(options.inlinePlugins ? { inlinePlugins: options.inlinePlugins } : {}),
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });

  const pdf = new PdfRenderer();
  const ui = new UiBundle(() => kernel.registry.list('ui').map((c) => c.item));
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  try {
    installErrorHandler(app);
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: 'Tessera local host API', version: kernel.hostInfo.version, description: 'The inspection workstation API: devices, inspections, reports, plugins, audit.' },
        tags: [{ name: 'inspections' }, { name: 'devices' }, { name: 'reports' }, { name: 'plugins' }, { name: 'host' }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    await app.register(apiRoutes, { kernel, pdf, defaultOfficer: options.defaultOfficer ?? 'officer' });
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.header('content-type', 'text/html; charset=utf-8').send(indexHtml()));
    app.get('/app.js', { schema: { hide: true } }, async (_req, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(await ui.get()));

    const port = options.port ?? 4400;
    const host = options.host ?? '127.0.0.1';
    try {
      await app.listen({ port, host });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        throw new TesseraError('TSR_PORT_IN_USE', `Port ${port} on ${host} is already in use by another program.`, { hint: `Stop that program, or start Tessera on another port with --port.` });
      }
      if (code === 'EACCES') throw new TesseraError('TSR_HOST_START_FAILED', `Not allowed to listen on port ${port}.`, { hint: 'Use a port above 1024 with --port.' });
      throw error;
    }
    const address = app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const url = `http://${host}:${actualPort}`;
    let closed = false;
    return {
      url,
      app,
      kernel,
      pdf,
      warmUp() {
        setTimeout(() => {
          if (closed) return;
          pdf.warmUp();
          ui.get().catch((error: unknown) => logger.error('UI bundle failed', { error: String(error) }));
        }, 50).unref();
      },
      async close() {
        if (closed) return;
        closed = true;
        await app.close();
        await pdf.close();
        await kernel.stop();
      },
    };
  } catch (error) {
    await app.close().catch(() => undefined);
    await pdf.close();
    await kernel.stop();
    throw error;
  }
}
