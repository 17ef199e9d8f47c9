/**
 * Replays a recorded terminal ↔ chip session against Tessera's own eMRTD engine, so a reader
 * vendor can see where their device (or the chip) and Tessera part ways.
 *
 * A trace holds the access protocol and its password, the terminal's random bytes in the order
 * the engine draws them, the wire exchanges (`steps`) and the plain commands that were sent
 * through secure messaging after access control (`plain`). The engine runs BAC or PACE over a
 * transport that plays the steps back: each command the engine puts on the wire must equal the
 * next step's command, and is answered with that step's response. Every plain command is then
 * sent through the session, and each response the session unwraps must equal the recorded one.
 *
 * Every response, wire or plain, is a whole response APDU: data followed by SW1 SW2.
 */

import {
  ApduChannel,
  bytesEqual,
  decodeCommandApdu,
  encodeResponseApdu,
  fromHex,
  integratedMappingNonceLengths,
  paceGroup,
  parseCardAccess,
  performBac,
  performPace,
  securityInfosOfKind,
  selectPaceInfo,
  toHex,
  type DecodedCommandApdu,
  type PacePassword,
  type PaceProtocolInfo,
  type ResolvedPaceInfo,
  type TerminalSecureMessaging,
} from '@tessera/sdk/emrtd';
import { isTesseraError, TesseraError, type ChipTransport } from '@tessera/sdk';

export interface TraceExchange {
  command: Uint8Array;
  response: Uint8Array;
}

export interface ReplayTrace {
  access: {
    protocol: 'BAC' | 'PACE';
    /** MRZ_information (document number + check digit, birth date + check digit, expiry date + check digit). */
    mrzInfo?: string;
    can?: string;
    /** EF.CardAccess, for PACE. */
    cardAccess?: Uint8Array;
  };
  /** The terminal's random bytes, consumed in the order the engine draws them. */
  terminalRandom: Uint8Array;
  steps: TraceExchange[];
  plain: TraceExchange[];
}

export type ReplayResult =
  | { ok: true; steps: number; keys?: { ksEnc: string; ksMac: string } }
  | {
      ok: false;
      /** Index (0-based) of the wire step where the replay parted from the trace. */
      step: number;
      /** Index of the plain command being replayed, when the failure happened after access control. */
      plain?: number;
      expected: string | null;
      actual: string | null;
      reason: string;
      code: string;
    };

export interface ReplayOptions {
  /** Also compute the session keys (ksEnc, ksMac) for the result. */
  keys?: boolean;
}

const TRACE_HINT = 'Check the trace against the format in plugins/emrtd/examples/ (hex strings, "steps" and "plain" arrays of {command, response}).';
const RANDOM_HINT =
  'terminalRandom must hold every random value the terminal drew, in order: BAC RND.IFD (8 bytes) then K.IFD (16); PACE GM/CAM the mapping then the ephemeral private key, IM the nonce t then the ephemeral private key, each private key exactly the group order\'s size.';

function traceError(message: string): TesseraError {
  return new TesseraError('EMRTD_TRACE_INVALID', message, { hint: TRACE_HINT });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hexField(value: unknown, where: string, options: { allowEmpty?: boolean } = {}): Uint8Array {
  if (typeof value !== 'string') throw traceError(`${where} must be a hex string, got ${value === undefined ? 'nothing' : typeof value}`);
  const clean = value.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) throw traceError(`${where} is not an even number of hex digits: "${value.length > 40 ? value.slice(0, 40) + '…' : value}"`);
  if (clean.length === 0 && !options.allowEmpty) throw traceError(`${where} is empty`);
  return fromHex(clean);
}

function exchanges(value: unknown, where: string): TraceExchange[] {
  if (!Array.isArray(value)) throw traceError(`"${where}" must be an array of {command, response}`);
  return value.map((item, i) => {
    if (!isRecord(item)) throw traceError(`${where}[${i}] must be an object {command, response}`);
    const command = hexField(item.command, `${where}[${i}].command`);
    if (command.length < 4) throw traceError(`${where}[${i}].command has ${command.length} bytes; a command APDU has at least 4`);
    const response = hexField(item.response, `${where}[${i}].response`);
    if (response.length < 2) throw traceError(`${where}[${i}].response has ${response.length} byte(s); a response APDU ends with SW1 SW2`);
    return { command, response };
  });
}

/** Checks and decodes a trace as parsed from JSON; throws EMRTD_TRACE_INVALID saying which field is wrong. */
export function parseTrace(json: unknown): ReplayTrace {
  if (!isRecord(json)) throw traceError('The trace must be a JSON object with "access", "terminalRandom", "steps" and "plain"');
  const access = json.access;
  if (!isRecord(access)) throw traceError('"access" must be an object with "protocol" ("BAC" or "PACE")');
  const protocol = access.protocol;
  if (protocol !== 'BAC' && protocol !== 'PACE') throw traceError(`access.protocol must be "BAC" or "PACE", got ${JSON.stringify(protocol)}`);
  for (const key of ['mrzInfo', 'can'] as const) {
    if (access[key] !== undefined && typeof access[key] !== 'string') throw traceError(`access.${key} must be a string`);
  }
  const mrzInfo = access.mrzInfo as string | undefined;
  const can = access.can as string | undefined;
  if (protocol === 'BAC' && !mrzInfo) throw traceError('access.mrzInfo (the MRZ_information string, e.g. "L898902C<369080619406236") is required for BAC');
  if (protocol === 'PACE' && !mrzInfo && !can) throw traceError('PACE needs a password: access.mrzInfo or access.can');
  const cardAccess = access.cardAccess === undefined ? undefined : hexField(access.cardAccess, 'access.cardAccess');
  return {
    access: { protocol, ...(mrzInfo !== undefined ? { mrzInfo } : {}), ...(can !== undefined ? { can } : {}), ...(cardAccess ? { cardAccess } : {}) },
    terminalRandom: hexField(json.terminalRandom, 'terminalRandom', { allowEmpty: true }),
    steps: exchanges(json.steps, 'steps'),
    plain: exchanges(json.plain ?? [], 'plain'),
  };
}

interface Divergence {
  step: number;
  expected: string | null;
  actual: string | null;
  reason: string;
}

const DIVERGED = 'EMRTD_TRACE_DIVERGED';

/** A ChipTransport that answers from the recorded steps, and stops at the first command that differs. */
export class PlaybackTransport implements ChipTransport {
  readonly maxCommandLength = 65544;
  readonly maxResponseLength = 65538;
  /** Wire steps consumed so far. */
  position = 0;
  /** Set at the first difference; later calls fail the same way. */
  divergence: Divergence | undefined;
  readonly log: TraceExchange[] = [];

  constructor(private readonly steps: readonly TraceExchange[]) {}

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (!this.divergence) {
      const step = this.steps[this.position];
      if (!step) {
        this.divergence = { step: this.position, expected: null, actual: toHex(command), reason: `the engine sent a command after the last of the ${this.steps.length} recorded steps` };
      } else if (!bytesEqual(step.command, command)) {
        this.divergence = { step: this.position, expected: toHex(step.command), actual: toHex(command), reason: 'the command the engine sent differs from the recorded one' };
      } else {
        this.position++;
        this.log.push({ command: command.slice(), response: step.response.slice() });
        return step.response.slice();
      }
    }
    const d = this.divergence;
    throw new TesseraError(DIVERGED, `Replay diverged at step ${d.step}: ${d.reason}`, { details: { ...d } });
  }

  async close(): Promise<void> {}
}

/** Hands out the trace's random bytes in order. */
class TraceRandom {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}
  readonly next = (length: number): Uint8Array => {
    if (this.offset + length > this.bytes.length) {
      throw new TesseraError('EMRTD_TRACE_RANDOM_EXHAUSTED', `The engine asked for ${length} random bytes but terminalRandom has only ${this.bytes.length - this.offset} left (of ${this.bytes.length})`, {
        hint: RANDOM_HINT,
      });
    }
    const out = this.bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return out;
  };
}

/** How the engine will run PACE for this trace: the PACEInfo it picks from EF.CardAccess, and the password. */
interface PacePlan {
  chosen: ResolvedPaceInfo;
  paceInfos: PaceProtocolInfo[];
  password: PacePassword;
  /** The random draws, in order, with their lengths. */
  draws: Array<{ what: string; length: number }>;
}

function planPace(trace: ReplayTrace): PacePlan {
  const bytes = trace.access.cardAccess;
  if (!bytes) throw traceError('access.cardAccess (EF.CardAccess as hex, with the PACEInfo the chip offers) is required for PACE');
  let paceInfos: PaceProtocolInfo[];
  let chosen: ResolvedPaceInfo;
  try {
    paceInfos = securityInfosOfKind(parseCardAccess(bytes).securityInfos, 'PACEInfo');
    chosen = selectPaceInfo(paceInfos);
  } catch (error) {
    const { code, message } = describe(error);
    throw new TesseraError('EMRTD_TRACE_CARD_ACCESS_INVALID', `access.cardAccess offers no PACE protocol this engine can run (${code}: ${message})`, {
      hint: 'Give EF.CardAccess exactly as read from the chip: a SET of SecurityInfos with at least one PACEInfo of a standardized domain parameter set.',
      cause: error,
    });
  }
  const order = paceGroup(chosen.parameterId).scalarLength;
  const first =
    chosen.protocol.mapping === 'IM'
      ? { what: 'integrated mapping nonce t', length: integratedMappingNonceLengths(chosen.protocol.cipher).t }
      : { what: 'mapping private key', length: order };
  // The MRZ password wins when a trace gives both, as a terminal reading the MRZ would use it.
  const password: PacePassword = trace.access.mrzInfo ? { mrz: trace.access.mrzInfo } : { can: trace.access.can as string };
  return { chosen, paceInfos, password, draws: [first, { what: 'ephemeral private key', length: order }] };
}

const BAC_DRAWS = [
  { what: 'RND.IFD', length: 8 },
  { what: 'K.IFD', length: 16 },
];

/** Refuses a terminalRandom that is not exactly what the access protocol draws, before anything is replayed. */
function checkRandomLength(trace: ReplayTrace, draws: ReadonlyArray<{ what: string; length: number }>, protocolName: string): void {
  const needed = draws.reduce((sum, d) => sum + d.length, 0);
  if (trace.terminalRandom.length !== needed) {
    throw new TesseraError(
      'EMRTD_TRACE_RANDOM_LENGTH',
      `terminalRandom has ${trace.terminalRandom.length} bytes; ${protocolName} draws ${needed}: ${draws.map((d) => `${d.what} (${d.length})`).join(' then ')}`,
      { hint: RANDOM_HINT, details: { actual: trace.terminalRandom.length, expected: needed } },
    );
  }
}

const isSelect = (command: Uint8Array) => command.length >= 4 && (command[0] & 0x0c) === 0 && command[1] === 0xa4;

function describe(error: unknown): { code: string; message: string } {
  if (isTesseraError(error)) return { code: error.code, message: error.message };
  return { code: 'EMRTD_REPLAY_FAILED', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Replays a trace. Resolves to the outcome (never rejects for a trace that diverges or a session
 * that fails); throws a TesseraError for a trace that cannot describe a session at all (an
 * EF.CardAccess without a usable PACEInfo, a terminalRandom of the wrong length).
 */
export async function replayTrace(trace: ReplayTrace, options: ReplayOptions = {}): Promise<ReplayResult> {
  const pace = trace.access.protocol === 'PACE' ? planPace(trace) : undefined;
  checkRandomLength(trace, pace ? pace.draws : BAC_DRAWS, pace ? pace.chosen.protocol.name : 'BAC');
  const transport = new PlaybackTransport(trace.steps);
  const channel = new ApduChannel(transport);
  const random = new TraceRandom(trace.terminalRandom);
  let plainIndex: number | undefined;

  const fail = (error: unknown, expectedOverride?: string | null): ReplayResult => {
    if (transport.divergence) {
      const d = transport.divergence;
      return { ok: false, step: d.step, ...(plainIndex !== undefined ? { plain: plainIndex } : {}), expected: d.expected, actual: d.actual, reason: d.reason, code: DIVERGED };
    }
    const { code, message } = describe(error);
    // The engine stopped on its own (a MAC failure, a refused command, …) right after the last step it consumed.
    const step = Math.max(0, transport.position - 1);
    return {
      ok: false,
      step,
      ...(plainIndex !== undefined ? { plain: plainIndex } : {}),
      expected: expectedOverride !== undefined ? expectedOverride : trace.steps[step] ? toHex(trace.steps[step].response) : null,
      actual: null,
      reason: `${code}: ${message}`,
      code,
    };
  };

  // Access control, preceded by a plain SELECT when the recording starts with one.
  let session: TerminalSecureMessaging;
  try {
    if (trace.steps[0] && isSelect(trace.steps[0].command)) await channel.exchange(trace.steps[0].command);
    if (pace) {
      const result = await performPace(channel, { password: pace.password, paceInfo: pace.chosen.info, paceInfos: pace.paceInfos, random: random.next });
      session = result.secureMessaging;
    } else {
      session = await performBac(channel, trace.access.mrzInfo as string, random.next);
    }
  } catch (error) {
    return fail(error);
  }
  // Read before the plain commands move the SSC on; the keys themselves never change in a session.
  const keys = options.keys ? { ksEnc: toHex(session.sessionKeys().ksEnc), ksMac: toHex(session.sessionKeys().ksMac) } : undefined;
  if (random.offset !== trace.terminalRandom.length) {
    return {
      ok: false,
      step: transport.position,
      expected: null,
      actual: null,
      reason: `terminalRandom has ${trace.terminalRandom.length - random.offset} byte(s) the engine never drew (it used ${random.offset}); the trace does not describe this session`,
      code: 'EMRTD_TRACE_RANDOM_UNUSED',
    };
  }

  // The plain commands, through secure messaging.
  for (let i = 0; i < trace.plain.length; i++) {
    plainIndex = i;
    const recorded = trace.plain[i];
    let command: DecodedCommandApdu;
    try {
      command = decodeCommandApdu(recorded.command);
    } catch (error) {
      const { code, message } = describe(error);
      return { ok: false, step: transport.position, plain: i, expected: toHex(recorded.command), actual: null, reason: `plain[${i}].command is not a valid command APDU (${code}: ${message})`, code: 'EMRTD_TRACE_INVALID' };
    }
    let actual: Uint8Array;
    try {
      const response = await channel.send(command, { extended: command.extended });
      actual = encodeResponseApdu(response.data, response.sw);
    } catch (error) {
      return fail(error, toHex(recorded.response));
    }
    if (!bytesEqual(actual, recorded.response)) {
      return {
        ok: false,
        step: Math.max(0, transport.position - 1),
        plain: i,
        expected: toHex(recorded.response),
        actual: toHex(actual),
        reason: `the response unwrapped from secure messaging differs from the recorded plain response of plain[${i}]`,
        code: DIVERGED,
      };
    }
  }
  if (transport.position !== trace.steps.length) {
    return {
      ok: false,
      step: transport.position,
      expected: toHex(trace.steps[transport.position].command),
      actual: null,
      reason: `the replay finished after ${transport.position} of ${trace.steps.length} recorded steps; the rest were never sent`,
      code: DIVERGED,
    };
  }
  return { ok: true, steps: transport.position, ...(keys ? { keys } : {}) };
}
