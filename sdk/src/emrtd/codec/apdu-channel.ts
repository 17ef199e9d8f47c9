/**
 * ApduChannel: the terminal's command/response loop over a ChipTransport. It hides the
 * transport-level status words (61xx: fetch the rest with GET RESPONSE; 6Cxx: ask again with
 * the Le the chip wants), applies secure messaging when a session is installed, and bounds
 * everything a hostile or broken chip could stretch: time per exchange, number of chained
 * responses and total response size.
 */

import { TesseraError, isTesseraError } from '../../errors.js';
import type { ChipTransport } from '../../contracts/chip-transport.js';
import { concatBytes, toHex, uintToMinimalBytes } from './bytes.js';
import { decodeCommandApdu, encodeCommandApdu, parseResponseApdu, type CommandApdu, type ResponseApdu } from './apdu.js';
import { decodeTlvObject, encodeTlv } from './ber-tlv.js';
import { describeStatusWord, SW_END_OF_FILE, SW_FILE_NOT_FOUND, SW_OK, SW_SECURITY_STATUS_NOT_SATISFIED } from './status-words.js';

/** What the channel needs from a secure-messaging session; the terminal side of sm/ provides it. */
export interface CommandProtector {
  protectCommand(command: CommandApdu, options?: { extended?: boolean }): Uint8Array;
  unprotectResponse(wire: Uint8Array): Uint8Array;
  /** Called when an exchange fails after a command was protected: the chip's SSC is then unknown. */
  close?(reason?: string): void;
}

export interface ApduChannelOptions {
  /** Longest wait for one exchange with the chip. Default 5000 ms. */
  timeoutMs?: number;
  /** Most GET RESPONSE rounds one command may need. Default 64. */
  maxChainedResponses?: number;
  /** Most response bytes (data, before secure messaging is removed) one command may return. Default 66 000. */
  maxResponseBytes?: number;
  /** Send every command with extended length fields. */
  forceExtended?: boolean;
  /** Secure-messaging session to wrap commands in from the start. */
  secureMessaging?: CommandProtector;
}

export interface SendOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Extended length fields for this command. */
  extended?: boolean;
  /** Send this command without secure messaging even when a session is installed (BAC and PACE do). */
  plain?: boolean;
}

/** The eMRTD LDS1 application identifier (ICAO Doc 9303 part 10). */
export const EMRTD_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01);

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_CHAINED = 64;
// An extended response plus secure-messaging overhead; nothing legitimate is larger.
const DEFAULT_MAX_RESPONSE_BYTES = 66_000;
/** READ BINARY with INS 'B0' carries the offset in 15 bits of P1-P2. */
const MAX_SHORT_OFFSET = 0x7fff;
const MAX_OFFSET = 0xffffff;

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new TesseraError('EMRTD_APDU_INVALID', `${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Maps a chip's refusal to the error a caller can act on: file missing, access denied, or anything else. */
export function statusError(what: string, sw: number): TesseraError {
  const text = `${what} failed: ${describeStatusWord(sw)}`;
  const details = { sw, command: what };
  if (sw === SW_FILE_NOT_FOUND) return new TesseraError('EMRTD_FILE_NOT_FOUND', text, { hint: 'The chip does not have this file or application.', details });
  if (sw === SW_SECURITY_STATUS_NOT_SATISFIED) {
    return new TesseraError('EMRTD_ACCESS_DENIED', text, { hint: 'The file needs access control the session has not completed (BAC/PACE, or EAC for DG3/DG4).', details });
  }
  return new TesseraError('EMRTD_COMMAND_FAILED', text, { hint: 'See the status word; the chip refused the command.', details });
}

export class ApduChannel {
  readonly transport: ChipTransport;
  /** Installed secure-messaging session; commands are wrapped in it unless sent with `plain`. */
  secureMessaging: CommandProtector | undefined;
  private readonly timeoutMs: number;
  private readonly maxChained: number;
  private readonly maxResponseBytes: number;
  private readonly forceExtended: boolean;

  constructor(transport: ChipTransport, options: ApduChannelOptions = {}) {
    this.transport = transport;
    this.timeoutMs = positiveInteger(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.maxChained = positiveInteger(options.maxChainedResponses, DEFAULT_MAX_CHAINED, 'maxChainedResponses');
    this.maxResponseBytes = positiveInteger(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 'maxResponseBytes');
    this.forceExtended = options.forceExtended === true;
    this.secureMessaging = options.secureMessaging;
  }

  /** Sends one command (wrapped in secure messaging when a session is installed) and returns the plain response. */
  async send(command: CommandApdu, options: SendOptions = {}): Promise<ResponseApdu> {
    const extended = options.extended ?? this.forceExtended;
    const sm = options.plain ? undefined : this.secureMessaging;
    if (!sm) return parseResponseApdu(await this.exchange(encodeCommandApdu(command, { extended }), options));
    const wire = sm.protectCommand(command, { extended });
    let response: Uint8Array;
    try {
      response = await this.exchange(wire, options);
    } catch (error) {
      // The chip may or may not have seen the command, so the two counters can no longer be trusted to agree.
      sm.close?.(`the exchange failed: ${isTesseraError(error) ? error.code : 'transport error'}`);
      throw error;
    }
    return parseResponseApdu(sm.unprotectResponse(response));
  }

  /**
   * Sends already encoded command bytes and returns the complete response (data + SW), after
   * following 61xx with GET RESPONSE and re-issuing once on 6Cxx. Secure messaging is not applied.
   */
  async exchange(command: Uint8Array, options: Pick<SendOptions, 'timeoutMs' | 'signal'> = {}): Promise<Uint8Array> {
    if (command.length > this.transport.maxCommandLength) {
      throw new TesseraError('EMRTD_APDU_INVALID', `Command of ${command.length} bytes exceeds the link's maximum of ${this.transport.maxCommandLength}`, {
        hint: 'Read in smaller pieces, or use a reader that supports extended-length APDUs.',
      });
    }
    const timeoutMs = positiveInteger(options.timeoutMs, this.timeoutMs, 'timeoutMs');
    let sent = command;
    let response = await this.transmitOnce(sent, timeoutMs, options.signal);
    if (response.length === 2 && response[0] === 0x6c) {
      // 6Cxx: same command again, Le set to what the chip says it has (ISO/IEC 7816-3 T=0 rule).
      sent = withNe(sent, response[1] === 0 ? 256 : response[1]);
      response = await this.transmitOnce(sent, timeoutMs, options.signal);
      if (response.length >= 2 && response[response.length - 2] === 0x6c) throw protocolError('answered 6Cxx again after the command was re-issued with the Le it asked for');
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    let chained = 0;
    for (;;) {
      total += response.length - 2;
      if (total > this.maxResponseBytes) throw tooLong(`Response exceeds ${this.maxResponseBytes} bytes`);
      parts.push(response.subarray(0, response.length - 2));
      const sw1 = response[response.length - 2];
      const sw2 = response[response.length - 1];
      if (sw1 !== 0x61) return concatBytes(...parts, Uint8Array.of(sw1, sw2));
      chained++;
      if (chained > this.maxChained) throw tooLong(`Chip kept answering 61xx after ${this.maxChained} GET RESPONSE commands`);
      // GET RESPONSE is a transport-level command: plain CLA, only the logical channel bits carried over.
      let getResponse = encodeCommandApdu({ cla: sent[0] & 0x03, ins: 0xc0, p1: 0, p2: 0, ne: sw2 === 0 ? 256 : sw2 });
      response = await this.transmitOnce(getResponse, timeoutMs, options.signal);
      if (response.length === 2 && response[0] === 0x6c) {
        getResponse = withNe(getResponse, response[1] === 0 ? 256 : response[1]);
        response = await this.transmitOnce(getResponse, timeoutMs, options.signal);
      }
    }
  }

  /** SELECT the eMRTD application by AID (no FCI requested). */
  async selectEmrtdApplication(options?: SendOptions): Promise<void> {
    const response = await this.send({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: EMRTD_AID }, options);
    if (!response.ok) throw statusError('SELECT eMRTD application', response.sw);
  }

  /** SELECT an elementary file by its two-byte file identifier (P1 '02': EF under the current DF; pass p1 0 for the MF level). */
  async selectFile(fid: number, options: SendOptions & { p1?: number } = {}): Promise<void> {
    if (!Number.isInteger(fid) || fid < 0 || fid > 0xffff) throw new TesseraError('EMRTD_APDU_INVALID', `File identifier must be 0..FFFF, got ${String(fid)}`);
    const response = await this.send({ cla: 0x00, ins: 0xa4, p1: options.p1 ?? 0x02, p2: 0x0c, data: Uint8Array.of(fid >> 8, fid & 0xff) }, options);
    if (!response.ok) throw statusError(`SELECT file ${fid.toString(16).toUpperCase().padStart(4, '0')}`, response.sw);
  }

  /**
   * READ BINARY of up to `le` bytes from the current EF at `offset`. Offsets above 32767 use
   * INS 'B1' with the offset in DO'54' and the data returned in DO'53'; the header of that
   * wrapper is added to Ne so the caller still gets up to `le` file bytes. 6282 (end of file
   * reached) is accepted: the bytes that were there are returned.
   */
  async readBinary(offset: number, le: number, options?: SendOptions): Promise<Uint8Array> {
    if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
      throw new TesseraError('EMRTD_APDU_INVALID', `READ BINARY offset must be 0..${MAX_OFFSET}, got ${String(offset)}`);
    }
    if (!Number.isInteger(le) || le < 1 || le > 65536) throw new TesseraError('EMRTD_APDU_INVALID', `READ BINARY length must be 1..65536, got ${String(le)}`);
    if (offset <= MAX_SHORT_OFFSET) {
      const response = await this.send({ cla: 0x00, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, ne: le }, options);
      if (response.sw !== SW_OK && response.sw !== SW_END_OF_FILE) throw statusError('READ BINARY', response.sw);
      return response.data;
    }
    const wrapperHeader = le < 0x80 ? 2 : le < 0x100 ? 3 : 4;
    const ne = Math.min(65536, le + wrapperHeader);
    const response = await this.send({ cla: 0x00, ins: 0xb1, p1: 0, p2: 0, data: encodeTlv(0x54, uintToMinimalBytes(offset)), ne }, options);
    if (response.sw !== SW_OK && response.sw !== SW_END_OF_FILE) throw statusError('READ BINARY (odd INS)', response.sw);
    if (response.data.length === 0) return response.data;
    const node = decodeTlvObject(response.data);
    if (node.tag !== 0x53) {
      throw new TesseraError('EMRTD_APDU_MALFORMED', `READ BINARY (odd INS) response is not wrapped in DO'53' (starts ${toHex(response.data.subarray(0, 4))})`, {
        hint: 'The chip answered INS B1 in a format ISO/IEC 7816-4 does not define.',
      });
    }
    return node.value;
  }

  /** One transmit with the per-exchange timeout and the caller's abort signal. */
  private transmitOnce(command: Uint8Array, timeoutMs: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    if (signal?.aborted) return Promise.reject(abortedError());
    return new Promise<Uint8Array>((resolve, reject) => {
      const controller = new AbortController();
      let settled = false;
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const onAbort = (): void => {
        controller.abort();
        finish(() => reject(abortedError()));
      };
      const timer = setTimeout(() => {
        // Tell the transport to give up too, so a late answer is not left in the reader's buffer.
        controller.abort();
        finish(() =>
          reject(
            new TesseraError('EMRTD_CHIP_NOT_ANSWERING', `The chip did not answer within ${timeoutMs} ms`, {
              hint: 'Keep the document still on the reader; it may have been moved out of the field.',
              details: { timeoutMs, command: toHex(command.subarray(0, 4)) },
            }),
          ),
        );
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      let pending: Promise<Uint8Array>;
      try {
        pending = Promise.resolve(this.transport.transmit(command, { signal: controller.signal, timeoutMs }));
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (response) =>
          finish(() => {
            if (!(response instanceof Uint8Array) || response.length < 2) {
              reject(protocolError(`returned ${response instanceof Uint8Array ? `${response.length} byte(s)` : 'no bytes'} instead of a response with a status word`));
            } else resolve(response);
          }),
        (error: unknown) =>
          finish(() =>
            reject(
              isTesseraError(error)
                ? error
                : new TesseraError('EMRTD_TRANSPORT_FAILED', `The reader failed to exchange an APDU: ${error instanceof Error ? error.message : String(error)}`, {
                    hint: 'Check the reader connection and that the document is on it.',
                    cause: error,
                  }),
            ),
          ),
      );
    });
  }
}

/** The same command bytes with Ne replaced, keeping short or extended form. */
function withNe(command: Uint8Array, ne: number): Uint8Array {
  const decoded = decodeCommandApdu(command);
  return encodeCommandApdu({ ...decoded, ne }, { extended: decoded.extended });
}

function tooLong(message: string): TesseraError {
  return new TesseraError('EMRTD_RESPONSE_TOO_LONG', message, { hint: 'The chip is broken or hostile; stop reading it.' });
}

function protocolError(what: string): TesseraError {
  return new TesseraError('EMRTD_CHIP_PROTOCOL_ERROR', `The chip ${what}`, { hint: 'The chip or reader is not following ISO/IEC 7816-4; try again, then treat the chip as faulty.' });
}

function abortedError(): TesseraError {
  return new TesseraError('EMRTD_ABORTED', 'The chip exchange was cancelled', { hint: 'The caller aborted the read.' });
}
