/**
 * The ChipTransport over one slot of a CCID reader: one APDU in, one APDU out. At the extended-APDU
 * exchange level an APDU longer than one bulk message travels as chained XfrBlocks (wLevelParameter),
 * and a long answer is collected block by block (bChainParameter). A card lifted off the reader ends
 * the transmit at once when the interrupt pipe says so, instead of after the command timeout.
 */
import { TesseraError, type ChipTransport } from '@tessera/sdk';
import {
  CCID_HEADER_LENGTH,
  CHAIN,
  EXTENDED_APDU_MAX_COMMAND,
  EXTENDED_APDU_MAX_RESPONSE,
  SHORT_APDU_MAX_COMMAND,
  SHORT_APDU_MAX_RESPONSE,
  ccidError,
  hex8,
  type CcidResponse,
} from './ccid-protocol.js';
import { abortedError, failureOf, type CcidSession, type SlotEvent } from './ccid-session.js';

export interface UsbCcidTransportOptions {
  slot: number;
  atr?: Uint8Array;
  /** Silence allowed per answer, unless transmit() is given its own timeoutMs. */
  commandTimeoutMs: number;
  /** Close the session by itself after this long without a transmit (0: never), so a forgotten transport cannot hold the reader. */
  idleCloseMs?: number;
  /**
   * Releases the session once the card is powered off; called exactly once, whoever closes (the host,
   * the idle timer). Default: close the session, which releases the interface and closes the device.
   */
  release?: () => Promise<void>;
}

export class UsbCcidTransport implements ChipTransport {
  readonly atr: Uint8Array | undefined;
  readonly maxCommandLength: number;
  readonly maxResponseLength: number;
  private readonly slot: number;
  private readonly extended: boolean;
  /** abData bytes that fit in one bulk message. */
  private readonly blockSize: number;
  private inFlight: AbortController | undefined;
  private cardGone = false;
  private closing: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly session: CcidSession,
    private readonly options: UsbCcidTransportOptions,
  ) {
    const descriptor = session.info.descriptor;
    this.slot = options.slot;
    this.atr = options.atr;
    this.extended = descriptor.exchangeLevel === 'extended-apdu';
    this.blockSize = Math.max(1, descriptor.maxMessageLength - CCID_HEADER_LENGTH);
    this.maxCommandLength = this.extended ? EXTENDED_APDU_MAX_COMMAND : Math.min(SHORT_APDU_MAX_COMMAND, this.blockSize);
    this.maxResponseLength = this.extended ? EXTENDED_APDU_MAX_RESPONSE : Math.min(SHORT_APDU_MAX_RESPONSE, this.blockSize);
    this.unsubscribe = session.onSlotEvent((event) => this.onSlotEvent(event));
    this.armIdleTimer();
  }

  get isOpen(): boolean {
    return !this.closing;
  }

  async transmit(command: Uint8Array, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Uint8Array> {
    if (this.closing) throw this.closedError();
    if (this.inFlight) {
      throw new TesseraError('TSR_READER_BUSY', `${this.session.label} is already exchanging an APDU.`, { hint: 'Send one APDU at a time and await each answer.' });
    }
    if (options.signal?.aborted) throw abortedError();
    if (this.cardGone) throw this.removedError();
    if (command.length < 4) {
      throw ccidError('CCID_APDU_INVALID', `A command APDU needs at least 4 bytes (CLA INS P1 P2); got ${command.length}.`, { hint: 'This is a defect in the caller.' });
    }
    if (command.length > this.maxCommandLength) {
      throw ccidError('CCID_APDU_TOO_LONG', `${this.session.label} carries command APDUs of at most ${this.maxCommandLength} bytes; this one has ${command.length}.`, {
        hint: this.extended ? 'Split the command (command chaining).' : 'This reader supports short APDUs only: read in blocks of at most 256 bytes.',
        details: { length: command.length, maxCommandLength: this.maxCommandLength },
      });
    }
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(abortedError());
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    this.inFlight = controller;
    this.disarmIdleTimer();
    const exchange = { signal: controller.signal, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
    try {
      return this.extended ? await this.exchangeExtended(command, exchange) : this.answerOf(await this.session.xfrBlock(this.slot, command, CHAIN.complete, exchange), true);
    } finally {
      options.signal?.removeEventListener('abort', onCallerAbort);
      this.inFlight = undefined;
      if (!this.closing) this.armIdleTimer();
    }
  }

  /** Command chaining out, response chaining back (CCID 1.1 §6.1.4, wLevelParameter / bChainParameter). */
  private async exchangeExtended(command: Uint8Array, exchange: { signal: AbortSignal; timeoutMs?: number }): Promise<Uint8Array> {
    let response: CcidResponse | undefined;
    for (let at = 0; at < command.length; ) {
      const block = command.subarray(at, at + this.blockSize);
      const first = at === 0;
      at += block.length;
      const last = at >= command.length;
      const level = first && last ? CHAIN.complete : first ? CHAIN.begins : last ? CHAIN.ends : CHAIN.continues;
      response = await this.session.xfrBlock(this.slot, block, level, exchange);
      this.checkOk(response);
      if (!last && !(response.specific === CHAIN.nextBlock && response.data.length === 0)) {
        throw this.chainError(`answered a chained command block with bChainParameter 0x${hex8(response.specific)} instead of asking for the next block`);
      }
    }
    const parts: Uint8Array[] = [response!.data];
    let total = response!.data.length;
    let chain = response!.specific;
    if (chain !== CHAIN.complete && chain !== CHAIN.begins) throw this.chainError(`began its answer with bChainParameter 0x${hex8(chain)}`);
    while (chain === CHAIN.begins || chain === CHAIN.continues) {
      const next = await this.session.xfrBlock(this.slot, new Uint8Array(0), CHAIN.nextBlock, exchange);
      this.checkOk(next);
      if (next.specific !== CHAIN.continues && next.specific !== CHAIN.ends) throw this.chainError(`continued its answer with bChainParameter 0x${hex8(next.specific)}`);
      parts.push(next.data);
      total += next.data.length;
      if (total > EXTENDED_APDU_MAX_RESPONSE) throw this.chainError(`sent an answer longer than ${EXTENDED_APDU_MAX_RESPONSE} bytes`);
      chain = next.specific;
    }
    const answer = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      answer.set(part, offset);
      offset += part.length;
    }
    return this.answerOf({ ...response!, data: answer }, false);
  }

  private checkOk(response: CcidResponse): void {
    if (response.commandStatus === 'failed') {
      const error = failureOf(response, this.session.label, 'transmit');
      if (error.code === 'CCID_CARD_REMOVED') this.cardGone = true;
      throw error;
    }
  }

  private answerOf(response: CcidResponse, check: boolean): Uint8Array {
    if (check) this.checkOk(response);
    if (response.data.length < 2) {
      throw ccidError('CCID_MALFORMED_RESPONSE', `${this.session.label} returned ${response.data.length} bytes for an APDU; a response APDU has at least SW1 SW2.`, {
        hint: 'Lift the document, place it again and rescan; if it persists, try another reader.',
      });
    }
    return response.data;
  }

  private chainError(what: string): TesseraError {
    return ccidError('CCID_MALFORMED_RESPONSE', `${this.session.label} ${what}.`, { hint: 'The reader firmware mishandles extended APDUs; try another reader.' });
  }

  private onSlotEvent(event: SlotEvent): void {
    if (event.slot !== this.slot) return;
    if (event.kind === 'removed') {
      this.cardGone = true;
      this.inFlight?.abort(this.removedError());
    } else if (event.kind === 'hardware-error') {
      this.cardGone = true;
      this.inFlight?.abort(
        ccidError('CCID_HARDWARE_ERROR', `${this.session.label} reported a hardware error (code 0x${hex8(event.code)}) on its slot.`, {
          hint: 'Unplug the reader, wait a few seconds, plug it in again.',
          details: { code: event.code },
        }),
      );
    }
    // 'present' alone is not acted on: readers often report the insertion that happened before the session opened.
  }

  private removedError(): TesseraError {
    return ccidError('CCID_CARD_REMOVED', `The document left ${this.session.label} during the chip read.`, {
      hint: 'Keep the document on the reader until the chip read finishes, then scan again.',
    });
  }

  private closedError(): TesseraError {
    return ccidError('CCID_TRANSPORT_CLOSED', `The chip session on ${this.session.label} is closed.`, { hint: 'Scan the document again to open a new chip session.' });
  }

  private armIdleTimer(): void {
    const ms = this.options.idleCloseMs ?? 0;
    if (ms <= 0) return;
    this.disarmIdleTimer();
    this.idleTimer = setTimeout(() => void this.close(), ms);
    this.idleTimer.unref?.();
  }

  private disarmIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Stop any APDU in flight, power the card off (best effort) and release the reader. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.disarmIdleTimer();
      this.inFlight?.abort(this.closedError());
      this.unsubscribe();
      try {
        if (this.session.isUsable && !this.cardGone) await this.session.powerOff(this.slot, { timeoutMs: Math.min(this.options.commandTimeoutMs, 1000) });
      } catch {
        // The card or reader may be gone already; releasing the interface is what matters.
      }
      try {
        await (this.options.release ? this.options.release() : this.session.close());
      } catch {
        // an unplugged device cannot be released cleanly; close() still succeeds
      }
    })();
    return this.closing;
  }
}
