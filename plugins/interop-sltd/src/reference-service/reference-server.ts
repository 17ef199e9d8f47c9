/**
 * The SLTD reference service: a small fastify server that speaks the protocol of the online mode
 * (src/online/sltd-protocol.ts) over a generated data set, serves the offline mode's snapshot and
 * deltas, describes itself in OpenAPI at /docs (offline), and injects faults on request. It stands in
 * for INTERPOL's service in the demo and in the tests, always over real HTTP.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TesseraError } from '@tessera/sdk';
import { sleep } from '../online/backoff.js';
import { API_KEY_HEADER, SLTD_PATHS, type SltdSearchRequest, type SltdSearchResponse } from '../online/sltd-protocol.js';
import { SLTD_STATUSES } from '../records.js';
import { FAULT_SCHEMA, type Fault } from './faults.js';
import { ReferenceDataSet } from './reference-data.js';
import { checkChange, type SltdChange } from '../offline/snapshot-files.js';
import { SnapshotFiles } from './snapshot-service.js';

export interface ReferenceServiceOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Generated records besides the demo ones. */
  records?: number;
  seed?: number;
  /** The key clients must present (X-API-Key or Bearer); null: no credentials needed. */
  apiKey?: string | null;
  /** A fault active from the start. */
  fault?: Fault;
  /** When the data set was last updated; default: the start time. */
  dataAsOf?: Date;
  /** A prepared data set instead of a generated one. */
  dataSet?: ReferenceDataSet;
}

export interface ReferenceServiceStats {
  /** Every /v1 request that reached the service, health checks excluded. */
  requests: number;
  searches: number;
  faultsInjected: number;
}

export interface ReferenceService {
  url: string;
  port: number;
  app: FastifyInstance;
  dataSet: ReferenceDataSet;
  apiKey: string | null;
  setFault(fault: Fault | null): void;
  stats(): ReferenceServiceStats;
  close(): Promise<void>;
}

export const DEFAULT_REFERENCE_PORT = 4480;
export const DEFAULT_REFERENCE_RECORDS = 50_000;
export const DEFAULT_REFERENCE_SEED = 1;
export const DEFAULT_REFERENCE_API_KEY = 'sltd-demo-key';

const RECORD_SCHEMA = {
  type: 'object',
  required: ['documentNumber', 'issuingState', 'documentType', 'status'],
  additionalProperties: false,
  properties: {
    documentNumber: { type: 'string', minLength: 1, maxLength: 40 },
    issuingState: { type: 'string', pattern: '^[A-Z]{1,3}$', description: 'ICAO 3-letter code (Germany: D)' },
    documentType: { type: 'string', pattern: '^[A-Z]{1,2}$', description: "ICAO document code: 'P', 'I', 'V', 'A', 'C', …" },
    status: { type: 'string', enum: SLTD_STATUSES },
    reportingCountry: { type: 'string' },
    reportedOn: { type: 'string', format: 'date' },
    reference: { type: 'string' },
  },
} as const;

const ERROR_SCHEMA = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Builds the service's fastify app (not yet listening). */
export async function createReferenceServiceApp(options: ReferenceServiceOptions = {}): Promise<{ app: FastifyInstance; dataSet: ReferenceDataSet; setFault(fault: Fault | null): void; stats(): ReferenceServiceStats; dispose(): Promise<void> }> {
  const dataSet = options.dataSet ?? ReferenceDataSet.generate({ seed: options.seed ?? DEFAULT_REFERENCE_SEED, count: options.records ?? DEFAULT_REFERENCE_RECORDS, ...(options.dataAsOf ? { dataAsOf: options.dataAsOf } : {}) });
  const apiKey = options.apiKey === undefined ? DEFAULT_REFERENCE_API_KEY : options.apiKey;
  const files = await SnapshotFiles.create(dataSet);
  let fault: (Fault & { left?: number }) | null = options.fault ? { ...options.fault, ...(options.fault.times ? { left: options.fault.times } : {}) } : null;
  const counters: ReferenceServiceStats = { requests: 0, searches: 0, faultsInjected: 0 };

  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'SLTD reference service',
        version: '1.0.0',
        description:
          'A stand-in for a Stolen and Lost Travel Documents service: document search (hit / no hit with the records), the snapshot and deltas for offline copies, and fault injection for tests. Credentials: `X-API-Key: KEY` or `Authorization: Bearer KEY`.',
      },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' }, bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }, { bearer: [] }],
      tags: [{ name: 'search' }, { name: 'offline copies' }, { name: 'service' }, { name: 'test faults' }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const authorised = (request: FastifyRequest): boolean => {
    if (apiKey === null) return true;
    const header = request.headers.authorization;
    const presented = typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '') : request.headers[API_KEY_HEADER];
    // Compare digests so the comparison takes the same time whatever the key's length and content.
    return typeof presented === 'string' && timingSafeEqual(digest(presented), digest(apiKey));
  };
  const requireCredentials = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!authorised(request)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorised', message: 'Missing or wrong credentials: send X-API-Key or Authorization: Bearer.' });
    }
  };

  const injectFault = async (request: FastifyRequest, reply: FastifyReply, scope: 'search' | 'all') => {
    counters.requests++;
    const active = fault;
    if (!active || (scope === 'all' && (active.scope ?? 'search') === 'search')) return;
    if (active.left !== undefined && --active.left <= 0) fault = null;
    counters.faultsInjected++;
    switch (active.kind) {
      case 'delay':
        await sleep(active.delayMs ?? 0);
        return; // then answer as usual
      case 'status':
        if (active.retryAfterSeconds !== undefined) reply.header('retry-after', String(active.retryAfterSeconds));
        return reply.code(active.status ?? 500).send({ error: 'injected', message: `Fault injected: HTTP ${active.status ?? 500}.` });
      case 'malformed':
        // A body cut off in the middle, as a crashing upstream or a broken proxy leaves it.
        return reply.code(200).type('application/json').send('{"outcome":"no_hit","records":[');
      case 'drop':
        request.raw.socket.destroy();
        return reply.hijack();
      case 'slow-body': {
        reply.hijack();
        const body = JSON.stringify({ outcome: 'no_hit', records: [], dataAsOf: dataSet.dataAsOf.toISOString(), searchId: randomUUID() });
        reply.raw.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        reply.raw.write(body.slice(0, 10));
        await sleep(active.delayMs ?? 0);
        if (!reply.raw.destroyed) reply.raw.end(body.slice(10));
        return reply;
      }
    }
  };

  app.post<{ Body: SltdSearchRequest }>(
    SLTD_PATHS.search,
    {
      onRequest: [(req, reply) => injectFault(req, reply, 'search'), requireCredentials],
      schema: {
        tags: ['search'],
        summary: 'Search one document',
        description: 'Hit when the document (issuing state and number; type by its first letter when given) is listed, with every matching record.',
        body: {
          type: 'object',
          required: ['documentNumber', 'issuingState'],
          additionalProperties: false,
          properties: {
            documentNumber: { type: 'string', minLength: 1, maxLength: 40 },
            issuingState: { type: 'string', minLength: 1, maxLength: 3 },
            documentType: { type: 'string', maxLength: 2 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['outcome', 'records', 'dataAsOf', 'searchId'],
            properties: { outcome: { type: 'string', enum: ['hit', 'no_hit'] }, records: { type: 'array', items: RECORD_SCHEMA }, dataAsOf: { type: 'string', format: 'date-time' }, searchId: { type: 'string' } },
          },
          400: ERROR_SCHEMA,
          401: ERROR_SCHEMA,
        },
      },
    },
    async (request): Promise<SltdSearchResponse> => {
      counters.searches++;
      const records = dataSet.search(request.body);
      return { outcome: records.length ? 'hit' : 'no_hit', records, dataAsOf: dataSet.dataAsOf.toISOString(), searchId: randomUUID() };
    },
  );

  app.get(
    SLTD_PATHS.snapshot,
    {
      onRequest: [(req, reply) => injectFault(req, reply, 'all'), requireCredentials],
      schema: { tags: ['offline copies'], summary: 'The whole database as a snapshot file', description: 'The format of src/offline/FORMAT.md; import it with `tessera sltd import FILE`.', response: { 401: ERROR_SCHEMA } },
    },
    async (_request, reply) => reply.type('application/octet-stream').header('content-disposition', 'attachment; filename="sltd-snapshot.gz"').send(await files.snapshot()),
  );

  app.get<{ Querystring: { after: number } }>(
    SLTD_PATHS.deltas,
    {
      onRequest: [(req, reply) => injectFault(req, reply, 'all'), requireCredentials],
      schema: {
        tags: ['offline copies'],
        summary: 'The changes after a sequence number, as one delta file',
        description: '204 when the copy at `after` is current; 410 when `after` is not a sequence this service issued (import a new snapshot).',
        querystring: { type: 'object', required: ['after'], properties: { after: { type: 'integer', minimum: 0 } } },
        response: { 401: ERROR_SCHEMA, 410: ERROR_SCHEMA },
      },
    },
    async (request, reply) => {
      const after = request.query.after;
      if (dataSet.changesAfter(after) === undefined) return reply.code(410).send({ error: 'unknown_sequence', message: `Sequence ${after} is not one this service issued (it is at ${dataSet.sequence}); download a new snapshot.` });
      if (after === dataSet.sequence) return reply.code(204).send();
      return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="sltd-delta-${after}-${dataSet.sequence}.gz"`).send(await files.delta(after));
    },
  );

  app.get(
    SLTD_PATHS.health,
    {
      schema: {
        tags: ['service'],
        summary: 'Liveness, size and freshness; no credentials needed',
        security: [],
        response: { 200: { type: 'object', properties: { status: { type: 'string' }, records: { type: 'integer' }, sequence: { type: 'integer' }, dataAsOf: { type: 'string' } } } },
      },
    },
    async () => ({ status: 'ok', records: dataSet.size, sequence: dataSet.sequence, dataAsOf: dataSet.dataAsOf.toISOString() }),
  );

  app.put<{ Body: Fault }>(
    '/admin/fault',
    { onRequest: requireCredentials, schema: { tags: ['test faults'], summary: 'Inject a fault into the next requests (tests only)', body: FAULT_SCHEMA } },
    async (request, reply) => {
      fault = { ...request.body, ...(request.body.times ? { left: request.body.times } : {}) };
      return reply.code(204).send();
    },
  );
  app.delete('/admin/fault', { onRequest: requireCredentials, schema: { tags: ['test faults'], summary: 'Stop injecting faults' } }, async (_request, reply) => {
    fault = null;
    return reply.code(204).send();
  });
  app.get('/admin/stats', { onRequest: requireCredentials, schema: { tags: ['test faults'], summary: 'Request counters' } }, async () => ({ ...counters }));
  app.post<{ Body: { changes: SltdChange[] } }>(
    '/admin/changes',
    {
      onRequest: requireCredentials,
      schema: {
        tags: ['test faults'],
        summary: 'Apply a change set (the next sequence number), so offline copies have a delta to fetch',
        body: {
          type: 'object',
          required: ['changes'],
          properties: { changes: { type: 'array', minItems: 1, items: { type: 'object', required: ['op'], properties: { op: { type: 'string', enum: ['add', 'remove', 'status'] } } } } },
        },
      },
    },
    async (request, reply) => {
      let changes: SltdChange[];
      try {
        changes = request.body.changes.map((c, i) => checkChange(c, `changes[${i}]`));
      } catch (error) {
        return reply.code(400).send({ error: 'invalid_change', message: (error as Error).message });
      }
      return { sequence: dataSet.apply(changes) };
    },
  );

  return {
    app,
    dataSet,
    setFault(next) {
      fault = next ? { ...next, ...(next.times ? { left: next.times } : {}) } : null;
    },
    stats: () => ({ ...counters }),
    dispose: () => files.dispose(),
  };
}

/** Starts the service on 127.0.0.1 (by default) and returns its URL and controls. */
export async function startReferenceService(options: ReferenceServiceOptions = {}): Promise<ReferenceService> {
  const built = await createReferenceServiceApp(options);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  try {
    await built.app.listen({ host, port });
  } catch (error) {
    await built.dispose();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new TesseraError('SLTD_REFERENCE_PORT_IN_USE', `Port ${port} on ${host} is already in use by another program.`, { hint: 'Stop that program, or choose another port with --port.' });
    }
    throw error;
  }
  const address = built.app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    app: built.app,
    dataSet: built.dataSet,
    apiKey: options.apiKey === undefined ? DEFAULT_REFERENCE_API_KEY : options.apiKey,
    setFault: built.setFault,
    stats: built.stats,
    async close() {
      await built.app.close();
      await built.dispose();
    },
  };
}
