// The CCID wire format byte for byte: headers, statuses, bError names, the class descriptor (and
// where readers hide it), slot-change notices, and how short or oversized messages are refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CHAIN,
  FEATURES,
  PC_TO_RDR,
  RDR_TO_PC,
  commands,
  decodeInterruptMessage,
  decodeResponse,
  encodeClassDescriptor,
  encodeResponse,
  encodeSlotChange,
  encodeStatus,
  exchangeLevelOf,
  parseClassDescriptor,
  slotErrorName,
} from './ccid-protocol.js';
import { describeCcidInterface } from './ccid-session.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

const descriptorFields = {
  bcdCCID: 0x0110,
  slotCount: 1,
  voltageSupport: 0x07,
  protocols: 0x03,
  features: 0x000400fe,
  maxMessageLength: 271,
  maxIfsd: 254,
  bClassGetResponse: 0xff,
  bClassEnvelope: 0xff,
  bPINSupport: 0,
  maxBusySlots: 1,
};

test('PC_to_RDR_IccPowerOn, IccPowerOff, GetSlotStatus and GetParameters: 10-byte headers', () => {
  assert.equal([...commands.iccPowerOn(0, 7, 0x01)], [0x62, 0, 0, 0, 0, 0, 7, 0x01, 0, 0]);
  assert.equal([...commands.iccPowerOff(1, 8)], [0x63, 0, 0, 0, 0, 1, 8, 0, 0, 0]);
  assert.equal([...commands.getSlotStatus(0, 255)], [0x65, 0, 0, 0, 0, 0, 255, 0, 0, 0]);
  assert.equal([...commands.getParameters(0, 1)], [0x6c, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
  // bSeq wraps at one byte
  assert.is(commands.getSlotStatus(0, 256)[6], 0);
});

test('PC_to_RDR_XfrBlock: dwLength and wLevelParameter little-endian, data after the header', () => {
  const data = new Uint8Array(300).fill(0xab);
  const msg = commands.xfrBlock(2, 9, data, CHAIN.nextBlock);
  assert.is(msg.length, 310);
  assert.equal([...msg.subarray(0, 10)], [PC_TO_RDR.XfrBlock, 0x2c, 0x01, 0, 0, 2, 9, 0, 0x10, 0x00]);
  assert.is(msg[10], 0xab);
  assert.is(commands.xfrBlock(0, 0, data, 0x0203)[8], 0x03);
  assert.is(commands.xfrBlock(0, 0, data, 0x0203)[9], 0x02);
});

test('RDR_to_PC_DataBlock decodes bStatus (ICC and command status), bError, bChainParameter and data', () => {
  const bytes = encodeResponse({ messageType: RDR_TO_PC.DataBlock, slot: 0, seq: 4, bStatus: 0x00, specific: CHAIN.begins, data: Uint8Array.from([0x90, 0x00]) });
  const r = decodeResponse(bytes);
  assert.is(r.messageType, RDR_TO_PC.DataBlock);
  assert.is(r.seq, 4);
  assert.is(r.iccStatus, 'present-active');
  assert.is(r.commandStatus, 'ok');
  assert.is(r.specific, CHAIN.begins);
  assert.equal([...r.data], [0x90, 0x00]);

  const absentFailed = decodeResponse(encodeResponse({ messageType: RDR_TO_PC.SlotStatus, slot: 0, seq: 0, bStatus: 0x42, bError: 0xfe }));
  assert.is(absentFailed.iccStatus, 'absent');
  assert.is(absentFailed.commandStatus, 'failed');
  assert.is(slotErrorName(absentFailed.bError), 'ICC_MUTE');

  const extension = decodeResponse(encodeResponse({ messageType: RDR_TO_PC.DataBlock, slot: 0, seq: 0, bStatus: 0x80, bError: 2 }));
  assert.is(extension.commandStatus, 'time-extension');
  assert.is(extension.iccStatus, 'present-active');
  assert.is(decodeResponse(encodeResponse({ messageType: RDR_TO_PC.SlotStatus, slot: 0, seq: 0, bStatus: 0x01 })).iccStatus, 'present-inactive');
  assert.is(encodeStatus('absent', 'failed'), 0x42);
  assert.is(encodeStatus('present-active', 'time-extension'), 0x80);
});

test('RDR_to_PC_Parameters carries bProtocolNum in byte 9', () => {
  const r = decodeResponse(encodeResponse({ messageType: RDR_TO_PC.Parameters, slot: 0, seq: 1, bStatus: 0, specific: 1, data: new Uint8Array(7) }));
  assert.is(r.specific, 1);
  assert.is(r.data.length, 7);
});

test('a message shorter than its header or its dwLength is CCID_TRUNCATED_RESPONSE; an oversized one is malformed', () => {
  assert.is(codeOf(() => decodeResponse(Uint8Array.from([0x80, 0, 0]))), 'CCID_TRUNCATED_RESPONSE');
  const full = encodeResponse({ messageType: RDR_TO_PC.DataBlock, slot: 0, seq: 0, bStatus: 0, data: new Uint8Array(20) });
  assert.is(codeOf(() => decodeResponse(full.subarray(0, 20))), 'CCID_TRUNCATED_RESPONSE');
  assert.is(codeOf(() => decodeResponse(full, 25)), 'CCID_MALFORMED_RESPONSE');
  // Padding after the announced data (some readers fill their last packet) is ignored.
  const padded = new Uint8Array(full.length + 5);
  padded.set(full);
  assert.is(decodeResponse(padded).data.length, 20);
});

test('bError names: the specification codes, parameter offsets, vendor and RFU ranges', () => {
  assert.is(slotErrorName(0xff), 'CMD_ABORTED');
  assert.is(slotErrorName(0xfe), 'ICC_MUTE');
  assert.is(slotErrorName(0xfb), 'HW_ERROR');
  assert.is(slotErrorName(0xf6), 'ICC_PROTOCOL_NOT_SUPPORTED');
  assert.is(slotErrorName(0xe0), 'CMD_SLOT_BUSY');
  assert.is(slotErrorName(0x00), 'CMD_NOT_SUPPORTED');
  assert.is(slotErrorName(0x05), 'BAD_PARAMETER_AT_OFFSET_5');
  assert.is(slotErrorName(0x90), 'VENDOR_ERROR_0x90');
  assert.is(slotErrorName(0x80), 'RFU_0x80');
});

test('the class descriptor round-trips and is found after other descriptors in the extra bytes', () => {
  const encoded = encodeClassDescriptor(descriptorFields);
  assert.is(encoded.length, 54);
  assert.is(encoded[1], 0x21);
  const other = Uint8Array.from([0x05, 0x24, 0x01, 0x02, 0x03]); // some unrelated class-specific record first
  const extra = new Uint8Array(other.length + encoded.length);
  extra.set(other);
  extra.set(encoded, other.length);
  const d = parseClassDescriptor(extra)!;
  assert.is(d.slotCount, 1);
  assert.is(d.maxMessageLength, 271);
  assert.is(d.exchangeLevel, 'extended-apdu');
  assert.is(d.features, 0x000400fe);
  assert.is(d.bcdCCID, 0x0110);
  assert.is(parseClassDescriptor(new Uint8Array(0)), undefined);
  assert.is(parseClassDescriptor(other), undefined);
  assert.is(codeOf(() => parseClassDescriptor(encoded.subarray(0, 30))), 'CCID_DESCRIPTOR_INVALID');
});

test('dwFeatures: the exchange level', () => {
  assert.is(exchangeLevelOf(FEATURES.extendedApduLevel | 0xfe), 'extended-apdu');
  assert.is(exchangeLevelOf(FEATURES.shortApduLevel), 'short-apdu');
  assert.is(exchangeLevelOf(FEATURES.tpduLevel | 0x02), 'tpdu');
  assert.is(exchangeLevelOf(0x02), 'character');
});

test('a CCID interface: class descriptor after the interface or after the endpoints, bulk pair required', () => {
  const cd = encodeClassDescriptor({ ...descriptorFields, slotCount: 2 });
  const endpoints = [
    { bEndpointAddress: 0x02, bmAttributes: 2, wMaxPacketSize: 64 },
    { bEndpointAddress: 0x81, bmAttributes: 2, wMaxPacketSize: 64 },
    { bEndpointAddress: 0x83, bmAttributes: 3, wMaxPacketSize: 8, extra: cd },
  ];
  const alt = { bInterfaceNumber: 1, bAlternateSetting: 0, bInterfaceClass: 0x0b, bInterfaceSubClass: 0, bInterfaceProtocol: 0, extra: new Uint8Array(0), endpoints };
  const info = describeCcidInterface(alt);
  assert.is(info.interfaceNumber, 1);
  assert.is(info.descriptor.slotCount, 2);
  assert.is(info.bulkIn, 0x81);
  assert.is(info.bulkOut, 0x02);
  assert.is(info.interruptIn, 0x83);
  assert.is(codeOf(() => describeCcidInterface({ ...alt, endpoints: endpoints.map((e) => ({ ...e, extra: new Uint8Array(0) })) })), 'CCID_DESCRIPTOR_INVALID');
  assert.is(codeOf(() => describeCcidInterface({ ...alt, extra: cd, endpoints: endpoints.slice(1) })), 'CCID_DESCRIPTOR_INVALID');
});

test('RDR_to_PC_NotifySlotChange: two bits per slot; RDR_to_PC_HardwareError', () => {
  const one = encodeSlotChange([{ present: false, changed: true }]);
  assert.equal([...one], [0x50, 0x02]);
  assert.equal(decodeInterruptMessage(one, 1), { type: 'slot-change', slots: [{ slot: 0, present: false, changed: true }] });
  const five = encodeSlotChange([
    { present: true, changed: false },
    { present: false, changed: false },
    { present: true, changed: true },
    { present: false, changed: false },
    { present: true, changed: true },
  ]);
  assert.equal([...five], [0x50, 0b00110001, 0b00000011]);
  const decoded = decodeInterruptMessage(five, 5);
  assert.ok(decoded.type === 'slot-change');
  assert.equal(decoded.slots.map((s) => [s.present, s.changed]), [[true, false], [false, false], [true, true], [false, false], [true, true]]);
  assert.equal(decodeInterruptMessage(Uint8Array.from([0x51, 0, 3, 0x01]), 1), { type: 'hardware-error', slot: 0, seq: 3, code: 1 });
  assert.is(decodeInterruptMessage(Uint8Array.from([0x99]), 1).type, 'unknown');
});

test.run();
