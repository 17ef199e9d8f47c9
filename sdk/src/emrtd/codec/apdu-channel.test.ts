// ApduChannel against scripted fake transports: GET RESPONSE chaining, 6Cxx re-issue, limits,
// timeouts, transport failures, and the SELECT / READ BINARY helpers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTesseraError } from '../../errors.js';
import type { ChipTransport } from '../../contracts/chip-transport.js';
import { fromHex, toHex } from './bytes.js';
import { ApduChannel, type CommandProtector } from './apdu-channel.js';

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isTesseraError(error), String(error));
    assert.is((error as { code: string }).code, code, (error as Error).message);
    return error as Error;
  }
  assert.unreachable(`expected ${code}`);
  throw new Error('unreachable');
}

/** A transport that answers each command with the next scripted reply (hex, or a function of the command). */
class ScriptedTransport implements ChipTransport {
  readonly maxCommandLength = 65544;
  readonly maxResponseLength = 65538;
  readonly sent: string[] = [];
  readonly signals: AbortSignal[] = [];
  constructor(private readonly replies: (string | ((command: Uint8Array) => string | Promise<Uint8Array>))[]) {}
  async transmit(command: Uint8Array, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Uint8Array> {
    this.sent.push(toHex(command));
    if (options?.signal) this.signals.push(options.signal);
    const reply = this.replies.shift();
    if (reply === undefined) throw new Error('script exhausted');
    if (typeof reply === 'string') return fromHex(reply);
    const out = reply(command);
    return typeof out === 'string' ? fromHex(out) : out;
  }
  async close(): Promise<void> {}
}

test('plain send encodes the command and splits the response', async () => {
  const transport = new ScriptedTransport(['60145F019000']);
  const response = await new ApduChannel(transport).send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
  assert.equal(transport.sent, ['00B0000004']);
  assert.is(toHex(response.data), '60145F01');
  assert.ok(response.ok);
});

test('61xx: GET RESPONSE with Le = SW2 until done, data accumulated', async () => {
  const transport = new ScriptedTransport(['01026104', '030405066102', '07089000']);
  const response = await new ApduChannel(transport).send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 256 });
  assert.equal(transport.sent, ['00B0000000', '00C0000004', '00C0000002']);
  assert.is(toHex(response.data), '0102030405060708');
  assert.is(response.sw, 0x9000);
});

test('61xx then an error status: data so far and the final SW are returned', async () => {
  const transport = new ScriptedTransport(['AA6100', '6F00']);
  const response = await new ApduChannel(transport).send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 256 });
  assert.equal(transport.sent, ['00B0000000', '00C0000000']);
  assert.is(toHex(response.data), 'AA');
  assert.is(response.sw, 0x6f00);
});

test('6Cxx: the same command is re-issued once with the Le the chip asked for', async () => {
  const transport = new ScriptedTransport(['6C08', '11223344556677889000']);
  const response = await new ApduChannel(transport).send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 16 });
  assert.equal(transport.sent, ['0084000010', '0084000008']);
  assert.is(toHex(response.data), '1122334455667788');
  // Extended form is kept when re-issuing.
  const extended = new ScriptedTransport(['6C00', '9000']);
  await new ApduChannel(extended, { forceExtended: true }).send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 16 });
  assert.equal(extended.sent, ['00B00000000010', '00B00000000100']);
  // A chip that answers 6Cxx again is broken.
  const stubborn = new ScriptedTransport(['6C08', '6C08']);
  await rejectsCode(new ApduChannel(stubborn).send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 16 }), 'EMRTD_CHIP_PROTOCOL_ERROR');
});

test('hostile chip: endless 61xx and oversized responses end in EMRTD_RESPONSE_TOO_LONG', async () => {
  const endless = new ScriptedTransport(Array.from({ length: 100 }, () => 'AA6101'));
  const error = await rejectsCode(new ApduChannel(endless, { maxChainedResponses: 5 }).send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 1 }), 'EMRTD_RESPONSE_TOO_LONG');
  assert.match(error.message, /5 GET RESPONSE/);
  assert.is(endless.sent.length, 6);
  const big = new ScriptedTransport([() => Promise.resolve(new Uint8Array(1003).fill(0x61))]);
  await rejectsCode(new ApduChannel(big, { maxResponseBytes: 1000 }).send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 256 }), 'EMRTD_RESPONSE_TOO_LONG');
  const growing = new ScriptedTransport(Array.from({ length: 10 }, () => () => Promise.resolve(Uint8Array.of(...new Uint8Array(200), 0x61, 0x00))));
  await rejectsCode(new ApduChannel(growing, { maxResponseBytes: 1000 }).send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 256 }), 'EMRTD_RESPONSE_TOO_LONG');
});

test('a transport that never answers gives EMRTD_CHIP_NOT_ANSWERING within the timeout, and is told to abort', async () => {
  const transport = new ScriptedTransport([() => new Promise<Uint8Array>(() => {})]);
  const started = performance.now();
  await rejectsCode(new ApduChannel(transport, { timeoutMs: 60 }).send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }), 'EMRTD_CHIP_NOT_ANSWERING');
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 55 && elapsed < 1000, `took ${elapsed} ms`);
  assert.ok(transport.signals[0].aborted);
  // Per-send timeout overrides the channel default.
  const slow = new ScriptedTransport([() => new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(fromHex('9000')), 200))]);
  await rejectsCode(new ApduChannel(slow).send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }, { timeoutMs: 30 }), 'EMRTD_CHIP_NOT_ANSWERING');
});

test('transport failures, bad replies and caller aborts', async () => {
  const failing = new ScriptedTransport([() => Promise.reject(new Error('reader unplugged'))]);
  const error = await rejectsCode(new ApduChannel(failing).send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }), 'EMRTD_TRANSPORT_FAILED');
  assert.match(error.message, /reader unplugged/);
  const throwingSync: ChipTransport = { maxCommandLength: 261, maxResponseLength: 258, transmit: () => { throw new Error('sync'); }, close: async () => {} };
  await rejectsCode(new ApduChannel(throwingSync).send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }), 'EMRTD_TRANSPORT_FAILED');
  await rejectsCode(new ApduChannel(new ScriptedTransport(['90'])).send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }), 'EMRTD_CHIP_PROTOCOL_ERROR');
  const hanging = new ScriptedTransport([() => new Promise<Uint8Array>(() => {})]);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  await rejectsCode(new ApduChannel(hanging, { timeoutMs: 5000 }).send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }, { signal: controller.signal }), 'EMRTD_ABORTED');
  await rejectsCode(new ApduChannel(new ScriptedTransport(['9000'])).send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }, { signal: AbortSignal.abort() }), 'EMRTD_ABORTED');
  const short: ChipTransport = { maxCommandLength: 261, maxResponseLength: 258, transmit: async () => fromHex('9000'), close: async () => {} };
  await rejectsCode(new ApduChannel(short).send({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(300) }), 'EMRTD_APDU_INVALID');
});

test('SELECT helpers and their errors', async () => {
  const transport = new ScriptedTransport(['9000', '9000', '6A82', '6982', '6A86']);
  const channel = new ApduChannel(transport);
  await channel.selectEmrtdApplication();
  await channel.selectFile(0x011e);
  const missing = await rejectsCode(channel.selectFile(0x0103), 'EMRTD_FILE_NOT_FOUND');
  assert.equal((missing as unknown as { details: unknown }).details, { sw: 0x6a82, command: 'SELECT file 0103' });
  await rejectsCode(channel.selectFile(0x0103), 'EMRTD_ACCESS_DENIED');
  await rejectsCode(channel.selectEmrtdApplication(), 'EMRTD_COMMAND_FAILED');
  assert.equal(transport.sent.slice(0, 2), ['00A4040C07A0000002471001', '00A4020C02011E']);
  await rejectsCode(channel.selectFile(0x10000), 'EMRTD_APDU_INVALID');
});

test('READ BINARY: short offsets with B0, large offsets with B1 and DO 54/53, 6282 accepted', async () => {
  const transport = new ScriptedTransport([
    '0102030405066282',
    '530401020304' + '9000',
    '5381FF' + 'AB'.repeat(255) + '9000',
    '6B00',
  ]);
  const channel = new ApduChannel(transport);
  assert.is(toHex(await channel.readBinary(0x7fff, 0xdf)), '010203040506');
  assert.is(toHex(await channel.readBinary(0x8000, 4)), '01020304');
  assert.is((await channel.readBinary(0x012345, 255)).length, 255);
  await rejectsCode(channel.readBinary(0, 4), 'EMRTD_COMMAND_FAILED');
  assert.equal(transport.sent, [
    '00B07FFFDF',
    '00B10000045402800006', // Ne = 4 + the 2-byte DO'53' header
    '00B1000000000554030123450102', // Ne = 255 + 3 > 256, so extended length
    '00B0000004',
  ]);
  await rejectsCode(channel.readBinary(-1, 4), 'EMRTD_APDU_INVALID');
  await rejectsCode(channel.readBinary(0, 0), 'EMRTD_APDU_INVALID');
  const notWrapped = new ScriptedTransport(['04020102' + '9000']);
  await rejectsCode(new ApduChannel(notWrapped).readBinary(0x9000, 2), 'EMRTD_APDU_MALFORMED');
});

test('with secure messaging installed: commands are wrapped, plain bypasses, a failed exchange closes the session', async () => {
  const calls: string[] = [];
  const protector: CommandProtector = {
    protectCommand: (command) => {
      calls.push('protect');
      return Uint8Array.of(command.cla | 0x0c, command.ins, command.p1, command.p2, 0x00);
    },
    unprotectResponse: (wire) => {
      calls.push('unprotect');
      return wire.subarray(wire.length - 2);
    },
    close: (reason) => calls.push(`close: ${reason}`),
  };
  const transport = new ScriptedTransport(['AA9000', '9000', () => new Promise<Uint8Array>(() => {})]);
  const channel = new ApduChannel(transport, { secureMessaging: protector, timeoutMs: 30 });
  const response = await channel.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 1 });
  assert.is(response.data.length, 0, 'the protector decides what the plain response is');
  await channel.send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }, { plain: true });
  await rejectsCode(channel.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 1 }), 'EMRTD_CHIP_NOT_ANSWERING');
  assert.equal(transport.sent.slice(0, 2), ['0CB0000000', '0084000008']);
  assert.equal(calls, ['protect', 'unprotect', 'protect', 'close: the exchange failed: EMRTD_CHIP_NOT_ANSWERING']);
});

test.run();
