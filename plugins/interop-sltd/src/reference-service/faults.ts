/**
 * Fault injection for the reference service, so tests and demos can show how the online mode behaves
 * when the real service misbehaves: answer late, answer 5xx, answer garbage, trickle the body, or
 * drop the connection. Set at start (`--fault status:503`) or at run time (`PUT /admin/fault`).
 */
import { TesseraError } from '@tessera/sdk';

export type FaultKind = 'delay' | 'status' | 'malformed' | 'drop' | 'slow-body';

export interface Fault {
  kind: FaultKind;
  /** delay: wait before answering; slow-body: pause in the middle of the body. */
  delayMs?: number;
  /** status: the HTTP status to answer (e.g. 500, 503, 429). */
  status?: number;
  /** status: a Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** Only the next N requests; unlimited when absent. */
  times?: number;
  /** Which requests: the searches (default) or every /v1 request but health. */
  scope?: 'search' | 'all';
}

export const FAULT_KINDS: readonly FaultKind[] = ['delay', 'status', 'malformed', 'drop', 'slow-body'];

/** The JSON Schema of a fault, for the admin route and the OpenAPI description. */
export const FAULT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: { type: 'string', enum: FAULT_KINDS },
    delayMs: { type: 'integer', minimum: 0, maximum: 600000 },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    retryAfterSeconds: { type: 'integer', minimum: 0, maximum: 3600 },
    times: { type: 'integer', minimum: 1 },
    scope: { type: 'string', enum: ['search', 'all'] },
  },
} as const;

/**
 * Parses the command-line form KIND[:ARG][xTIMES]: `delay:3000`, `status:503`, `status:500x2`,
 * `malformed`, `drop`, `slow-body:2000`.
 */
export function parseFaultOption(text: string): Fault {
  const match = /^([a-z-]+)(?::(\d+))?(?:x(\d+))?$/.exec(text.trim());
  const kind = match?.[1] as FaultKind | undefined;
  if (!match || !kind || !FAULT_KINDS.includes(kind)) {
    throw new TesseraError('SLTD_REFERENCE_FAULT_INVALID', `"${text}" is not a fault.`, {
      hint: `Write KIND[:ARG][xTIMES] with KIND one of ${FAULT_KINDS.join(', ')}, e.g. delay:3000, status:503, status:500x2, drop.`,
    });
  }
  const arg = match[2] === undefined ? undefined : Number(match[2]);
  const fault: Fault = { kind };
  if (kind === 'status') {
    if (arg === undefined || arg < 400 || arg > 599) throw new TesseraError('SLTD_REFERENCE_FAULT_INVALID', `The fault "${text}" needs an HTTP status from 400 to 599, e.g. status:503.`);
    fault.status = arg;
  } else if (kind === 'delay' || kind === 'slow-body') {
    if (arg === undefined) throw new TesseraError('SLTD_REFERENCE_FAULT_INVALID', `The fault "${text}" needs a time in milliseconds, e.g. ${kind}:3000.`);
    fault.delayMs = arg;
  }
  if (match[3] !== undefined) fault.times = Number(match[3]);
  return fault;
}
