/**
 * One opened and claimed CCID interface: the bulk pipe that carries command/answer pairs, and the
 * interrupt pipe that reports card arrival and removal. It owns the things that must be right once
 * per interface rather than once per slot: bSeq numbering, one command on the pipe at a time,
 * waiting out time extensions, timeouts, and recovering after a command was given up on (the CCID
 * ABORT procedure, and dropping the late answer when it finally arrives).
 */
import { TesseraError } from '@tessera/sdk';
import {
  CCID_INTERFACE_CLASS,
  CCID_REQUEST_ABORT,
  PC_TO_RDR,
  RDR_TO_PC,
  RESPONSE_TYPE_FOR,
  SLOT_ERROR,
  ccidError,
  commands,
  decodeInterruptMessage,
  decodeResponse,
  hex8,
  parseClassDescriptor,
  slotErrorName,
  type CcidClassDescriptor,
  type CcidResponse,
} from './ccid-protocol.js';
import {
  disconnected,
  isDeviceGone,
  isTransferTimeout,
  openFailure,
  type DeviceHandle,
  type UsbDeviceLike,
  type UsbError,
  type UsbInEndpointLike,
  type UsbInterfaceDescriptorLike,
  type UsbInterfaceLike,
  type UsbOutEndpointLike,
} from './usb-backend.js';

/** What enumeration learns about a CCID interface from its descriptors alone (no I/O). */
export interface CcidInterfaceInfo {
  interfaceNumber: number;
  descriptor: CcidClassDescriptor;
  bulkIn: number;
  bulkOut: number;
  bulkInPacketSize: number;
  interruptIn?: number;
  interruptPacketSize?: number;
}

const TRANSFER_TYPE_BULK = 2;
const TRANSFER_TYPE_INTERRUPT = 3;

/**
 * Read a CCID interface's class descriptor and endpoints. Most readers put the class descriptor right
 * after the interface descriptor; a few place it after their endpoints, where libusb files it under
 * the last endpoint's extra bytes, so both places are searched.
 */
export function describeCcidInterface(alt: UsbInterfaceDescriptorLike): CcidInterfaceInfo {
  if (alt.bInterfaceClass !== CCID_INTERFACE_CLASS) throw new Error(`interface ${alt.bInterfaceNumber} is not of the CCID class`);
  const descriptor = parseClassDescriptor(toBytes(alt.extra)) ?? alt.endpoints.map((e) => (e.extra ? parseClassDescriptor(toBytes(e.extra)) : undefined)).find(Boolean);
  if (!descriptor) {
    throw ccidError('CCID_DESCRIPTOR_INVALID', `USB interface ${alt.bInterfaceNumber} claims the CCID class but has no CCID class descriptor.`, {
      hint: 'This reader does not follow the USB CCID specification; it needs its vendor driver.',
    });
  }
  const find = (type: number, dirIn: boolean) => alt.endpoints.find((e) => (e.bmAttributes & 0x03) === type && ((e.bEndpointAddress & 0x80) !== 0) === dirIn);
  const bulkIn = find(TRANSFER_TYPE_BULK, true);
  const bulkOut = find(TRANSFER_TYPE_BULK, false);
  const interrupt = find(TRANSFER_TYPE_INTERRUPT, true);
  if (!bulkIn || !bulkOut) {
    throw ccidError('CCID_DESCRIPTOR_INVALID', `USB interface ${alt.bInterfaceNumber} lacks the bulk-IN and bulk-OUT endpoints a CCID reader must have.`, {
      hint: 'This reader does not follow the USB CCID specification; it needs its vendor driver.',
    });
  }
  return {
    interfaceNumber: alt.bInterfaceNumber,
    descriptor,
    bulkIn: bulkIn.bEndpointAddress,
    bulkOut: bulkOut.bEndpointAddress,
    bulkInPacketSize: bulkIn.wMaxPacketSize || 64,
    ...(interrupt ? { interruptIn: interrupt.bEndpointAddress, interruptPacketSize: interrupt.wMaxPacketSize || 8 } : {}),
  };
}

function toBytes(b: Uint8Array | undefined): Uint8Array {
  return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(0);
}

export interface SessionTimeouts {
  /** Silence allowed while waiting for one answer; each time extension restarts it. */
  commandTimeoutMs: number;
  /** The most a command may take in total while the reader keeps asking for more time. */
  timeExtensionLimitMs: number;
}

export interface ExchangeOptions {
  /** Fired to give up; a TesseraError as the reason is rethrown as is, anything else becomes TSR_READER_ABORTED. */
  signal?: AbortSignal;
  /** Overrides commandTimeoutMs for this command. */
  timeoutMs?: number;
}

export type SlotEvent = { slot: number; kind: 'removed' | 'present' } | { slot: number; kind: 'hardware-error'; code: number };

/** Extra wait beyond the USB transfer timeout, in case a backend never completes a timed-out transfer. */
const TIMER_GRACE_MS = 250;
/** The ABORT procedure gets this long at most; a reader that ignores it is left alone. */
const ABORT_PROCEDURE_MS = 1000;
/** How many given-up bSeq values to remember, so their late answers can be recognised and dropped. */
const ABANDONED_MEMORY = 16;

type ReadResult = { data: Buffer; error?: undefined } | { data?: undefined; error: UsbError };

export function abortedError(): TesseraError {
  return new TesseraError('TSR_READER_ABORTED', 'The reader operation was cancelled.');
}

function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof TesseraError ? reason : abortedError();
}

/** Interrupt endpoints that carry the permanent no-op 'error' listener (node-usb keeps one endpoint object per interface). */
const GUARDED_ENDPOINTS = new WeakSet<object>();

export class CcidSession {
  private seq = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private recovery: Promise<void> = Promise.resolve();
  private pendingRead: Promise<ReadResult> | undefined;
  private pendingWrite: Promise<unknown> | undefined;
  private readonly abandoned: number[] = [];
  private readonly slotListeners = new Set<(event: SlotEvent) => void>();
  private polling = false;
  private readonly onInterruptError = (error: UsbError) => {
    if (isDeviceGone(error)) this.gone = true;
    // Other interrupt errors only cost us early removal notices; bulk answers still report absence.
  };
  private closed = false;
  private gone = false;
  /** Rounded up to whole packets so a reader that fills its last packet cannot overflow the buffer. */
  private readonly readLength: number;

  private constructor(
    private readonly device: UsbDeviceLike,
    private readonly handle: DeviceHandle,
    private readonly iface: UsbInterfaceLike,
    readonly info: CcidInterfaceInfo,
    private readonly bulkIn: UsbInEndpointLike,
    private readonly bulkOut: UsbOutEndpointLike,
    private readonly interrupt: UsbInEndpointLike | undefined,
    private readonly timeouts: SessionTimeouts,
    /** Names the reader in error messages, e.g. "the reader usb-ccid:1-2". */
    readonly label: string,
  ) {
    const packet = info.bulkInPacketSize;
    this.readLength = Math.ceil(Math.max(info.descriptor.maxMessageLength, 10 + 2) / packet) * packet;
  }

  /**
   * Open the device and claim the interface. The caller closes the session when done. `handle`
   * opens and closes the device; pass a shared one when other work may have the device open too.
   */
  static open(
    device: UsbDeviceLike,
    info: CcidInterfaceInfo,
    timeouts: SessionTimeouts,
    label: string,
    handle: DeviceHandle = { open: () => device.open(), close: () => device.close() },
  ): CcidSession {
    try {
      handle.open();
    } catch (error) {
      throw openFailure(error, label);
    }
    let iface: UsbInterfaceLike;
    try {
      iface = device.interface(info.interfaceNumber);
      iface.claim();
    } catch (error) {
      try {
        handle.close();
      } catch {
        // already failing; the claim error is the one to report
      }
      throw openFailure(error, label);
    }
    const endpoint = (address: number | undefined) => (address === undefined ? undefined : iface.endpoint(address));
    const bulkIn = endpoint(info.bulkIn);
    const bulkOut = endpoint(info.bulkOut);
    const interrupt = endpoint(info.interruptIn);
    if (bulkIn?.direction !== 'in' || bulkOut?.direction !== 'out') {
      iface.release(() => undefined);
      try {
        handle.close();
      } catch {
        // nothing more to release
      }
      throw ccidError('CCID_DESCRIPTOR_INVALID', `${label} does not expose the bulk endpoints its descriptors announce.`, { hint: 'Replug the reader; if it persists, the reader is not usable with this driver.' });
    }
    const session = new CcidSession(
      device,
      handle,
      iface,
      info,
      bulkIn as UsbInEndpointLike,
      bulkOut as UsbOutEndpointLike,
      interrupt?.direction === 'in' ? (interrupt as UsbInEndpointLike) : undefined,
      timeouts,
      label,
    );
    session.startInterruptPolling();
    return session;
  }

  get isUsable(): boolean {
    return !this.closed && !this.gone;
  }

  /** Card arrival/removal and hardware errors from the interrupt pipe; returns an unsubscribe function. */
  onSlotEvent(listener: (event: SlotEvent) => void): () => void {
    this.slotListeners.add(listener);
    return () => this.slotListeners.delete(listener);
  }

  /** Called when the bus reports the device detached: every pending and later exchange fails at once. */
  markGone(): void {
    this.gone = true;
  }

  powerOn(slot: number, powerSelect: number, options?: ExchangeOptions): Promise<CcidResponse> {
    return this.exchange(slot, (seq) => commands.iccPowerOn(slot, seq, powerSelect), PC_TO_RDR.IccPowerOn, options);
  }

  powerOff(slot: number, options?: ExchangeOptions): Promise<CcidResponse> {
    return this.exchange(slot, (seq) => commands.iccPowerOff(slot, seq), PC_TO_RDR.IccPowerOff, options);
  }

  getSlotStatus(slot: number, options?: ExchangeOptions): Promise<CcidResponse> {
    return this.exchange(slot, (seq) => commands.getSlotStatus(slot, seq), PC_TO_RDR.GetSlotStatus, options);
  }

  getParameters(slot: number, options?: ExchangeOptions): Promise<CcidResponse> {
    return this.exchange(slot, (seq) => commands.getParameters(slot, seq), PC_TO_RDR.GetParameters, options);
  }

  xfrBlock(slot: number, data: Uint8Array, levelParameter: number, options?: ExchangeOptions): Promise<CcidResponse> {
    return this.exchange(slot, (seq) => commands.xfrBlock(slot, seq, data, levelParameter), PC_TO_RDR.XfrBlock, options);
  }

  /**
   * Send one command and wait for its answer. Commands queue behind each other (slots of one
   * interface share the pipe) and behind the recovery of a command given up on before.
   */
  exchange(slot: number, build: (seq: number) => Uint8Array, commandType: number, options: ExchangeOptions = {}): Promise<CcidResponse> {
    const run = async () => {
      await this.recovery;
      return this.exchangeNow(slot, build, commandType, options);
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async exchangeNow(slot: number, build: (seq: number) => Uint8Array, commandType: number, options: ExchangeOptions): Promise<CcidResponse> {
    this.assertUsable();
    if (options.signal?.aborted) throw reasonOf(options.signal);
    const seq = this.seq;
    this.seq = (this.seq + 1) & 0xff;
    this.forget(seq); // after wrap-around, a number given up on long ago is live again
    const expected = RESPONSE_TYPE_FOR[commandType]!;
    const readTimeout = options.timeoutMs ?? this.timeouts.commandTimeoutMs;
    try {
      await this.write(build(seq), readTimeout, options.signal);
      const started = Date.now();
      const hardStop = started + Math.max(this.timeouts.timeExtensionLimitMs, readTimeout);
      let extensions = 0;
      for (;;) {
        const wait = Math.min(readTimeout, hardStop - Date.now());
        if (wait <= 0) throw this.extensionLimit(extensions, started);
        let raw: Uint8Array;
        try {
          raw = await this.read(wait, options.signal);
        } catch (error) {
          if (extensions > 0 && (error as TesseraError).code === 'CCID_TIMEOUT' && Date.now() >= hardStop) throw this.extensionLimit(extensions, started);
          throw error;
        }
        const response = decodeResponse(raw, this.readLength);
        if (response.seq !== seq) {
          if (this.abandoned.includes(response.seq)) continue; // a late answer to a command given up on earlier
          throw ccidError('CCID_SEQUENCE_MISMATCH', `${this.label} answered command #${seq} with the sequence number #${response.seq}.`, {
            hint: 'Scan the document again; if it keeps happening, replug the reader.',
            details: { expectedSeq: seq, receivedSeq: response.seq, messageType: `0x${hex8(response.messageType)}` },
          });
        }
        if (response.messageType !== expected || response.slot !== slot) {
          throw ccidError('CCID_MALFORMED_RESPONSE', `${this.label} answered a 0x${hex8(commandType)} command for slot ${slot} with a 0x${hex8(response.messageType)} message for slot ${response.slot}.`, {
            hint: 'The reader firmware misbehaves; replug the reader or try another one.',
            details: { expectedType: `0x${hex8(expected)}`, receivedType: `0x${hex8(response.messageType)}`, slot: response.slot },
          });
        }
        if (response.commandStatus === 'time-extension') {
          extensions++;
          if (Date.now() >= hardStop) throw this.extensionLimit(extensions, started);
          continue;
        }
        return response;
      }
    } catch (error) {
      this.abandon(seq);
      const code = (error as TesseraError).code;
      // The reader may still be working on the command: ask it to stop so the next one is not refused as CMD_SLOT_BUSY.
      if (this.isUsable && (code === 'CCID_TIMEOUT' || code === 'CCID_TIME_EXTENSION_LIMIT' || options.signal?.aborted)) this.recovery = this.abortProcedure(slot, seq);
      throw error;
    }
  }

  private extensionLimit(extensions: number, started: number): TesseraError {
    return ccidError('CCID_TIME_EXTENSION_LIMIT', `${this.label} asked for more time ${extensions} times and had no answer after ${Date.now() - started} ms.`, {
      hint: 'The chip is too slow or stuck; lift the document, place it again and rescan.',
      details: { extensions, limitMs: this.timeouts.timeExtensionLimitMs },
    });
  }

  private assertUsable(): void {
    if (this.gone) throw disconnected(this.label);
    if (this.closed) throw ccidError('CCID_TRANSPORT_CLOSED', `The session with ${this.label} is closed.`, { hint: 'Scan the document again to open a new chip session.' });
  }

  private abandon(seq: number): void {
    if (!this.abandoned.includes(seq)) this.abandoned.push(seq);
    if (this.abandoned.length > ABANDONED_MEMORY) this.abandoned.shift();
  }

  private forget(seq: number): void {
    const at = this.abandoned.indexOf(seq);
    if (at >= 0) this.abandoned.splice(at, 1);
  }

  /**
   * CCID 1.1 §5.3.1: the ABORT control request, then PC_to_RDR_Abort with the same slot and bSeq, whose
   * RDR_to_PC_SlotStatus ends the procedure. Best effort: a reader that ignores it costs at most
   * ABORT_PROCEDURE_MS, and the given-up bSeq stays remembered so its late answer is still dropped.
   */
  private async abortProcedure(slot: number, seq: number): Promise<void> {
    const deadline = Date.now() + ABORT_PROCEDURE_MS;
    try {
      await this.control(CCID_REQUEST_ABORT.bmRequestType, CCID_REQUEST_ABORT.bRequest, (seq << 8) | slot, this.info.interfaceNumber, ABORT_PROCEDURE_MS);
      await this.write(commands.abort(slot, seq), ABORT_PROCEDURE_MS);
      for (;;) {
        const wait = deadline - Date.now();
        if (wait <= 0) return;
        const response = decodeResponse(await this.read(wait), this.readLength);
        // Done. The bSeq stays remembered, in case the aborted command's own answer trails behind.
        if (response.seq === seq && response.messageType === RDR_TO_PC.SlotStatus) return;
        if (this.abandoned.includes(response.seq)) continue; // the aborted command's own answer, or an older straggler
        return; // something unexpected: stop here rather than eat answers meant for later commands
      }
    } catch {
      // The reader does not support ABORT or did not answer in time; carry on.
    }
  }

  private control(bmRequestType: number, bRequest: number, wValue: number, wIndex: number, timeoutMs: number): Promise<void> {
    return this.withTimer(
      new Promise<void>((resolve, reject) => {
        this.device.controlTransfer(bmRequestType, bRequest, wValue, wIndex, Buffer.alloc(0), (error) => (error ? reject(error) : resolve()));
      }),
      timeoutMs,
    );
  }

  private async write(bytes: Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    this.assertUsable();
    this.bulkOut.timeout = Math.max(1, Math.ceil(timeoutMs));
    const done = new Promise<UsbError | undefined>((resolve) => {
      try {
        this.bulkOut.transfer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) => resolve(error));
      } catch (error) {
        resolve(error as UsbError);
      }
    });
    this.pendingWrite = done;
    const outcome = await this.race(done, timeoutMs + TIMER_GRACE_MS, signal);
    if (outcome === 'timeout' || (outcome.value && isTransferTimeout(outcome.value))) throw this.timeoutError(timeoutMs, 'accept the command');
    if (outcome.value) throw this.transferFailure(outcome.value);
  }

  /**
   * Read one bulk-IN message. An IN transfer left pending by a command given up on is reused rather
   * than doubled, so no answer is ever read by a transfer nobody waits for.
   */
  private async read(timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertUsable();
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.timeoutError(timeoutMs, 'answer');
      const pending = (this.pendingRead ??= this.submitRead(remaining));
      const outcome = await this.race(pending, remaining + TIMER_GRACE_MS, signal);
      if (outcome === 'timeout') throw this.timeoutError(timeoutMs, 'answer');
      this.pendingRead = undefined; // consumed
      const result = outcome.value;
      if (!result.error) return result.data;
      // A transfer submitted for an earlier, shorter wait may time out before our deadline: read on.
      if (isTransferTimeout(result.error)) continue;
      throw this.transferFailure(result.error);
    }
  }

  private submitRead(timeoutMs: number): Promise<ReadResult> {
    this.bulkIn.timeout = Math.max(1, Math.ceil(timeoutMs));
    return new Promise<ReadResult>((resolve) => {
      try {
        this.bulkIn.transfer(this.readLength, (error, data) => resolve(error ? { error } : { data: data ?? Buffer.alloc(0) }));
      } catch (error) {
        resolve({ error: error as UsbError });
      }
    });
  }

  /** Wait for work, a timer, or the signal; the work keeps running when the caller stops waiting. */
  private race<T>(work: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<{ value: T } | 'timeout'> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(reasonOf(signal));
      const timer = setTimeout(() => finish(() => resolve('timeout')), timeoutMs);
      const onAbort = () => finish(() => reject(reasonOf(signal!)));
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (then: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        then();
      };
      work.then(
        (value) => finish(() => resolve({ value })),
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }

  private async withTimer<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
    const outcome = await this.race(work, timeoutMs);
    if (outcome === 'timeout') throw this.timeoutError(timeoutMs, 'answer');
    return outcome.value;
  }

  private timeoutError(timeoutMs: number, what: string): TesseraError {
    return ccidError('CCID_TIMEOUT', `${this.label} did not ${what} within ${timeoutMs} ms.`, {
      hint: 'Check the reader is connected; replug it if it keeps happening.',
      details: { timeoutMs },
    });
  }

  private transferFailure(error: UsbError): Error {
    if (isDeviceGone(error)) {
      this.gone = true;
      return disconnected(this.label, error);
    }
    return ccidError('CCID_USB_TRANSFER_FAILED', `A USB transfer with ${this.label} failed: ${error.message || `libusb status ${error.errno}`}.`, {
      hint: 'Replug the reader and scan again.',
      cause: error,
      details: { errno: error.errno },
    });
  }

  private startInterruptPolling(): void {
    const ep = this.interrupt;
    if (!ep) return;
    ep.on('data', (data: Buffer) => this.onInterrupt(data));
    // One permanent no-op listener per endpoint (see close()); the session's own comes and goes with it.
    if (!GUARDED_ENDPOINTS.has(ep)) {
      ep.on('error', () => undefined);
      GUARDED_ENDPOINTS.add(ep);
    }
    ep.on('error', this.onInterruptError);
    try {
      ep.startPoll(1, this.info.interruptPacketSize ?? 8);
      this.polling = true;
    } catch {
      this.polling = false;
    }
  }

  private onInterrupt(data: Buffer): void {
    const message = decodeInterruptMessage(new Uint8Array(data), this.info.descriptor.slotCount);
    const events: SlotEvent[] =
      message.type === 'slot-change'
        ? message.slots.filter((s) => s.changed || !s.present).map((s) => ({ slot: s.slot, kind: s.present ? 'present' : 'removed' }))
        : message.type === 'hardware-error'
          ? [{ slot: message.slot, kind: 'hardware-error', code: message.code }]
          : [];
    for (const event of events) for (const listener of [...this.slotListeners]) listener(event);
  }

  /** Stop polling, let pending transfers end, release the interface and close the device. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Let queued work (a last power-off, an ABORT procedure) finish first; each is bounded by its own timeout.
    await this.tail;
    await this.recovery;
    this.closed = true;
    this.slotListeners.clear();
    const bound = this.timeouts.commandTimeoutMs + TIMER_GRACE_MS;
    const settle = (p: Promise<unknown> | undefined) => (p ? this.race(p, bound).catch(() => undefined) : Promise.resolve());
    const ep = this.interrupt;
    const pollEnded = ep && this.polling
      ? new Promise<void>((resolve) => {
          try {
            ep.stopPoll(() => resolve());
          } catch {
            resolve();
          }
        })
      : Promise.resolve();
    await Promise.all([settle(pollEnded), settle(this.pendingRead), settle(this.pendingWrite)]);
    // The endpoint keeps its permanent no-op 'error' listener: an endpoint error after close (e.g. the
    // device unplugged) with no listener would be an unhandled 'error' event and take the whole host
    // down. Only this session's listener goes, so scan after scan on one reader adds none.
    ep?.removeAllListeners('data');
    ep?.removeListener('error', this.onInterruptError);
    if (!this.gone) {
      await settle(new Promise<void>((resolve) => {
        try {
          this.iface.release(() => resolve());
        } catch {
          resolve();
        }
      }));
    }
    try {
      this.handle.close();
    } catch {
      // unplugged, or already closed
    }
  }
}

/**
 * Turn a failed answer into the error that names its cause. `context` decides what an absent card
 * means: no document to scan, or a document lifted away in the middle of a chip session.
 */
export function failureOf(response: CcidResponse, label: string, context: 'scan' | 'transmit'): TesseraError {
  const absent = response.iccStatus === 'absent';
  if (context === 'scan' && (absent || response.bError === SLOT_ERROR.ICC_MUTE)) {
    return new TesseraError('TSR_READER_NO_DOCUMENT', absent ? `No document lies on ${label}.` : `No chip answered on ${label}.`, {
      hint: 'Place the document flat on the reader (a passport closed, front cover down; a card on its own), hold it still, then scan again.',
    });
  }
  if (absent) {
    return ccidError('CCID_CARD_REMOVED', `The document left ${label} during the chip read.`, {
      hint: 'Keep the document on the reader until the chip read finishes, then scan again.',
    });
  }
  if (response.bError === SLOT_ERROR.ICC_MUTE) {
    return ccidError('CCID_CARD_MUTE', `The chip on ${label} stopped answering.`, {
      hint: 'Lift the document, place it flat on the reader again, and rescan.',
    });
  }
  const name = slotErrorName(response.bError);
  return ccidError('CCID_COMMAND_FAILED', `${label} reported the command as failed (${name}).`, {
    hint: 'Scan again; if it keeps failing, replug the reader.',
    details: { bError: response.bError, bErrorName: name, bStatus: response.bStatus },
  });
}
