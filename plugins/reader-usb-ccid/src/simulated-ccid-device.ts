/**
 * A simulated USB CCID contactless reader, at the boundary of the `usb` module: the descriptors
 * (CCID class descriptor included), open/claim/release, bulk and interrupt endpoints with libusb's
 * callback and timeout behaviour, and a reader that answers like firmware would — power on with an
 * ATR, slot status, XfrBlock at the short- or extended-APDU level with chaining, time extensions,
 * the ABORT procedure and slot-change notices. Its card is a function from APDU to response APDU,
 * or a card with its own power cycle (a bridge to another reader's chip: see chip-bridge-card.ts).
 * Tests and demos set faults on it (wrong bSeq, truncated answers, silence, card lifted away).
 */
import { EventEmitter } from 'node:events';
import {
  CCID_INTERFACE_CLASS,
  CCID_REQUEST_ABORT,
  CHAIN,
  FEATURES,
  PC_TO_RDR,
  RDR_TO_PC,
  RESPONSE_TYPE_FOR,
  SHORT_APDU_MAX_COMMAND,
  SLOT_ERROR,
  decodeMessage,
  encodeClassDescriptor,
  encodeResponse,
  encodeSlotChange,
  encodeStatus,
  type CcidMessage,
  type ExchangeLevel,
} from './ccid-protocol.js';
import {
  LIBUSB_ERROR,
  LIBUSB_TRANSFER,
  usbError,
  type UsbBackend,
  type UsbDeviceLike,
  type UsbError,
  type UsbInterfaceDescriptorLike,
  type UsbInterfaceLike,
} from './usb-backend.js';

/** The chip: one command APDU in, one response APDU (data + SW1 SW2) out. */
export type SimulatedCard = (apdu: Uint8Array) => Promise<Uint8Array> | Uint8Array;

/** What a slot can hold: a stateless card function, or a card with its own power cycle. */
export type SlotCard = SimulatedCard | PoweredCard;

/**
 * A card whose session lives from power-on to power-off, as a real chip's does (its secure
 * messaging keys die with the field): the reader powers it on for IccPowerOn and off for
 * IccPowerOff, a second power-on being a reset.
 */
export interface PoweredCard {
  /** Resolves with the card's ATR (undefined: the reader's default); rejects when the card does not answer. */
  powerOn(): Promise<Uint8Array | undefined>;
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  powerOff(): Promise<void>;
}

function isPoweredCard(card: SlotCard): card is PoweredCard {
  return typeof card !== 'function';
}

/** The ICAO eMRTD LDS1 application identifier. */
export const EMRTD_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]);

/** ISO 14443 pseudo-ATR of a type A card with no historical bytes (PC/SC part 3 form). */
export const DEFAULT_ATR = Uint8Array.from([0x3b, 0x80, 0x80, 0x01, 0x01]);

export function statusWord(sw: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** A card that answers SELECT of the eMRTD application with 9000 and anything else with 6D00. */
export function emrtdAppletCard(): SimulatedCard {
  return (apdu) => {
    const lc = apdu[4];
    const selectsByName = apdu[1] === 0xa4 && apdu[2] === 0x04 && lc === EMRTD_AID.length;
    const aid = apdu.subarray(5, 5 + EMRTD_AID.length);
    return selectsByName && aid.every((b, i) => b === EMRTD_AID[i]) ? statusWord(0x9000) : statusWord(0x6d00);
  };
}

export type ReaderFault =
  /** Answer with bSeq + 1. */
  | 'wrong-seq'
  /** Send the header and only half the announced data (or half a header when there is none). */
  | 'truncated'
  /** Accept bulk messages and never answer. */
  | 'silent';

export interface SimulatedCcidReaderOptions {
  busNumber?: number;
  portNumbers?: number[];
  deviceAddress?: number;
  vendorId?: number;
  productId?: number;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  /** Default 'extended-apdu'. */
  exchangeLevel?: ExchangeLevel;
  /** dwMaxCCIDMessageLength; default 271 (one short APDU), so extended APDUs need chaining. */
  maxMessageLength?: number;
  slotCount?: number;
  /** Whether the reader has the interrupt-IN endpoint for slot-change notices; default true. */
  interruptEndpoint?: boolean;
  /** Where the CCID class descriptor sits; default 'interface'. */
  classDescriptor?: 'interface' | 'endpoint' | 'missing';
  /** bInterfaceClass; set e.g. 3 (HID) to put a non-reader device on the bus. */
  interfaceClass?: number;
  /** The card in slot 0; null: the reader is empty. Default: emrtdAppletCard(). */
  card?: SlotCard | null;
  atr?: Uint8Array;
  /** open() fails with LIBUSB_ERROR_ACCESS, as without a udev rule. */
  denyAccess?: boolean;
  /** claim() fails with LIBUSB_ERROR_BUSY, as when pcscd holds the reader. */
  heldByAnotherProgram?: boolean;
  /** Time-extension messages sent before each APDU answer. */
  timeExtensions?: number;
  timeExtensionIntervalMs?: number;
  /** When false, IN transfers ignore endpoint.timeout (a USB stack that never times out). Default true. */
  honourTransferTimeouts?: boolean;
}

interface SlotState {
  card: SlotCard | null;
  powered: boolean;
  /** Bumped on removal so work started for the old card can tell. */
  generation: number;
  removed: { promise: Promise<void>; resolve: () => void };
  busy?: { seq: number; messageType: number; aborted: boolean };
  chainIn?: Uint8Array[];
  chainOut?: Uint8Array;
  /** Slot changes not yet reported on the interrupt pipe. */
  changed: boolean;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** While a powered card comes up, the reader asks the host for more time this often. */
const POWER_ON_TIME_EXTENSION_MS = 1000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type InCallback = (error: UsbError | undefined, data?: Buffer) => void;

/** An IN endpoint: a queue of device messages read by transfer() or, while polling, emitted as 'data'. */
class SimulatedInEndpoint extends EventEmitter {
  readonly direction = 'in' as const;
  timeout = 0;
  private readonly queue: Uint8Array[] = [];
  private readonly waiters: Array<{ length: number; callback: InCallback; timer?: NodeJS.Timeout }> = [];
  private polling = false;

  constructor(private readonly reader: SimulatedCcidReader) {
    super();
  }

  get pendingTransfers(): number {
    return this.waiters.length;
  }

  push(message: Uint8Array): void {
    this.queue.push(message);
    this.pump();
  }

  transfer(length: number, callback: InCallback): this {
    if (this.reader.unplugged) {
      setImmediate(() => callback(usbError('LIBUSB_TRANSFER_NO_DEVICE', LIBUSB_TRANSFER.NO_DEVICE)));
      return this;
    }
    if (!this.reader.isOpen) throw new Error('Device is not opened'); // a transfer needs the libusb handle
    const waiter: { length: number; callback: InCallback; timer?: NodeJS.Timeout } = { length, callback };
    if (this.timeout > 0 && this.reader.honourTransferTimeouts) {
      waiter.timer = setTimeout(() => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        callback(usbError('LIBUSB_TRANSFER_TIMED_OUT', LIBUSB_TRANSFER.TIMED_OUT), Buffer.alloc(0));
      }, this.timeout);
    }
    this.waiters.push(waiter);
    setImmediate(() => this.pump());
    return this;
  }

  startPoll(): void {
    if (this.polling) throw new Error('Polling already active');
    this.polling = true;
    setImmediate(() => this.pump());
  }

  stopPoll(callback?: () => void): void {
    if (!this.polling) throw new Error('Polling is not active.');
    this.polling = false;
    setImmediate(() => {
      this.emit('end');
      callback?.();
    });
  }

  /** Fail everything pending, as libusb does when the device goes away. */
  failAll(error: UsbError): void {
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      setImmediate(() => waiter.callback(error));
    }
    if (this.polling) {
      this.polling = false;
      setImmediate(() => {
        this.emit('error', error);
        this.emit('end');
      });
    }
  }

  private pump(): void {
    while (this.queue.length) {
      if (this.polling) {
        this.emit('data', Buffer.from(this.queue.shift()!));
        continue;
      }
      const waiter = this.waiters.shift();
      if (!waiter) return;
      clearTimeout(waiter.timer);
      const message = this.queue.shift()!;
      // libusb reports an overflow, and the data is lost, when the device sends more than was asked for.
      if (message.length > waiter.length) waiter.callback(usbError('LIBUSB_TRANSFER_OVERFLOW', LIBUSB_TRANSFER.OVERFLOW));
      else waiter.callback(undefined, Buffer.from(message));
    }
  }
}

class SimulatedOutEndpoint {
  readonly direction = 'out' as const;
  timeout = 0;

  constructor(private readonly reader: SimulatedCcidReader) {}

  transfer(buffer: Buffer, callback?: (error: UsbError | undefined, actual: number) => void): this {
    if (this.reader.unplugged) {
      setImmediate(() => callback?.(usbError('LIBUSB_TRANSFER_NO_DEVICE', LIBUSB_TRANSFER.NO_DEVICE), 0));
      return this;
    }
    if (!this.reader.isOpen) throw new Error('Device is not opened');
    const bytes = new Uint8Array(buffer);
    setImmediate(() => {
      callback?.(undefined, bytes.length);
      this.reader.receive(bytes);
    });
    return this;
  }
}

export class SimulatedCcidReader implements UsbDeviceLike {
  readonly busNumber: number;
  readonly deviceAddress: number;
  readonly portNumbers: number[];
  readonly deviceDescriptor: UsbDeviceLike['deviceDescriptor'];
  readonly configDescriptor: { interfaces: UsbInterfaceDescriptorLike[][] };
  /** Every bulk command received, in order (for assertions on chaining and the ABORT procedure). */
  readonly received: CcidMessage[] = [];
  /** ABORT control requests received, as { slot, seq }. */
  readonly abortRequests: Array<{ slot: number; seq: number }> = [];
  timeExtensions: number;
  timeExtensionIntervalMs: number;
  honourTransferTimeouts: boolean;
  unplugged = false;
  private fault: { kind: ReaderFault; once: boolean } | null = null;
  private openCount = 0;
  private claimed = false;
  private readonly slots: SlotState[];
  private readonly bulkIn = new SimulatedInEndpoint(this);
  private readonly bulkOut = new SimulatedOutEndpoint(this);
  private readonly interrupt: SimulatedInEndpoint | undefined;
  private readonly strings: string[];
  private readonly maxMessageLength: number;
  private readonly exchangeLevel: ExchangeLevel;
  private readonly atr: Uint8Array;

  constructor(private readonly options: SimulatedCcidReaderOptions = {}) {
    this.busNumber = options.busNumber ?? 1;
    this.deviceAddress = options.deviceAddress ?? 5;
    this.portNumbers = options.portNumbers ?? [2];
    this.exchangeLevel = options.exchangeLevel ?? 'extended-apdu';
    this.maxMessageLength = options.maxMessageLength ?? 271;
    this.atr = options.atr ?? DEFAULT_ATR;
    this.timeExtensions = options.timeExtensions ?? 0;
    this.timeExtensionIntervalMs = options.timeExtensionIntervalMs ?? 50;
    this.honourTransferTimeouts = options.honourTransferTimeouts ?? true;
    this.strings = ['', options.manufacturer ?? 'Tessera', options.product ?? 'Simulated CCID contactless reader', options.serialNumber ?? 'SIMCCID-0001'];
    this.deviceDescriptor = { idVendor: options.vendorId ?? 0x1209, idProduct: options.productId ?? 0x0001, iManufacturer: 1, iProduct: 2, iSerialNumber: 3 };
    const slotCount = options.slotCount ?? 1;
    this.slots = Array.from({ length: slotCount }, (_, i) => ({
      card: i === 0 ? (options.card === undefined ? emrtdAppletCard() : options.card) : null,
      powered: false,
      generation: 0,
      removed: deferred(),
      changed: false,
    }));
    if (options.interruptEndpoint !== false) this.interrupt = new SimulatedInEndpoint(this);

    const levelBit = { character: 0, tpdu: FEATURES.tpduLevel, 'short-apdu': FEATURES.shortApduLevel, 'extended-apdu': FEATURES.extendedApduLevel }[this.exchangeLevel];
    const classDescriptor = encodeClassDescriptor({
      bcdCCID: 0x0110,
      slotCount,
      voltageSupport: 0x07,
      protocols: 0x03,
      // automatic parameters, voltage, clock, baud rate, negotiation and PPS: what contactless readers announce
      features: 0x000000fa | levelBit,
      maxMessageLength: this.maxMessageLength,
      maxIfsd: 254,
      bClassGetResponse: 0xff,
      bClassEnvelope: 0xff,
      bPINSupport: 0,
      maxBusySlots: 1,
    });
    const placement = options.classDescriptor ?? 'interface';
    const endpoints: UsbInterfaceDescriptorLike['endpoints'] = [
      { bEndpointAddress: 0x02, bmAttributes: 0x02, wMaxPacketSize: 64, extra: new Uint8Array(0) },
      { bEndpointAddress: 0x81, bmAttributes: 0x02, wMaxPacketSize: 64, extra: new Uint8Array(0) },
      ...(this.interrupt ? [{ bEndpointAddress: 0x83, bmAttributes: 0x03, wMaxPacketSize: 8, extra: new Uint8Array(0) }] : []),
    ];
    if (placement === 'endpoint') endpoints[endpoints.length - 1]!.extra = classDescriptor;
    this.configDescriptor = {
      interfaces: [
        [
          {
            bInterfaceNumber: 0,
            bAlternateSetting: 0,
            bInterfaceClass: options.interfaceClass ?? CCID_INTERFACE_CLASS,
            bInterfaceSubClass: 0,
            bInterfaceProtocol: 0,
            extra: placement === 'interface' ? classDescriptor : new Uint8Array(0),
            endpoints,
          },
        ],
      ],
    };
  }

  // ── The `usb` Device surface ───────────────────────────────────────────────────────────────

  /** Like node-usb, one handle per device: opening twice is a no-op and one close() closes it. */
  open(): void {
    if (this.unplugged) throw usbError('LIBUSB_ERROR_NO_DEVICE', LIBUSB_ERROR.NO_DEVICE);
    if (this.options.denyAccess) throw usbError('LIBUSB_ERROR_ACCESS', LIBUSB_ERROR.ACCESS);
    this.openCount = 1;
  }

  close(): void {
    if (this.openCount === 0) throw new Error('Device is not opened');
    this.openCount = 0;
    this.claimed = false;
  }

  interface(interfaceNumber: number): UsbInterfaceLike {
    if (this.openCount === 0) throw new Error('Device must be open before claiming an interface');
    if (interfaceNumber !== 0) throw usbError('LIBUSB_ERROR_NOT_FOUND', LIBUSB_ERROR.NOT_FOUND);
    return {
      claim: () => {
        if (this.unplugged) throw usbError('LIBUSB_ERROR_NO_DEVICE', LIBUSB_ERROR.NO_DEVICE);
        if (this.options.heldByAnotherProgram || this.claimed) throw usbError('LIBUSB_ERROR_BUSY', LIBUSB_ERROR.BUSY);
        this.claimed = true;
      },
      release: (callback?: (error?: UsbError) => void) => {
        // libusb refuses to release an interface with transfers still pending.
        const pending = this.bulkIn.pendingTransfers > 0;
        if (!pending) this.claimed = false;
        setImmediate(() => callback?.(pending ? usbError('LIBUSB_ERROR_BUSY', LIBUSB_ERROR.BUSY) : undefined));
      },
      endpoint: (address: number) => {
        if (address === 0x81) return this.bulkIn;
        if (address === 0x02) return this.bulkOut;
        if (address === 0x83) return this.interrupt;
        return undefined;
      },
    };
  }

  getStringDescriptor(index: number, callback: (error?: UsbError, value?: string) => void): void {
    if (this.openCount === 0) throw new Error('Device must be open');
    setImmediate(() => {
      // libusb has one handle per device: a close() by another caller in the meantime fails the read.
      if (this.openCount === 0) return callback(usbError('LIBUSB_ERROR_NO_DEVICE', LIBUSB_ERROR.NO_DEVICE));
      const value = this.strings[index];
      return value ? callback(undefined, value) : callback(usbError('LIBUSB_ERROR_PIPE', LIBUSB_ERROR.PIPE));
    });
  }

  controlTransfer(bmRequestType: number, bRequest: number, wValue: number, _wIndex: number, _data: number | Buffer, callback?: (error?: UsbError, data?: Buffer | number) => void): this {
    if (this.unplugged) {
      setImmediate(() => callback?.(usbError('LIBUSB_TRANSFER_NO_DEVICE', LIBUSB_TRANSFER.NO_DEVICE)));
      return this;
    }
    if (bmRequestType === CCID_REQUEST_ABORT.bmRequestType && bRequest === CCID_REQUEST_ABORT.bRequest) {
      this.abortRequests.push({ slot: wValue & 0xff, seq: wValue >> 8 });
      setImmediate(() => callback?.(undefined, 0));
    } else {
      setImmediate(() => callback?.(usbError('LIBUSB_TRANSFER_STALL', LIBUSB_TRANSFER.STALL)));
    }
    return this;
  }

  // ── Test controls ──────────────────────────────────────────────────────────────────────────

  get isOpen(): boolean {
    return this.openCount > 0;
  }

  get isClaimed(): boolean {
    return this.claimed;
  }

  /** Make the reader misbehave, for the next answer only (default) or until cleared with null. */
  setFault(kind: ReaderFault | null, options: { once?: boolean } = {}): void {
    this.fault = kind ? { kind, once: options.once ?? true } : null;
  }

  insertCard(card: SlotCard = emrtdAppletCard(), slot = 0): void {
    const state = this.slots[slot]!;
    this.cutPower(state);
    state.card = card;
    state.powered = false;
    state.removed = deferred();
    state.changed = true;
    this.notifySlotChange();
  }

  removeCard(slot = 0): void {
    const state = this.slots[slot]!;
    this.cutPower(state);
    state.card = null;
    state.powered = false;
    state.generation++;
    state.chainIn = undefined;
    state.chainOut = undefined;
    state.changed = true;
    state.removed.resolve();
    this.notifySlotChange();
  }

  /** The cable is pulled: pending transfers fail with NO_DEVICE and every later call too. */
  unplug(): void {
    this.unplugged = true;
    for (const slot of this.slots) this.cutPower(slot);
    const gone = usbError('LIBUSB_TRANSFER_NO_DEVICE', LIBUSB_TRANSFER.NO_DEVICE);
    this.bulkIn.failAll(gone);
    this.interrupt?.failAll(gone);
  }

  // ── Firmware ──────────────────────────────────────────────────────────────────────────────

  /** The field goes off under a powered card (removal, unplugging): its session ends, whatever it was doing. */
  private cutPower(slot: SlotState): void {
    const card = slot.card;
    if (slot.powered && card && isPoweredCard(card)) void card.powerOff().catch(() => undefined);
    slot.powered = false;
  }

  private notifySlotChange(): void {
    if (!this.interrupt) return;
    // A real reader's interrupt endpoint holds the notice until the host polls; the queue does the same.
    this.interrupt.push(encodeSlotChange(this.slots.map((s) => ({ present: s.card !== null, changed: s.changed }))));
    for (const s of this.slots) s.changed = false;
  }

  /** A bulk-OUT message arrived. */
  receive(bytes: Uint8Array): void {
    let message: CcidMessage;
    try {
      message = decodeMessage(bytes);
    } catch {
      return; // firmware drops what it cannot parse
    }
    this.received.push(message);
    if (this.fault?.kind === 'silent') {
      if (this.fault.once) this.fault = null;
      return;
    }
    void this.handle(message);
  }

  private send(message: CcidMessage, fields: { bStatus: number; bError?: number; specific?: number; data?: Uint8Array; messageType?: number }): void {
    let bytes = encodeResponse({ messageType: fields.messageType ?? RESPONSE_TYPE_FOR[message.messageType] ?? RDR_TO_PC.SlotStatus, slot: message.slot, seq: message.seq, ...fields });
    const fault = this.fault;
    if (fault && fault.kind !== 'silent') {
      if (fault.once) this.fault = null;
      if (fault.kind === 'wrong-seq') bytes[6] = (message.seq + 1) & 0xff;
      if (fault.kind === 'truncated') bytes = bytes.slice(0, bytes.length > 10 ? 10 + Math.floor((bytes.length - 10) / 2) : 6);
    }
    this.bulkIn.push(bytes);
  }

  private failed(message: CcidMessage, slot: SlotState | undefined, bError: number): void {
    const icc = !slot || !slot.card ? 'absent' : slot.powered ? 'present-active' : 'present-inactive';
    this.send(message, { bStatus: encodeStatus(icc, 'failed'), bError });
  }

  private iccStatus(slot: SlotState): 'absent' | 'present-active' | 'present-inactive' {
    return !slot.card ? 'absent' : slot.powered ? 'present-active' : 'present-inactive';
  }

  private async handle(message: CcidMessage): Promise<void> {
    const slot = this.slots[message.slot];
    if (!slot) return this.failed(message, undefined, 5); // bError 5: bSlot (header offset 5) does not exist
    if (message.messageType === PC_TO_RDR.Abort) return this.abort(message, slot);
    if (slot.busy) return this.failed(message, slot, SLOT_ERROR.CMD_SLOT_BUSY);
    switch (message.messageType) {
      case PC_TO_RDR.IccPowerOn:
        if (!slot.card) return this.failed(message, slot, SLOT_ERROR.ICC_MUTE);
        if (isPoweredCard(slot.card)) return this.powerOnCard(message, slot, slot.card);
        slot.powered = true;
        return this.send(message, { bStatus: encodeStatus('present-active', 'ok'), data: this.atr });
      case PC_TO_RDR.IccPowerOff:
        if (slot.card && isPoweredCard(slot.card) && slot.powered) await slot.card.powerOff().catch(() => undefined);
        slot.powered = false;
        return this.send(message, { bStatus: encodeStatus(slot.card ? 'present-inactive' : 'absent', 'ok'), specific: 0x01 });
      case PC_TO_RDR.GetSlotStatus:
        return this.send(message, { bStatus: encodeStatus(this.iccStatus(slot), 'ok') });
      case PC_TO_RDR.GetParameters:
        if (!slot.card) return this.failed(message, slot, SLOT_ERROR.ICC_MUTE);
        // T=1: Fi/Di, TCCKS, guard time, BWI/CWI, clock stop, IFSC, NAD
        return this.send(message, { bStatus: encodeStatus(this.iccStatus(slot), 'ok'), specific: 1, data: Uint8Array.from([0x11, 0x10, 0x00, 0x45, 0x00, 0xfe, 0x00]) });
      case PC_TO_RDR.XfrBlock:
        return this.xfrBlock(message, slot);
      default:
        return this.failed(message, slot, SLOT_ERROR.CMD_NOT_SUPPORTED);
    }
  }

  /** Power a card with its own session on (a reset when it already was); a card that does not come up is mute. */
  private async powerOnCard(message: CcidMessage, slot: SlotState, card: PoweredCard): Promise<void> {
    const busy = { seq: message.seq, messageType: message.messageType, aborted: false };
    slot.busy = busy;
    try {
      if (slot.powered) await card.powerOff().catch(() => undefined);
      slot.powered = false;
      // A card that takes long to come up (another reader's scan) must not look like a silent reader.
      const ticker = setInterval(() => {
        if (!busy.aborted && !this.unplugged) this.send(message, { bStatus: encodeStatus('present-inactive', 'time-extension'), bError: 1 });
      }, POWER_ON_TIME_EXTENSION_MS);
      let atr: Uint8Array | undefined;
      try {
        atr = await card.powerOn();
      } finally {
        clearInterval(ticker);
      }
      if (busy.aborted || this.unplugged) return;
      if (slot.card !== card) return this.failed(message, slot, SLOT_ERROR.ICC_MUTE); // lifted away meanwhile
      slot.powered = true;
      this.send(message, { bStatus: encodeStatus('present-active', 'ok'), data: atr ?? this.atr });
    } catch {
      if (!busy.aborted && !this.unplugged) this.failed(message, slot, SLOT_ERROR.ICC_MUTE);
    } finally {
      if (slot.busy === busy) slot.busy = undefined;
    }
  }

  private async xfrBlock(message: CcidMessage, slot: SlotState): Promise<void> {
    if (!slot.card) return this.failed(message, slot, SLOT_ERROR.ICC_MUTE);
    if (!slot.powered) return this.failed(message, slot, SLOT_ERROR.ICC_MUTE);
    const level = message.b8 | (message.b9 << 8);
    const maxData = this.maxMessageLength - 10;
    const ok = (data: Uint8Array, chain: number) => this.send(message, { bStatus: encodeStatus('present-active', 'ok'), specific: chain, data });
    if (this.exchangeLevel === 'tpdu' || this.exchangeLevel === 'character') return this.failed(message, slot, SLOT_ERROR.CMD_NOT_SUPPORTED); // would need T=1 blocks
    if (this.exchangeLevel === 'short-apdu') {
      if (level !== 0) return this.failed(message, slot, 8); // wLevelParameter (offset 8) must be 0
      if (message.data.length > SHORT_APDU_MAX_COMMAND) return this.failed(message, slot, 1); // dwLength (offset 1)
      return this.runApdu(message, slot, message.data, (answer) => ok(answer, 0));
    }
    const sendAnswer = (answer: Uint8Array) => {
      if (answer.length <= maxData) return ok(answer, CHAIN.complete);
      slot.chainOut = answer.slice(maxData);
      ok(answer.slice(0, maxData), CHAIN.begins);
    };
    switch (level) {
      case CHAIN.complete:
        return this.runApdu(message, slot, message.data, sendAnswer);
      case CHAIN.begins:
        slot.chainIn = [message.data];
        return ok(new Uint8Array(0), CHAIN.nextBlock);
      case CHAIN.continues:
        if (!slot.chainIn) return this.failed(message, slot, 8);
        slot.chainIn.push(message.data);
        return ok(new Uint8Array(0), CHAIN.nextBlock);
      case CHAIN.ends: {
        if (!slot.chainIn) return this.failed(message, slot, 8);
        const parts = [...slot.chainIn, message.data];
        slot.chainIn = undefined;
        const apdu = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        parts.reduce((at, p) => (apdu.set(p, at), at + p.length), 0);
        return this.runApdu(message, slot, apdu, sendAnswer);
      }
      case CHAIN.nextBlock: {
        const rest = slot.chainOut;
        if (!rest) return this.failed(message, slot, 8);
        const last = rest.length <= maxData;
        slot.chainOut = last ? undefined : rest.slice(maxData);
        return ok(rest.slice(0, maxData), last ? CHAIN.ends : CHAIN.continues);
      }
      default:
        return this.failed(message, slot, 8);
    }
  }

  /** Give the APDU to the card, with time extensions first; a card lifted away ends it with ICC absent. */
  private async runApdu(message: CcidMessage, slot: SlotState, apdu: Uint8Array, answer: (response: Uint8Array) => void): Promise<void> {
    const generation = slot.generation;
    const busy = { seq: message.seq, messageType: message.messageType, aborted: false };
    slot.busy = busy;
    const removed = slot.removed.promise.then(() => 'removed' as const);
    try {
      for (let i = 0; i < this.timeExtensions; i++) {
        if ((await Promise.race([delay(this.timeExtensionIntervalMs).then(() => 'ok' as const), removed])) === 'removed' || busy.aborted) break;
        this.send(message, { bStatus: encodeStatus('present-active', 'time-extension'), bError: 1 });
      }
      const card = slot.card;
      const present = !busy.aborted && card && slot.generation === generation ? card : undefined;
      const outcome = !present ? 'removed' : await Promise.race([isPoweredCard(present) ? present.transmit(apdu) : Promise.resolve(present(apdu)), removed]);
      if (busy.aborted || this.unplugged) return; // already answered by the ABORT procedure, or nobody to answer
      if (outcome === 'removed' || slot.generation !== generation) return this.failed(message, slot, SLOT_ERROR.ICC_MUTE);
      answer(outcome);
    } catch {
      if (!busy.aborted) this.failed(message, slot, SLOT_ERROR.HW_ERROR);
    } finally {
      if (slot.busy === busy) slot.busy = undefined;
    }
  }

  /** PC_to_RDR_Abort: end the command in progress with CMD_ABORTED, then confirm with a slot status. */
  private abort(message: CcidMessage, slot: SlotState): void {
    const requested = this.abortRequests.some((r) => r.slot === message.slot && r.seq === message.seq);
    if (requested && slot.busy && slot.busy.seq === message.seq) {
      slot.busy.aborted = true;
      this.send({ ...message, messageType: slot.busy.messageType }, { bStatus: encodeStatus(this.iccStatus(slot), 'failed'), bError: SLOT_ERROR.CMD_ABORTED });
      slot.busy = undefined;
    }
    this.send(message, { bStatus: encodeStatus(this.iccStatus(slot), 'ok'), messageType: RDR_TO_PC.SlotStatus });
  }
}

/** A USB bus holding simulated devices, with the `usb` module's attach/detach events. */
export class SimulatedUsbBus extends EventEmitter implements UsbBackend {
  private readonly devices: UsbDeviceLike[];

  constructor(devices: UsbDeviceLike[] = []) {
    super();
    this.devices = [...devices];
  }

  getDeviceList(): UsbDeviceLike[] {
    return [...this.devices];
  }

  attach(device: UsbDeviceLike): void {
    this.devices.push(device);
    this.emit('attach', device);
  }

  detach(device: UsbDeviceLike): void {
    const at = this.devices.indexOf(device);
    if (at >= 0) this.devices.splice(at, 1);
    if (device instanceof SimulatedCcidReader) device.unplug();
    this.emit('detach', device);
  }
}
