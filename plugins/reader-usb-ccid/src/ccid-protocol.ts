/**
 * The USB CCID 1.1 wire format, with no I/O: the 10-byte bulk message header, the PC_to_RDR commands
 * this driver sends, the RDR_to_PC answers it accepts, the interrupt-IN slot-change notice, the
 * class descriptor a reader publishes, and the plugin's CCID_* error codes. Everything here is a
 * pure function of bytes, so the session and the simulated reader share one definition of the format.
 */
import { TesseraError } from '@tessera/sdk';

// ── Message types ─────────────────────────────────────────────────────────────────────────────

export const PC_TO_RDR = {
  IccPowerOn: 0x62,
  IccPowerOff: 0x63,
  GetSlotStatus: 0x65,
  GetParameters: 0x6c,
  XfrBlock: 0x6f,
  Abort: 0x72,
} as const;

export const RDR_TO_PC = {
  DataBlock: 0x80,
  SlotStatus: 0x81,
  Parameters: 0x82,
  /** Interrupt-IN: a card arrived in or left a slot. */
  NotifySlotChange: 0x50,
  /** Interrupt-IN: the reader reports a hardware fault (e.g. overcurrent) on a slot. */
  HardwareError: 0x51,
} as const;

/** The answer message type each command gets (CCID 1.1 §6.2). */
export const RESPONSE_TYPE_FOR: Readonly<Record<number, number>> = {
  [PC_TO_RDR.IccPowerOn]: RDR_TO_PC.DataBlock,
  [PC_TO_RDR.XfrBlock]: RDR_TO_PC.DataBlock,
  [PC_TO_RDR.IccPowerOff]: RDR_TO_PC.SlotStatus,
  [PC_TO_RDR.GetSlotStatus]: RDR_TO_PC.SlotStatus,
  [PC_TO_RDR.Abort]: RDR_TO_PC.SlotStatus,
  [PC_TO_RDR.GetParameters]: RDR_TO_PC.Parameters,
};

export const CCID_HEADER_LENGTH = 10;
export const CCID_INTERFACE_CLASS = 0x0b;
export const CCID_CLASS_DESCRIPTOR_TYPE = 0x21;
export const CCID_CLASS_DESCRIPTOR_LENGTH = 0x36;
/** Class-specific control request ABORT (bmRequestType 0x21: host-to-device, class, interface). */
export const CCID_REQUEST_ABORT = { bmRequestType: 0x21, bRequest: 0x01 } as const;

/** bPowerSelect of PC_to_RDR_IccPowerOn. */
export const POWER_SELECT = { automatic: 0x00, v5: 0x01, v3: 0x02, v1_8: 0x03 } as const;

/**
 * wLevelParameter (command) and bChainParameter (answer) at the extended-APDU exchange level.
 * The same numbers mean "the command goes on" when the host sends them and "the response goes on"
 * when the reader does; 0x10 is the empty block that asks the other side for its next block.
 */
export const CHAIN = {
  complete: 0x00,
  begins: 0x01,
  ends: 0x02,
  continues: 0x03,
  nextBlock: 0x10,
} as const;

// ── Errors ────────────────────────────────────────────────────────────────────────────────────

/** The plugin's own stable error codes (the ReaderDriver contract's TSR_READER_* codes come on top). */
export const CCID_ERROR_CODES = {
  CCID_TRUNCATED_RESPONSE: "The reader's message is shorter than its 10-byte header or than the length its header announces.",
  CCID_MALFORMED_RESPONSE: 'The reader answered with the wrong message type or slot, an oversized length, or an empty APDU response.',
  CCID_SEQUENCE_MISMATCH: 'The reader answered with a bSeq that belongs to no command in flight.',
  CCID_TIMEOUT: 'The reader sent nothing within the command timeout.',
  CCID_TIME_EXTENSION_LIMIT: 'The reader kept asking for more time (time extensions) beyond the configured limit.',
  CCID_COMMAND_FAILED: 'The reader reported the command as failed; details.bError names the reason.',
  CCID_CARD_REMOVED: 'The card left the reader during a chip session.',
  CCID_CARD_MUTE: 'A card is in the field but does not answer.',
  CCID_APDU_INVALID: 'The command APDU is shorter than the 4-byte header.',
  CCID_APDU_TOO_LONG: 'The command APDU is longer than this reader carries (short-APDU readers carry at most 261 bytes).',
  CCID_EXCHANGE_LEVEL_UNSUPPORTED: 'The reader only exchanges TPDUs or characters; this driver needs a short- or extended-APDU level reader.',
  CCID_DESCRIPTOR_INVALID: "The interface's CCID class descriptor or its bulk endpoints are missing or malformed.",
  CCID_USB_ACCESS_DENIED: 'The operating system refused to open the USB device (permissions).',
  CCID_INTERFACE_IN_USE: 'Another program (typically pcscd) holds the reader interface.',
  CCID_USB_TRANSFER_FAILED: 'A USB transfer failed (stall, overflow or another libusb error).',
  CCID_DEVICE_DISCONNECTED: 'The reader was unplugged during a session.',
  CCID_HARDWARE_ERROR: 'The reader reported a hardware error (e.g. overcurrent) on the slot.',
  CCID_TRANSPORT_CLOSED: 'The chip transport was used after it was closed.',
  CCID_CHIP_SOURCE_UNAVAILABLE: "A simulated reader's card is another reader's chip (configuration simulatedReaders), and that reader driver is not loaded, its device failed to scan, or it presented no chip.",
} as const;

export type CcidErrorCode = keyof typeof CCID_ERROR_CODES;

export function ccidError(code: CcidErrorCode, message: string, options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}): TesseraError {
  return new TesseraError(code, message, options);
}

// ── bStatus and bError ────────────────────────────────────────────────────────────────────────

export type IccStatus = 'present-active' | 'present-inactive' | 'absent' | 'rfu';
export type CommandStatus = 'ok' | 'failed' | 'time-extension' | 'rfu';

const ICC_STATUS: readonly IccStatus[] = ['present-active', 'present-inactive', 'absent', 'rfu'];
const COMMAND_STATUS: readonly CommandStatus[] = ['ok', 'failed', 'time-extension', 'rfu'];

export function iccStatusOf(bStatus: number): IccStatus {
  return ICC_STATUS[bStatus & 0x03]!;
}

export function commandStatusOf(bStatus: number): CommandStatus {
  return COMMAND_STATUS[(bStatus >> 6) & 0x03]!;
}

export function encodeStatus(icc: Exclude<IccStatus, 'rfu'>, command: Exclude<CommandStatus, 'rfu'>): number {
  return (COMMAND_STATUS.indexOf(command) << 6) | ICC_STATUS.indexOf(icc);
}

/** Slot error register values when bmCommandStatus is "failed" (CCID 1.1 §6.2.6). */
export const SLOT_ERROR = {
  CMD_ABORTED: 0xff,
  ICC_MUTE: 0xfe,
  XFR_PARITY_ERROR: 0xfd,
  XFR_OVERRUN: 0xfc,
  HW_ERROR: 0xfb,
  BAD_ATR_TS: 0xf8,
  BAD_ATR_TCK: 0xf7,
  ICC_PROTOCOL_NOT_SUPPORTED: 0xf6,
  ICC_CLASS_NOT_SUPPORTED: 0xf5,
  PROCEDURE_BYTE_CONFLICT: 0xf4,
  DEACTIVATED_PROTOCOL: 0xf3,
  BUSY_WITH_AUTO_SEQUENCE: 0xf2,
  PIN_TIMEOUT: 0xf0,
  PIN_CANCELLED: 0xef,
  CMD_SLOT_BUSY: 0xe0,
  CMD_NOT_SUPPORTED: 0x00,
} as const;

const SLOT_ERROR_NAMES = new Map<number, string>(Object.entries(SLOT_ERROR).map(([name, value]) => [value, name]));

/** A readable name for bError; 0x01–0x7F point at the offending header byte, 0x81–0xC0 are vendor codes. */
export function slotErrorName(bError: number): string {
  const known = SLOT_ERROR_NAMES.get(bError);
  if (known) return known;
  if (bError >= 0x01 && bError <= 0x7f) return `BAD_PARAMETER_AT_OFFSET_${bError}`;
  if (bError >= 0x81 && bError <= 0xc0) return `VENDOR_ERROR_0x${hex8(bError)}`;
  return `RFU_0x${hex8(bError)}`;
}

// ── Bulk messages ─────────────────────────────────────────────────────────────────────────────

export interface CcidCommand {
  messageType: number;
  slot: number;
  seq: number;
  /** Header bytes 7–9, whose meaning depends on the message type. */
  specific?: readonly [number, number, number];
  data?: Uint8Array;
}

export function encodeCommand(command: CcidCommand): Uint8Array {
  const data = command.data ?? new Uint8Array(0);
  const out = new Uint8Array(CCID_HEADER_LENGTH + data.length);
  const view = new DataView(out.buffer);
  out[0] = command.messageType;
  view.setUint32(1, data.length, true);
  out[5] = command.slot & 0xff;
  out[6] = command.seq & 0xff;
  const [a, b, c] = command.specific ?? [0, 0, 0];
  out[7] = a;
  out[8] = b;
  out[9] = c;
  out.set(data, CCID_HEADER_LENGTH);
  return out;
}

/** Builders for the commands the driver sends; each returns the full bulk-OUT message. */
export const commands = {
  iccPowerOn: (slot: number, seq: number, powerSelect: number = POWER_SELECT.automatic) => encodeCommand({ messageType: PC_TO_RDR.IccPowerOn, slot, seq, specific: [powerSelect, 0, 0] }),
  iccPowerOff: (slot: number, seq: number) => encodeCommand({ messageType: PC_TO_RDR.IccPowerOff, slot, seq }),
  getSlotStatus: (slot: number, seq: number) => encodeCommand({ messageType: PC_TO_RDR.GetSlotStatus, slot, seq }),
  getParameters: (slot: number, seq: number) => encodeCommand({ messageType: PC_TO_RDR.GetParameters, slot, seq }),
  abort: (slot: number, seq: number) => encodeCommand({ messageType: PC_TO_RDR.Abort, slot, seq }),
  /** bBWI is only meaningful at TPDU/character level, so APDU-level exchanges send 0. */
  xfrBlock: (slot: number, seq: number, data: Uint8Array, levelParameter: number = CHAIN.complete, bwi = 0) =>
    encodeCommand({ messageType: PC_TO_RDR.XfrBlock, slot, seq, specific: [bwi, levelParameter & 0xff, (levelParameter >> 8) & 0xff], data }),
};

/** A decoded bulk message in either direction (the reader side reads commands with the same layout). */
export interface CcidMessage {
  messageType: number;
  /** dwLength: bytes of data after the header. */
  length: number;
  slot: number;
  seq: number;
  /** Header bytes 7, 8 and 9 as sent. */
  b7: number;
  b8: number;
  b9: number;
  data: Uint8Array;
}

export interface CcidResponse extends CcidMessage {
  bStatus: number;
  bError: number;
  iccStatus: IccStatus;
  commandStatus: CommandStatus;
  /** Byte 9: bChainParameter (DataBlock), bClockStatus (SlotStatus) or bProtocolNum (Parameters). */
  specific: number;
}

/**
 * Split a bulk message into header and data. Bytes beyond dwLength are ignored (some readers pad to
 * the packet size); fewer than the header announces is a truncated message.
 */
export function decodeMessage(bytes: Uint8Array, maxMessageLength = Infinity): CcidMessage {
  if (bytes.length < CCID_HEADER_LENGTH) {
    throw ccidError('CCID_TRUNCATED_RESPONSE', `The reader sent ${bytes.length} bytes, fewer than a CCID header (10).`, {
      hint: 'Unplug and replug the reader; if it keeps happening, the reader or its cable is faulty.',
      details: { received: bytes.length },
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(1, true);
  if (CCID_HEADER_LENGTH + length > maxMessageLength) {
    throw ccidError('CCID_MALFORMED_RESPONSE', `The reader announced ${length} data bytes, more than its maximum message length allows (${maxMessageLength}).`, {
      hint: 'The reader firmware misbehaves; try another reader.',
      details: { dwLength: length, maxMessageLength },
    });
  }
  if (bytes.length < CCID_HEADER_LENGTH + length) {
    throw ccidError('CCID_TRUNCATED_RESPONSE', `The reader's message announces ${length} data bytes but carries ${bytes.length - CCID_HEADER_LENGTH}.`, {
      hint: 'Scan again; if it keeps happening, try another USB port or cable.',
      details: { dwLength: length, received: bytes.length - CCID_HEADER_LENGTH },
    });
  }
  return {
    messageType: bytes[0]!,
    length,
    slot: bytes[5]!,
    seq: bytes[6]!,
    b7: bytes[7]!,
    b8: bytes[8]!,
    b9: bytes[9]!,
    data: bytes.slice(CCID_HEADER_LENGTH, CCID_HEADER_LENGTH + length),
  };
}

export function decodeResponse(bytes: Uint8Array, maxMessageLength = Infinity): CcidResponse {
  const message = decodeMessage(bytes, maxMessageLength);
  return {
    ...message,
    bStatus: message.b7,
    bError: message.b8,
    iccStatus: iccStatusOf(message.b7),
    commandStatus: commandStatusOf(message.b7),
    specific: message.b9,
  };
}

export interface ResponseFields {
  messageType: number;
  slot: number;
  seq: number;
  bStatus: number;
  bError?: number;
  specific?: number;
  data?: Uint8Array;
}

/** Encode an RDR_to_PC message (used by the simulated reader and by tests). */
export function encodeResponse(fields: ResponseFields): Uint8Array {
  return encodeCommand({
    messageType: fields.messageType,
    slot: fields.slot,
    seq: fields.seq,
    specific: [fields.bStatus, fields.bError ?? 0, fields.specific ?? 0],
    ...(fields.data ? { data: fields.data } : {}),
  });
}

/** T=0 / T=1, from RDR_to_PC_Parameters' bProtocolNum. */
export function protocolName(bProtocolNum: number): string {
  return bProtocolNum === 0 ? 'T=0' : bProtocolNum === 1 ? 'T=1' : `protocol ${bProtocolNum}`;
}

// ── Interrupt-IN messages ─────────────────────────────────────────────────────────────────────

export interface SlotChange {
  slot: number;
  present: boolean;
  changed: boolean;
}

export type InterruptMessage =
  | { type: 'slot-change'; slots: SlotChange[] }
  | { type: 'hardware-error'; slot: number; seq: number; code: number }
  | { type: 'unknown'; messageType: number };

/** Two bits per slot, slot 0 in the low bits: bit 0 = card present now, bit 1 = changed since the last notice. */
export function encodeSlotChange(slots: ReadonlyArray<{ present: boolean; changed: boolean }>): Uint8Array {
  const out = new Uint8Array(1 + Math.ceil((slots.length * 2) / 8));
  out[0] = RDR_TO_PC.NotifySlotChange;
  slots.forEach((s, i) => {
    const bits = (s.present ? 1 : 0) | (s.changed ? 2 : 0);
    out[1 + (i >> 2)]! |= bits << ((i & 3) * 2);
  });
  return out;
}

export function decodeInterruptMessage(bytes: Uint8Array, slotCount: number): InterruptMessage {
  const type = bytes[0];
  if (type === RDR_TO_PC.NotifySlotChange) {
    const slots: SlotChange[] = [];
    for (let slot = 0; slot < slotCount; slot++) {
      const byte = bytes[1 + (slot >> 2)];
      if (byte === undefined) break; // a reader that sends fewer bytes tells us nothing about later slots
      const bits = (byte >> ((slot & 3) * 2)) & 0x03;
      slots.push({ slot, present: (bits & 1) !== 0, changed: (bits & 2) !== 0 });
    }
    return { type: 'slot-change', slots };
  }
  if (type === RDR_TO_PC.HardwareError && bytes.length >= 4) return { type: 'hardware-error', slot: bytes[1]!, seq: bytes[2]!, code: bytes[3]! };
  return { type: 'unknown', messageType: type ?? -1 };
}

// ── The CCID class descriptor ─────────────────────────────────────────────────────────────────

export type ExchangeLevel = 'character' | 'tpdu' | 'short-apdu' | 'extended-apdu';

/** dwFeatures bits this driver reads. */
export const FEATURES = {
  automaticVoltage: 0x00000008,
  exchangeLevelMask: 0x00070000,
  tpduLevel: 0x00010000,
  shortApduLevel: 0x00020000,
  extendedApduLevel: 0x00040000,
} as const;

export interface CcidClassDescriptor {
  bcdCCID: number;
  /** bMaxSlotIndex + 1. */
  slotCount: number;
  /** bVoltageSupport: 0x01 5 V, 0x02 3 V, 0x04 1.8 V. */
  voltageSupport: number;
  /** dwProtocols: bit 0 T=0, bit 1 T=1. */
  protocols: number;
  features: number;
  exchangeLevel: ExchangeLevel;
  /** dwMaxCCIDMessageLength: the largest bulk message, header included. */
  maxMessageLength: number;
  maxIfsd: number;
  bClassGetResponse: number;
  bClassEnvelope: number;
  bPINSupport: number;
  maxBusySlots: number;
}

export function exchangeLevelOf(features: number): ExchangeLevel {
  if (features & FEATURES.extendedApduLevel) return 'extended-apdu';
  if (features & FEATURES.shortApduLevel) return 'short-apdu';
  if (features & FEATURES.tpduLevel) return 'tpdu';
  return 'character';
}

/**
 * Find and parse the CCID class descriptor among an interface's extra descriptor bytes (a chain of
 * bLength/bDescriptorType records). Returns undefined when there is none; a record of the right
 * type that is too short is a malformed descriptor.
 */
export function parseClassDescriptor(extra: Uint8Array): CcidClassDescriptor | undefined {
  for (let at = 0; at + 2 <= extra.length; ) {
    const length = extra[at]!;
    if (length < 2) break; // a zero length would loop forever; the rest is unparseable
    if (extra[at + 1] === CCID_CLASS_DESCRIPTOR_TYPE) {
      if (length < CCID_CLASS_DESCRIPTOR_LENGTH || at + CCID_CLASS_DESCRIPTOR_LENGTH > extra.length) {
        throw ccidError('CCID_DESCRIPTOR_INVALID', `The CCID class descriptor is ${Math.min(length, extra.length - at)} bytes long; 54 are required.`, {
          hint: 'This reader does not follow the USB CCID specification; it cannot be used without its vendor driver.',
        });
      }
      return decodeClassDescriptor(extra.subarray(at, at + CCID_CLASS_DESCRIPTOR_LENGTH));
    }
    at += length;
  }
  return undefined;
}

function decodeClassDescriptor(d: Uint8Array): CcidClassDescriptor {
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const features = view.getUint32(40, true);
  return {
    bcdCCID: view.getUint16(2, true),
    slotCount: d[4]! + 1,
    voltageSupport: d[5]!,
    protocols: view.getUint32(6, true),
    maxIfsd: view.getUint32(28, true),
    features,
    exchangeLevel: exchangeLevelOf(features),
    maxMessageLength: view.getUint32(44, true),
    bClassGetResponse: d[48]!,
    bClassEnvelope: d[49]!,
    bPINSupport: d[52]!,
    maxBusySlots: d[53]!,
  };
}

/** The 54-byte descriptor, for the simulated reader. Clock and data-rate fields get plausible ISO 7816 values. */
export function encodeClassDescriptor(d: Omit<CcidClassDescriptor, 'exchangeLevel'>): Uint8Array {
  const out = new Uint8Array(CCID_CLASS_DESCRIPTOR_LENGTH);
  const view = new DataView(out.buffer);
  out[0] = CCID_CLASS_DESCRIPTOR_LENGTH;
  out[1] = CCID_CLASS_DESCRIPTOR_TYPE;
  view.setUint16(2, d.bcdCCID, true);
  out[4] = d.slotCount - 1;
  out[5] = d.voltageSupport;
  view.setUint32(6, d.protocols, true);
  view.setUint32(10, 4000, true); // dwDefaultClock, kHz
  view.setUint32(14, 4000, true); // dwMaximumClock
  out[18] = 0;
  view.setUint32(19, 10752, true); // dwDataRate, bps (4 MHz / 372)
  view.setUint32(23, 10752, true);
  out[27] = 0;
  view.setUint32(28, d.maxIfsd, true);
  view.setUint32(32, 0, true);
  view.setUint32(36, 0, true);
  view.setUint32(40, d.features, true);
  view.setUint32(44, d.maxMessageLength, true);
  out[48] = d.bClassGetResponse;
  out[49] = d.bClassEnvelope;
  view.setUint16(50, 0, true);
  out[52] = d.bPINSupport;
  out[53] = d.maxBusySlots;
  return out;
}

// ── APDU limits ───────────────────────────────────────────────────────────────────────────────

/** CLA INS P1 P2, Lc (1), 255 data bytes, Le (1). */
export const SHORT_APDU_MAX_COMMAND = 261;
/** 256 data bytes and SW1 SW2. */
export const SHORT_APDU_MAX_RESPONSE = 258;
/** CLA INS P1 P2, Lc (3), 65535 data bytes, Le (2). */
export const EXTENDED_APDU_MAX_COMMAND = 65544;
/** 65536 data bytes and SW1 SW2. */
export const EXTENDED_APDU_MAX_RESPONSE = 65538;

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}

export function hex8(n: number): string {
  return n.toString(16).padStart(2, '0').toUpperCase();
}

export function hex16(n: number): string {
  return n.toString(16).padStart(4, '0').toUpperCase();
}
