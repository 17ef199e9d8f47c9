/** Maps the stable error codes to HTTP statuses, and every error to one JSON shape: { error: { code, message, hint } }. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { isTesseraError } from '@tessera/sdk';

const STATUS_BY_CODE: Record<string, number> = {
  TSR_REQUEST_INVALID: 400,
  TSR_INSPECTION_NOT_FOUND: 404,
  TSR_READER_DEVICE_NOT_FOUND: 404,
  TSR_REPORT_TEMPLATE_NOT_FOUND: 404,
  TSR_INTEROP_RESULT_NOT_FOUND: 404,
  TSR_INTEROP_NOT_RETRYABLE: 409,
  TSR_CONNECTOR_UNAVAILABLE: 409,
  TSR_HIT_CONFIRMATION_NOT_A_HIT: 409,
  TSR_HIT_CONFIRMATION_INVALID: 422,
  TSR_READER_BUSY: 409,
  TSR_READER_NO_DOCUMENT: 422,
  TSR_READER_ABORTED: 409,
  TSR_READER_FAILED: 502,
  TSR_SCAN_RESULT_INVALID: 502,
  TSR_BROWSER_UNAVAILABLE: 503,
  TSR_REPORT_RENDER_FAILED: 500,
};

export const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
} as const;

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isTesseraError(error)) {
      const status = STATUS_BY_CODE[error.code] ?? 500;
      if (status >= 500) request.log.error({ code: error.code, err: error.message }, 'request failed');
      return reply.status(status).send({ error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } });
    }
    if (error.validation) {
      return reply.status(400).send({ error: { code: 'TSR_REQUEST_INVALID', message: `Invalid request: ${error.message}.`, hint: 'See the API description at /docs.' } });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'unexpected error');
    // Framework errors (bad JSON, wrong content type, too large) are the client's: one stable code for all of them.
    return reply.status(status).send({
      error: status >= 500 ? { code: 'TSR_INTERNAL', message: 'Internal error; see the host log.' } : { code: 'TSR_REQUEST_INVALID', message: error.message, hint: 'See the API description at /docs.' },
    });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'TSR_REQUEST_INVALID', message: `No route ${request.method} ${request.url}.`, hint: 'See the API description at /docs.' } });
  });
}
