// The chip transport against the simulated reader: APDU exchange, extended APDUs chained through a
// 271-byte reader, time extensions, every misbehaviour the reader can show (wrong bSeq, truncated
// answers, silence), cancellation with the CCID ABORT procedure, and the card lifted mid-read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChipTransport } from '@tessera/sdk';
import { CHAIN, PC_TO_RDR } from './ccid-protocol.js';
import { UsbCcidDriver, type UsbCcidDriverOptions } from './ccid-driver.js';
import { DEFAULT_ATR, EMRTD_AID, SimulatedCcidReader, SimulatedUsbBus, emrtdAppletCard, statusWord, type SimulatedCard, type SimulatedCcidReaderOptions } from './simulated-ccid-device.js';

const SELECT_EMRTD = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, EMRTD_AID.length, ...EMRTD_AID]);
const SELECT_OTHER = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, 0x02, 0x3f, 0x00]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sw = (response: Uint8Array) => ((response[response.length - 2]! << 8) | response[response.length - 1]!).toString(16).toUpperCase();

async function openChip(readerOptions: SimulatedCcidReaderOptions = {}, driverOptions: UsbCcidDriverOptions = {}) {
  const reader = new SimulatedCcidReader(readerOptions);
  const driver = new UsbCcidDriver({ usb: new SimulatedUsbBus([reader]), commandTimeoutMs: 500, ...driverOptions });
  const result = await driver.scan('usb-ccid:1-2');
  return { reader, driver, result, chip: result.chip! };
}

async function rejection(work: Promise<unknown>): Promise<{ code?: string; hint?: string; message: string; ms: number }> {
  const started = Date.now();
  try {
    await work;
  } catch (error) {
    const e = error as { code?: string; hint?: string; message: string };
    return { code: e.code, hint: e.hint, message: e.message, ms: Date.now() - started };
  }
  throw new Error('expected a rejection');
}

/** Answers every command after `ms`, so a test can act while the command is in flight. */
function slowCard(ms: number, inner: SimulatedCard = emrtdAppletCard()): SimulatedCard {
  return async (apdu) => {
    await sleep(ms);
    return inner(apdu);
  };
}

async function settle(chip: ChipTransport, driver: UsbCcidDriver) {
  await chip.close();
  await driver.close();
}

test('SELECT of the eMRTD application answers 9000, anything else 6D00; the ATR comes with the scan', async () => {
  const { reader, driver, result, chip } = await openChip();
  assert.equal([...chip.atr!], [...DEFAULT_ATR]);
  assert.is(result.metadata?.atr, '3B80800101');
  assert.is(result.metadata?.protocol, 'T=1');
  assert.is(chip.maxCommandLength, 65544);
  assert.is(chip.maxResponseLength, 65538);
  assert.is(sw(await chip.transmit(SELECT_EMRTD)), '9000');
  assert.is(sw(await chip.transmit(SELECT_OTHER)), '6D00');
  const seqs = reader.received.map((m) => m.seq);
  assert.equal(seqs, seqs.map((_, i) => i), 'bSeq counts up by one per command');
  await settle(chip, driver);
});

test('an extended APDU round trip through a 271-byte reader: command chained out, 1000-byte answer chained back', async () => {
  const card: SimulatedCard = (apdu) => {
    if (apdu[1] === 0xb0) return statusWord(0x9000, Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff)); // READ BINARY, Le 1000
    if (apdu[1] === 0xd6) {
      // UPDATE BINARY with extended Lc: answer with the sum of the data bytes, to prove it all arrived
      const lc = (apdu[5]! << 8) | apdu[6]!;
      const sum = apdu.subarray(7, 7 + lc).reduce((a, b) => (a + b) & 0xffff, 0);
      return statusWord(0x9000, Uint8Array.from([lc >> 8, lc & 0xff, sum >> 8, sum & 0xff]));
    }
    return statusWord(0x6d00);
  };
  const { reader, driver, chip } = await openChip({ card });
  const before = reader.received.length;
  const answer = await chip.transmit(Uint8Array.from([0x00, 0xb0, 0x00, 0x00, 0x00, 0x03, 0xe8]));
  assert.is(answer.length, 1002);
  assert.is(sw(answer), '9000');
  assert.ok(answer.subarray(0, 1000).every((b, i) => b === (i & 0xff)), 'the blocks are joined in order');
  const reads = reader.received.slice(before).map((m) => m.b8);
  assert.equal(reads, [CHAIN.complete, CHAIN.nextBlock, CHAIN.nextBlock, CHAIN.nextBlock], 'one command block, three requests for the rest');

  const data = Uint8Array.from({ length: 600 }, (_, i) => (i * 7) & 0xff);
  const command = Uint8Array.from([0x00, 0xd6, 0x00, 0x00, 0x00, 0x02, 0x58, ...data]);
  const mark = reader.received.length;
  const echo = await chip.transmit(command);
  const expectedSum = data.reduce((a, b) => (a + b) & 0xffff, 0);
  assert.equal([...echo], [0x02, 0x58, expectedSum >> 8, expectedSum & 0xff, 0x90, 0x00]);
  assert.equal(reader.received.slice(mark).map((m) => m.b8), [CHAIN.begins, CHAIN.continues, CHAIN.ends]);
  await settle(chip, driver);
});

test('a short-APDU reader carries 261-byte commands at most: longer is CCID_APDU_TOO_LONG before anything is sent', async () => {
  const { reader, driver, chip } = await openChip({ exchangeLevel: 'short-apdu' });
  assert.is(chip.maxCommandLength, 261);
  assert.is(chip.maxResponseLength, 258);
  assert.is(sw(await chip.transmit(SELECT_EMRTD)), '9000');
  const sent = reader.received.length;
  const e = await rejection(chip.transmit(new Uint8Array(300)));
  assert.is(e.code, 'CCID_APDU_TOO_LONG');
  assert.match(e.hint!, /short APDUs/);
  assert.is(reader.received.length, sent);
  assert.is((await rejection(chip.transmit(Uint8Array.from([0, 0xa4])))).code, 'CCID_APDU_INVALID');
  await settle(chip, driver);
});

test('time extensions are waited out: each restarts the answer timer', async () => {
  const { reader, driver, chip } = await openChip({}, { commandTimeoutMs: 150 });
  reader.timeExtensions = 4;
  reader.timeExtensionIntervalMs = 80;
  const started = Date.now();
  assert.is(sw(await chip.transmit(SELECT_EMRTD)), '9000');
  assert.ok(Date.now() - started >= 300, 'took longer than one command timeout, thanks to the extensions');
  await settle(chip, driver);
});

test('a reader that asks for time forever stops at the limit with CCID_TIME_EXTENSION_LIMIT, and is aborted', async () => {
  const { reader, driver, chip } = await openChip({}, { commandTimeoutMs: 200, timeExtensionLimitMs: 1000 });
  reader.timeExtensions = 1000;
  reader.timeExtensionIntervalMs = 50;
  const e = await rejection(chip.transmit(SELECT_EMRTD));
  assert.is(e.code, 'CCID_TIME_EXTENSION_LIMIT');
  assert.ok(e.ms >= 950 && e.ms < 1600, `stopped near the 1000 ms limit (${e.ms} ms)`);
  reader.timeExtensions = 0;
  assert.is(sw(await chip.transmit(SELECT_EMRTD)), '9000', 'the next command works after the ABORT procedure');
  assert.is(reader.abortRequests.length, 1);
  assert.ok(reader.received.some((m) => m.messageType === PC_TO_RDR.Abort));
  await settle(chip, driver);
});

test('an answer with the wrong bSeq is CCID_SEQUENCE_MISMATCH; the transport goes on working', async () => {
  const { reader, driver, chip } = await openChip();
  reader.setFault('wrong-seq');
  const e = await rejection(chip.transmit(SELECT_EMRTD));
  assert.is(e.code, 'CCID_SEQUENCE_MISMATCH');
  assert.is(sw(await chip.transmit(SELECT_EMRTD)), '9000');
  await settle(chip, driver);
});

test('a truncated answer is CCID_TRUNCATED_RESPONSE; the transport goes on working', async () => {
  const { reader, driver, chip } = await openChip();
  reader.setFault('truncated');
  assert.is((await rejection(chip.transmit(SELECT_EMRTD))).code, 'CCID_TRUNCATED_RESPONSE');
  assert.is(sw(await chip.transmit(SELECT_EMRTD)), '9000');
  await settle(chip, driver);
});

test('a silent reader is CCID_TIMEOUT within the limit, also when the USB stack never times the transfer out', async () => {
  for (const honourTransferTimeouts of [true, false]) {
    const { reader, driver, chip } = await openChip({ honourTransferTimeouts });
    reader.setFault('silent', { once: false });
    const e = await rejection(chip.transmit(SELECT_EMRTD, { timeoutMs: 200 }));
    assert.is(e.code, 'CCID_TIMEOUT');
    assert.ok(e.ms >= 190 && e.ms < 700, `timed out after ${e.ms} ms (limit 200 ms)`);
    reader.setFault(null);
    if (honourTransferTimeouts) assert.is(sw(await chip.transmit(SELECT_EMRTD)), '9000', 'the reader answers again once it recovers');
    await chip.close();
    await driver.close();
    if (honourTransferTimeouts) assert.not.ok(reader.isClaimed, 'the interface was released');
  }
});

test('an AbortSignal ends a transmit at once; the reader gets the CCID ABORT procedure and the late answer is dropped', async () => {
  const { reader, driver, chip } = await openChip({ card: slowCard(400) });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const e = await rejection(chip.transmit(SELECT_EMRTD, { signal: controller.signal }));
  assert.is(e.code, 'TSR_READER_ABORTED');
  assert.ok(e.ms < 300, `aborted after ${e.ms} ms`);
  assert.is(sw(await chip.transmit(SELECT_EMRTD)), '9000', 'the next APDU gets its own answer, not the aborted one');
  const xfrs = reader.received.filter((m) => m.messageType === PC_TO_RDR.XfrBlock);
  assert.equal(reader.abortRequests, [{ slot: 0, seq: xfrs[0]!.seq }]);
  assert.is((await rejection(chip.transmit(SELECT_EMRTD, { signal: AbortSignal.abort() }))).code, 'TSR_READER_ABORTED');
  await settle(chip, driver);
});

test('one APDU at a time: a second transmit while one is in flight is TSR_READER_BUSY', async () => {
  const { driver, chip } = await openChip({ card: slowCard(100) });
  const first = chip.transmit(SELECT_EMRTD);
  assert.is((await rejection(chip.transmit(SELECT_EMRTD))).code, 'TSR_READER_BUSY');
  assert.is(sw(await first), '9000');
  await settle(chip, driver);
});

test('the card lifted off mid-transfer: CCID_CARD_REMOVED at once from the slot-change notice, and for every later APDU', async () => {
  const { reader, driver, chip } = await openChip({ card: slowCard(1000) });
  setTimeout(() => reader.removeCard(), 50);
  const e = await rejection(chip.transmit(SELECT_EMRTD));
  assert.is(e.code, 'CCID_CARD_REMOVED');
  assert.match(e.hint!, /Keep the document on the reader/);
  assert.ok(e.ms < 500, `noticed after ${e.ms} ms, not after the card's 1000 ms`);
  assert.is((await rejection(chip.transmit(SELECT_EMRTD))).code, 'CCID_CARD_REMOVED');
  await settle(chip, driver);
  assert.not.ok(reader.isClaimed);
});

test('the card lifted off on a reader without an interrupt endpoint: the failed answer says so', async () => {
  const { reader, driver, chip } = await openChip({ card: slowCard(1000), interruptEndpoint: false });
  setTimeout(() => reader.removeCard(), 50);
  const e = await rejection(chip.transmit(SELECT_EMRTD));
  assert.is(e.code, 'CCID_CARD_REMOVED');
  await settle(chip, driver);
});

test('a card that answers 300 ms late does not trip a stale slot-change notice from before the session', async () => {
  const reader = new SimulatedCcidReader({ card: null });
  reader.insertCard(slowCard(300)); // queues a "present, changed" notice before anyone polls
  const driver = new UsbCcidDriver({ usb: new SimulatedUsbBus([reader]) });
  const { chip } = await driver.scan('usb-ccid:1-2');
  assert.is(sw(await chip!.transmit(SELECT_EMRTD)), '9000');
  await settle(chip!, driver);
});

test('close() powers the card off, releases the interface and closes the device; the transport is then closed', async () => {
  const { reader, driver, chip } = await openChip();
  assert.ok(reader.isClaimed);
  await chip.close();
  await chip.close(); // idempotent
  assert.ok(reader.received.some((m) => m.messageType === PC_TO_RDR.IccPowerOff));
  assert.not.ok(reader.isClaimed);
  assert.not.ok(reader.isOpen);
  assert.is((await rejection(chip.transmit(SELECT_EMRTD))).code, 'CCID_TRANSPORT_CLOSED');
  await driver.close();
});

test('close() during a transmit ends it with CCID_TRANSPORT_CLOSED and still releases the reader', async () => {
  const { reader, driver, chip } = await openChip({ card: slowCard(300) });
  const pending = rejection(chip.transmit(SELECT_EMRTD));
  await sleep(30);
  await chip.close();
  assert.is((await pending).code, 'CCID_TRANSPORT_CLOSED');
  assert.not.ok(reader.isClaimed);
  await driver.close();
});

test('the reader unplugged during a session: CCID_DEVICE_DISCONNECTED, and close() still succeeds', async () => {
  const reader = new SimulatedCcidReader({ card: slowCard(500) });
  const bus = new SimulatedUsbBus([reader]);
  const driver = new UsbCcidDriver({ usb: bus });
  const { chip } = await driver.scan('usb-ccid:1-2');
  setTimeout(() => bus.detach(reader), 50);
  assert.is((await rejection(chip!.transmit(SELECT_EMRTD))).code, 'CCID_DEVICE_DISCONNECTED');
  assert.is((await rejection(chip!.transmit(SELECT_EMRTD))).code, 'CCID_DEVICE_DISCONNECTED');
  await chip!.close();
  assert.equal(await driver.listDevices(), []);
  await driver.close();
});

test('a forgotten chip session closes itself after idleSessionTimeoutMs and frees the reader', async () => {
  const { reader, driver, chip } = await openChip({}, { idleSessionTimeoutMs: 100 });
  assert.is((await driver.listDevices())[0]!.status, 'busy');
  await sleep(250);
  assert.not.ok(reader.isClaimed);
  assert.is((await driver.listDevices())[0]!.status, 'ready');
  assert.is((await rejection(chip.transmit(SELECT_EMRTD))).code, 'CCID_TRANSPORT_CLOSED');
  await driver.close();
});

test.run();
