/** The host's HTTP API, described by OpenAPI through the route schemas (served at /docs and /docs/json). */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { TesseraError, type HitConfirmationOutcome } from '@tessera/sdk';
import { HIT_CONFIRMATION_LIMITS, type Kernel } from '@tessera/core';
import type { PdfRenderer } from '../pdf-renderer.js';
import { errorSchema } from '../http-errors.js';

const OFFICER_HEADER = 'x-tessera-officer';
const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;

export interface ApiRouteOptions {
  kernel: Kernel;
  pdf: PdfRenderer;
  defaultOfficer: string;
}

function officerOf(headers: Record<string, unknown>, fallback: string): string {
  const value = headers[OFFICER_HEADER];
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 100) : fallback;
}

export const apiRoutes = fp(async function apiRoutes(app: FastifyInstance, { kernel, pdf, defaultOfficer }: ApiRouteOptions) {
  app.get('/api/health', { schema: { tags: ['host'], summary: 'Liveness and plugin summary', response: { 200: anyObject } } }, async () => {
    const statuses = kernel.plugins.statuses();
    return { status: 'ok', kind: kernel.hostInfo.kind, version: kernel.hostInfo.version, plugins: { total: statuses.length, failed: statuses.filter((p) => p.state === 'failed').length } };
  });

  app.get('/api/host', { schema: { tags: ['host'], summary: 'Host information: BCP, version', response: { 200: anyObject } } }, async () => ({
    ...kernel.hostInfo,
    configWarnings: kernel.configWarnings,
  }));

  app.get('/api/plugins', { schema: { tags: ['plugins'], summary: 'Every plugin with its state and, when failed, its error code', response: { 200: { type: 'array', items: anyObject } } } }, async () =>
    kernel.plugins.statuses(),
  );

  app.get('/api/devices', { schema: { tags: ['devices'], summary: 'Connected reader devices of every reader plugin', response: { 200: anyObject } } }, async () =>
    kernel.inspections.listDevices(),
  );

  app.get('/api/devices/:id/settings', { schema: { tags: ['devices'], params: idParam, response: { 200: { type: 'array', items: anyObject }, 404: errorSchema } } }, async (req) => {
    const { id } = req.params as { id: string };
    return deviceDriver(kernel, id).then((d) => d.getSettings?.(id) ?? []);
  });

  app.put(
    '/api/devices/:id/settings/:setting',
    {
      schema: {
        tags: ['devices'],
        summary: 'Change a device setting (e.g. the simulator\'s document on the glass)',
        params: { type: 'object', required: ['id', 'setting'], properties: { id: { type: 'string' }, setting: { type: 'string' } } },
        body: { type: 'object', required: ['value'], additionalProperties: false, properties: { value: { type: 'string', maxLength: 200 } } },
        response: { 200: { type: 'array', items: anyObject }, 400: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      const { id, setting } = req.params as { id: string; setting: string };
      const driver = await deviceDriver(kernel, id);
      if (!driver.changeSetting) throw new TesseraError('TSR_REQUEST_INVALID', `The device ${id} has no settings to change.`);
      await driver.changeSetting(id, setting, (req.body as { value: string }).value);
      await kernel.audit.record({ actor: officerOf(req.headers, defaultOfficer), action: 'device.setting', subject: id, details: { setting, value: (req.body as { value: string }).value } });
      return driver.getSettings?.(id) ?? [];
    },
  );

  app.post(
    '/api/inspections',
    {
      schema: {
        tags: ['inspections'],
        summary: 'Scan a document on a device and run every check; returns the stored inspection',
        body: {
          type: 'object',
          required: ['deviceId'],
          additionalProperties: false,
          properties: {
            deviceId: { type: 'string', minLength: 1, maxLength: 200 },
            lights: { type: 'array', items: { enum: ['white', 'ir', 'uv'] }, uniqueItems: true },
            mrz: {
              type: 'array',
              minItems: 2,
              maxItems: 3,
              items: { type: 'string', minLength: 1, maxLength: 60 },
              description: "The document's MRZ lines as the officer supplies them (typed, or from the page reader), used when the device reads none: a chip-only reader needs them for the chip's access key.",
            },
          },
        },
        response: { 201: anyObject, 400: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema, 502: errorSchema },
      },
    },
    async (req, reply) => {
      const body = req.body as { deviceId: string; lights?: Array<'white' | 'ir' | 'uv'>; mrz?: string[] };
      const controller = new AbortController();
      // The officer's browser went away before the answer: stop the capture rather than finish it for nobody.
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      const record = await kernel.inspections.scan({ deviceId: body.deviceId, actor: officerOf(req.headers, defaultOfficer), signal: controller.signal, ...(body.lights ? { lights: body.lights } : {}), ...(body.mrz ? { mrz: body.mrz } : {}) });
      return reply.status(201).send(record);
    },
  );

  app.get(
    '/api/inspections',
    {
      schema: {
        tags: ['inspections'],
        summary: 'Search past inspections',
        querystring: { type: 'object', additionalProperties: false, properties: { documentNumber: { type: 'string', maxLength: 40 }, surname: { type: 'string', maxLength: 120 }, limit: { type: 'integer', minimum: 1, maximum: 500 } } },
        response: { 200: { type: 'array', items: anyObject } },
      },
    },
    async (req) => {
      const query = req.query as { documentNumber?: string; surname?: string; limit?: number };
      // Searching by number or name touches personal data: logged like a view.
      await kernel.audit.record({ actor: officerOf(req.headers, defaultOfficer), action: 'inspection.search', details: { ...query } });
      return kernel.inspections.list(query);
    },
  );

  app.get('/api/inspections/:id', { schema: { tags: ['inspections'], params: idParam, response: { 200: anyObject, 404: errorSchema } } }, async (req) => {
    const { id } = req.params as { id: string };
    const record = await kernel.inspections.get(id);
    await kernel.audit.record({ actor: officerOf(req.headers, defaultOfficer), action: 'inspection.view', subject: id });
    return record;
  });

  const connectorParams = {
    type: 'object',
    required: ['id', 'connectorId'],
    properties: { id: { type: 'string', minLength: 1, maxLength: 100 }, connectorId: { type: 'string', minLength: 1, maxLength: 200 } },
  } as const;

  app.post(
    '/api/inspections/:id/interop/:connectorId/retry',
    {
      schema: {
        tags: ['inspections'],
        summary: "Query again a database connector whose result was 'not checked'; returns the updated inspection",
        description: 'The new result replaces the old one and the overall status is recomputed. A hit or no hit is not re-queried (409). Audit-logged (interop.query and interop.retry).',
        params: connectorParams,
        response: { 200: anyObject, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => {
      const { id, connectorId } = req.params as { id: string; connectorId: string };
      return kernel.inspections.retryConnector(id, connectorId, officerOf(req.headers, defaultOfficer));
    },
  );

  app.post(
    '/api/inspections/:id/interop/:connectorId/confirmation',
    {
      schema: {
        tags: ['inspections'],
        summary: "Record the issuing country's confirmation of a database hit; returns the updated inspection",
        description:
          "A hit must be confirmed with the issuing country before any action. Each call adds an entry (pending → confirmed is two entries); the last is the hit's current state. 'confirmed' and 'not_confirmed' need the reference of the answer. Audit-logged (interop.hit-confirmation).",
        params: connectorParams,
        body: {
          type: 'object',
          required: ['outcome'],
          additionalProperties: false,
          properties: {
            outcome: { enum: ['confirmed', 'not_confirmed', 'pending'], description: "confirmed: the issuing country confirms the record; not_confirmed: a false match; pending: asked, no answer yet" },
            reference: { type: 'string', maxLength: HIT_CONFIRMATION_LIMITS.reference, description: "The issuing country's reference for its answer (required unless pending)" },
            note: { type: 'string', maxLength: HIT_CONFIRMATION_LIMITS.note },
          },
        },
        response: { 201: anyObject, 400: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema },
      },
    },
    async (req, reply) => {
      const { id, connectorId } = req.params as { id: string; connectorId: string };
      const body = req.body as { outcome: HitConfirmationOutcome; reference?: string; note?: string };
      const record = await kernel.inspections.confirmHit(id, connectorId, body, officerOf(req.headers, defaultOfficer));
      return reply.status(201).send(record);
    },
  );

  app.get(
    '/api/inspections/:id/images/:light',
    {
      schema: {
        tags: ['inspections'],
        summary: 'A page image of the inspection (white, ir or uv)',
        params: { type: 'object', required: ['id', 'light'], properties: { id: { type: 'string' }, light: { enum: ['white', 'ir', 'uv'] } } },
        querystring: { type: 'object', properties: { page: { type: 'string', maxLength: 40 } } },
      },
    },
    async (req, reply) => {
      const { id, light } = req.params as { id: string; light: string };
      const image = await kernel.inspections.image(id, light, (req.query as { page?: string }).page);
      if (!image) throw new TesseraError('TSR_INSPECTION_NOT_FOUND', `Inspection ${id} has no ${light} image.`);
      await kernel.audit.record({ actor: officerOf(req.headers, defaultOfficer), action: 'inspection.image', subject: id, details: { light } });
      return reply.header('content-type', image.mediaType).header('cache-control', 'private, max-age=3600').send(image.data);
    },
  );

  app.get('/api/report-templates', { schema: { tags: ['reports'], response: { 200: { type: 'array', items: anyObject } } } }, async () =>
    kernel.registry.list('reportTemplates').map(({ item, pluginId }) => ({ id: item.id, title: item.title, pluginId })),
  );

  app.get(
    '/api/inspections/:id/report.pdf',
    {
      schema: {
        tags: ['reports'],
        summary: 'The inspection as a PDF report',
        params: idParam,
        querystring: { type: 'object', additionalProperties: false, properties: { template: { type: 'string', default: 'standard' }, locale: { type: 'string', default: 'en', pattern: '^[a-z]{2}(-[A-Z]{2})?$' } } },
        response: { 404: errorSchema, 503: errorSchema },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const { template: templateId, locale } = req.query as { template: string; locale: string };
      const template = kernel.registry.get('reportTemplates', templateId)?.item;
      if (!template) {
        throw new TesseraError('TSR_REPORT_TEMPLATE_NOT_FOUND', `No report template "${templateId}" is enabled.`, {
          hint: `Enabled templates: ${kernel.registry.list('reportTemplates').map((t) => t.item.id).join(', ') || 'none — enable a report plugin'}.`,
        });
      }
      const officer = officerOf(req.headers, defaultOfficer);
      const model = await kernel.inspections.reportModel(id, { locale, officer });
      const html = await template.render(model);
      const bytes = await pdf.render(html, { paper: template.paper ?? 'A4', footerLabel: `Tessera · ${id}` });
      await kernel.audit.record({ actor: officer, action: 'report.download', subject: id, details: { template: templateId, bytes: bytes.length } });
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="inspection-${id}.pdf"`)
        .send(Buffer.from(bytes));
    },
  );

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['host'],
        summary: 'The audit log, newest first',
        querystring: { type: 'object', additionalProperties: false, properties: { action: { type: 'string' }, subject: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 1000 } } },
        response: { 200: { type: 'array', items: anyObject } },
      },
    },
    async (req) => {
      const entries = await kernel.audit.list(req.query as { action?: string; subject?: string; limit?: number });
      await kernel.audit.record({ actor: officerOf(req.headers, defaultOfficer), action: 'audit.read' });
      return entries;
    },
  );
});

async function deviceDriver(kernel: Kernel, deviceId: string) {
  const listing = await kernel.inspections.listDevices();
  const device = listing.devices.find((d) => d.id === deviceId);
  const driver = device ? kernel.registry.get('readers', device.driverId)?.item : undefined;
  if (!driver) throw new TesseraError('TSR_READER_DEVICE_NOT_FOUND', `No connected reader has the device id "${deviceId}".`, { hint: 'Refresh the device list.' });
  return driver;
}
