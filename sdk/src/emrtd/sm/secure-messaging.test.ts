// Secure messaging: the Doc 9303 part 11 App. D.4 transcript byte for byte, terminal <-> card
// round trips for 3DES and AES-128/192/256 in short and extended length, and every failure path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTesseraError } from '../../errors.js';
import { decodeCommandApdu, type CommandApdu } from '../codec/apdu.js';
import { decodeTlv, encodeTlv } from '../codec/ber-tlv.js';
import { concatBytes, fromHex, toHex } from '../codec/bytes.js';
import { aesCbcDecrypt, aesCmac, aesEncryptBlock } from '../crypto/aes.js';
import { deriveKey } from '../crypto/kdf.js';
import { pad, unpad } from '../crypto/padding.js';
import type { SymmetricAlgorithm } from '../crypto/algorithms.js';
import { CardSecureMessaging, TerminalSecureMessaging, type SecureMessagingKeys } from './index.js';

function throwsCode(fn: () => unknown, code: string): Error {
  try {
    fn();
  } catch (error) {
    assert.ok(isTesseraError(error), String(error));
    assert.is((error as { code: string }).code, code, (error as Error).message);
    return error as Error;
  }
  assert.unreachable(`expected ${code}`);
  throw new Error('unreachable');
}

const BAC_KEYS: SecureMessagingKeys = {
  algorithm: '3DES',
  ksEnc: fromHex('979EC13B1CBFE9DCD01AB0FED307EAE5'),
  ksMac: fromHex('F1CB1F1FB5ADF208806B89DC579DC1F8'),
  ssc: fromHex('887022120C06C226'),
};

// Doc 9303 part 11 App. D.4: plain command, protected command, protected response, plain response.
const D4 = [
  ['00A4020C02011E', '0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800', '990290008E08FA855A5D4C50A8ED9000', '9000'],
  ['00B0000004', '0CB000000D9701048E08ED6705417E96BA5500', '8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000', '60145F019000'],
  ['00B0000412', '0CB000040D9701128E082EA28A70F3C7B53500', '871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000', '04303130365F36063034303030305C0261759000'],
] as const;

test('App. D.4, terminal side: protected commands and unprotected responses byte for byte', () => {
  const terminal = new TerminalSecureMessaging(BAC_KEYS);
  const sscs: string[] = [];
  for (const [plain, wire, response, plainResponse] of D4) {
    assert.is(toHex(terminal.protectCommand(decodeCommandApdu(fromHex(plain)))), wire);
    sscs.push(toHex(terminal.ssc));
    assert.is(toHex(terminal.unprotectResponse(fromHex(response))), plainResponse);
  }
  assert.equal(sscs, ['887022120C06C227', '887022120C06C229', '887022120C06C22B']);
  assert.is(toHex(terminal.ssc), '887022120C06C22C');
});

test('sessionKeys() returns copies of KS_enc and KS_MAC that cannot change the session', () => {
  const terminal = new TerminalSecureMessaging(BAC_KEYS);
  const keys = terminal.sessionKeys();
  assert.is(toHex(keys.ksEnc), '979EC13B1CBFE9DCD01AB0FED307EAE5');
  assert.is(toHex(keys.ksMac), 'F1CB1F1FB5ADF208806B89DC579DC1F8');
  keys.ksEnc.fill(0);
  keys.ksMac.fill(0);
  // Still the App. D.4 session: the first protected command is byte for byte the appendix's.
  assert.is(toHex(terminal.protectCommand(decodeCommandApdu(fromHex(D4[0][0])))), D4[0][1]);
  assert.is(toHex(new CardSecureMessaging(BAC_KEYS).sessionKeys().ksMac), 'F1CB1F1FB5ADF208806B89DC579DC1F8');
});

test('App. D.4, card side: the chip recovers the plain commands and produces the same responses', () => {
  const card = new CardSecureMessaging(BAC_KEYS);
  for (const [plain, wire, response, plainResponse] of D4) {
    const command = card.unprotectCommand(fromHex(wire));
    const expected = decodeCommandApdu(fromHex(plain));
    assert.equal({ ...command, data: toHex(command.data) }, { ...expected, data: toHex(expected.data) });
    const body = fromHex(plainResponse);
    const data = body.subarray(0, body.length - 2);
    assert.is(toHex(card.protectResponse(data, 0x9000)), response);
  }
});

function sessionPair(algorithm: SymmetricAlgorithm): { terminal: TerminalSecureMessaging; card: CardSecureMessaging; keys: SecureMessagingKeys } {
  const seed = fromHex('28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925');
  const keys: SecureMessagingKeys = { algorithm, ksEnc: deriveKey(seed, 1, algorithm), ksMac: deriveKey(seed, 2, algorithm) };
  if (algorithm === '3DES') keys.ssc = fromHex('0102030405060708');
  return { terminal: new TerminalSecureMessaging(keys), card: new CardSecureMessaging(keys), keys };
}

const filled = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

const COMMANDS: { command: CommandApdu; extended?: boolean; response: number; sw?: number }[] = [
  { command: { cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: fromHex('0101') }, response: 0 },
  { command: { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, ne: 4 }, response: 4 },
  { command: { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x04, ne: 0xdf }, response: 0xdf },
  { command: { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, ne: 256 }, response: 256 },
  { command: { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, ne: 1000 }, response: 1000 },
  { command: { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, ne: 65536 }, response: 3000 },
  { command: { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, ne: 16 }, extended: true, response: 15 },
  { command: { cla: 0x00, ins: 0xb0, p1: 0x7f, p2: 0xff, ne: 8 }, response: 3, sw: 0x6282 },
  { command: { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, ne: 8 }, response: 0, sw: 0x6b00 },
  { command: { cla: 0x00, ins: 0xb1, p1: 0x00, p2: 0x00, data: encodeTlv(0x54, fromHex('8000')), ne: 0x12 }, response: 0x12 },
  { command: { cla: 0x00, ins: 0xd6, p1: 0x00, p2: 0x00, data: filled(255, 1) }, response: 0 },
  { command: { cla: 0x00, ins: 0xd6, p1: 0x00, p2: 0x00, data: filled(256, 2) }, response: 0 },
  { command: { cla: 0x00, ins: 0x2a, p1: 0x00, p2: 0xbe, data: filled(1200, 3), ne: 65536 }, response: 1 },
  { command: { cla: 0x00, ins: 0x22, p1: 0xc1, p2: 0xa4, data: filled(16, 4) }, response: 0 },
  { command: { cla: 0x00, ins: 0x84, p1: 0x00, p2: 0x00 }, response: 0 },
];

for (const algorithm of ['3DES', 'AES128', 'AES192', 'AES256'] as const) {
  test(`${algorithm}: terminal <-> card round trips, short and extended`, () => {
    const { terminal, card } = sessionPair(algorithm);
    COMMANDS.forEach(({ command, extended, response, sw = 0x9000 }, i) => {
      const wire = terminal.protectCommand(command, { extended });
      const decodedWire = decodeCommandApdu(wire);
      assert.is(decodedWire.cla, 0x0c, 'CLA marks SM');
      const plainExtended = extended === true || (command.data?.length ?? 0) > 255 || (command.ne ?? 0) > 256;
      if (plainExtended) assert.ok(decodedWire.extended, `command ${i} wire must be extended`);
      assert.is(decodedWire.ne, decodedWire.extended ? 65536 : 256, 'wire Le is 00 or 0000');
      const dos = decodeTlv(decodedWire.data);
      const le = dos.find((d) => d.tag === 0x97);
      if (command.ne) assert.is(le?.length, plainExtended ? 2 : 1, `DO'97' size for command ${i}`);
      else assert.is(le, undefined);
      if (command.data?.length) assert.is(dos[0].tag, command.ins & 1 ? 0x85 : 0x87);

      const seen = card.unprotectCommand(wire);
      assert.is(seen.cla, command.cla);
      assert.is(seen.ins, command.ins);
      assert.is(toHex(seen.data), toHex(command.data ?? new Uint8Array(0)));
      assert.is(seen.ne, command.ne ?? 0);
      assert.is(seen.extended, decodedWire.extended, 'the card sees the form the terminal used');

      const data = filled(response, i);
      const protectedResponse = card.protectResponse(data, sw);
      if (response > 0) assert.is(decodeTlv(protectedResponse.subarray(0, protectedResponse.length - 2))[0].tag, command.ins & 1 ? 0x85 : 0x87);
      const plain = terminal.unprotectResponse(protectedResponse);
      assert.is(toHex(plain), toHex(concatBytes(data, Uint8Array.of(sw >> 8, sw & 0xff))));
    });
    assert.is(toHex(terminal.ssc), toHex(card.ssc));
    assert.is(terminal.ssc.length, algorithm === '3DES' ? 8 : 16);
  });
}

test('short wire form whenever the protected response still fits 256 bytes', () => {
  const { terminal } = sessionPair('3DES');
  // 231 plain bytes pad to 232: 1 + 2 + 1 + 232 + 4 + 10 = 250 protected bytes.
  assert.not.ok(decodeCommandApdu(terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 231 })).extended);
  // 240 plain bytes pad to 248 -> 266 protected bytes: the wire Le must be extended.
  assert.ok(decodeCommandApdu(terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 240 })).extended);
  const aes = sessionPair('AES128').terminal;
  assert.not.ok(decodeCommandApdu(aes.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 0xdf })).extended);
  assert.ok(decodeCommandApdu(aes.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 0xf0 })).extended);
});

test('AES: IV = E(KSenc, SSC) and MAC = CMAC(pad(SSC || pad(header) || DOs)) cut to 8 bytes', () => {
  const { terminal, keys } = sessionPair('AES128');
  const wire = terminal.protectCommand({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: fromHex('011E') });
  const ssc = new Uint8Array(16);
  ssc[15] = 1; // PACE starts at zero; the first command uses 1
  const [do87, do8e] = decodeTlv(decodeCommandApdu(wire).data);
  assert.is(do87.value[0], 0x01);
  const iv = aesEncryptBlock(keys.ksEnc, ssc);
  assert.is(toHex(unpad(aesCbcDecrypt(keys.ksEnc, do87.value.subarray(1), iv), 16)), '011E');
  const header = pad(fromHex('0CA4020C'), 16);
  assert.is(toHex(do8e.value), toHex(aesCmac(keys.ksMac, pad(concatBytes(ssc, header, do87.raw), 16), 8)));
});

test('a flipped bit anywhere in a protected response gives EMRTD_SM_MAC_INVALID, then the session is closed', () => {
  for (const algorithm of ['3DES', 'AES256'] as const) {
    const response = (() => {
      const { terminal, card } = sessionPair(algorithm);
      card.unprotectCommand(terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }));
      return card.protectResponse(fromHex('60145F01'), 0x9000);
    })();
    // MAC byte, cryptogram byte, status byte: each must be caught by the MAC.
    for (const index of [response.length - 3, 4, response.length - 13]) {
      const { terminal } = sessionPair(algorithm);
      terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
      const tampered = response.slice();
      tampered[index] ^= 0x01;
      throwsCode(() => terminal.unprotectResponse(tampered), 'EMRTD_SM_MAC_INVALID');
      assert.ok(terminal.closed);
      throwsCode(() => terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }), 'EMRTD_SM_SESSION_CLOSED');
      throwsCode(() => terminal.unprotectResponse(response), 'EMRTD_SM_SESSION_CLOSED');
    }
  }
});

test('a replayed response fails: the SSC has moved on', () => {
  const { terminal, card } = sessionPair('3DES');
  card.unprotectCommand(terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }));
  const response = card.protectResponse(fromHex('60145F01'), 0x9000);
  terminal.unprotectResponse(response);
  terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
  throwsCode(() => terminal.unprotectResponse(response), 'EMRTD_SM_MAC_INVALID');
});

test('terminal: malformed responses and chip rejections', () => {
  const cases: [string, string, RegExp?][] = [
    ['6987', 'EMRTD_SM_REJECTED_BY_CHIP', /6987/],
    ['6988', 'EMRTD_SM_REJECTED_BY_CHIP', /6988/],
    ['6A82', 'EMRTD_SM_RESPONSE_MALFORMED', /6A82/],
    ['90', 'EMRTD_SM_RESPONSE_MALFORMED'],
    ['8E08FA855A5D4C50A8ED9000', 'EMRTD_SM_RESPONSE_MALFORMED', /'99' is missing/], // no DO'99'
    ['990290009000', 'EMRTD_SM_RESPONSE_MALFORMED', /'8E' is missing/], // no DO'8E'
    ['990290008E07FA855A5D4C50A89000', 'EMRTD_SM_RESPONSE_MALFORMED', /7 bytes/], // short MAC
    ['8E08FA855A5D4C50A8ED990290009000', 'EMRTD_SM_RESPONSE_MALFORMED', /order/], // DO'8E' not last
    ['990290009902900 08E08FA855A5D4C50A8ED9000'.replace(' ', ''), 'EMRTD_SM_RESPONSE_MALFORMED', /repeated/],
    ['5301AA990290008E08FA855A5D4C50A8ED9000', 'EMRTD_SM_RESPONSE_MALFORMED', /Unexpected/],
    ['99049000', 'EMRTD_SM_RESPONSE_MALFORMED', /BER-TLV/], // truncated DO
    ['A0039902 9000 8E08FA855A5D4C50A8ED9000'.replace(/ /g, ''), 'EMRTD_SM_RESPONSE_MALFORMED'],
  ];
  for (const [hex, code, message] of cases) {
    const { terminal } = sessionPair('3DES');
    terminal.protectCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E') });
    const error = throwsCode(() => terminal.unprotectResponse(fromHex(hex)), code);
    if (message) assert.match(error.message, message);
    throwsCode(() => terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 1 }), 'EMRTD_SM_SESSION_CLOSED');
  }
});

test('terminal: a DO with a valid MAC but bad content is malformed (indicator, block size, padding, DO 99 size)', () => {
  // Build responses the way a chip would, with a correct MAC over deliberately broken DOs.
  const macOver = (algorithm: SymmetricAlgorithm, dataObjects: Uint8Array): Uint8Array => {
    const { keys } = sessionPair(algorithm);
    const ssc = new Uint8Array(algorithm === '3DES' ? 8 : 16);
    if (algorithm === '3DES') ssc.set(fromHex('0102030405060708'));
    ssc[ssc.length - 1] += 2; // command, then response
    return aesCmac(keys.ksMac, pad(concatBytes(ssc, dataObjects), 16), 8);
  };
  const bad = [
    [encodeTlv(0x87, fromHex('02' + '00'.repeat(16))), /indicator/],
    [encodeTlv(0x87, fromHex('01' + '00'.repeat(15))), /blocks/],
    [encodeTlv(0x87, fromHex('01' + '00'.repeat(16))), /padding/],
    [new Uint8Array(0), /DO'99' holds 3/],
  ] as const;
  for (const [cryptogram, message] of bad) {
    const { terminal } = sessionPair('AES128');
    terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 16 });
    const status = cryptogram.length ? encodeTlv(0x99, fromHex('9000')) : encodeTlv(0x99, fromHex('900000'));
    const dataObjects = concatBytes(cryptogram, status);
    const wire = concatBytes(dataObjects, encodeTlv(0x8e, macOver('AES128', dataObjects)), fromHex('9000'));
    const error = throwsCode(() => terminal.unprotectResponse(wire), 'EMRTD_SM_RESPONSE_MALFORMED');
    assert.match(error.message, message);
  }
});

test('card: tampered, unprotected or malformed commands fail with the status word to answer', () => {
  const { terminal } = sessionPair('AES128');
  const wire = terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
  const tampered = wire.slice();
  tampered[3] ^= 0x01; // P2 is covered by the MAC
  const cases: [Uint8Array, string, number][] = [
    [tampered, 'EMRTD_SM_MAC_INVALID', 0x6988],
    [fromHex('00B0000004'), 'EMRTD_SM_COMMAND_MALFORMED', 0x6987],
    [fromHex('0CB0000000'), 'EMRTD_SM_COMMAND_MALFORMED', 0x6987],
    [fromHex('0CB000000397010400'), 'EMRTD_SM_COMMAND_MALFORMED', 0x6987], // no DO'8E'
    [fromHex('0CB0'), 'EMRTD_SM_COMMAND_MALFORMED', 0x6988],
    [fromHex('0CB000000C970301020300000000000000'), 'EMRTD_SM_COMMAND_MALFORMED', 0x6988],
  ];
  for (const [bytes, code, sw] of cases) {
    const card = new CardSecureMessaging(sessionPair('AES128').keys);
    const error = throwsCode(() => card.unprotectCommand(bytes), code);
    assert.is((error as unknown as { details: { sw: number } }).details.sw, sw);
    assert.ok(card.closed);
    throwsCode(() => card.protectResponse(new Uint8Array(0), 0x9000), 'EMRTD_SM_SESSION_CLOSED');
  }
});

test('bad arguments do not cost the session; bad keys are refused', () => {
  const { terminal, card } = sessionPair('3DES');
  throwsCode(() => terminal.protectCommand({ cla: 0x0c, ins: 0xb0, p1: 0, p2: 0 }), 'EMRTD_APDU_INVALID');
  throwsCode(() => terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 70000 }), 'EMRTD_APDU_INVALID');
  throwsCode(() => terminal.protectCommand({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(65535) }), 'EMRTD_APDU_INVALID');
  throwsCode(() => card.protectResponse(new Uint8Array(0), 0x10000), 'EMRTD_APDU_INVALID');
  assert.not.ok(terminal.closed);
  assert.not.ok(card.closed);
  assert.is(toHex(terminal.ssc), '0102030405060708');
  card.unprotectCommand(terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }));
  terminal.close('done');
  throwsCode(() => terminal.unprotectResponse(fromHex('9000')), 'EMRTD_SM_SESSION_CLOSED');
  throwsCode(() => new TerminalSecureMessaging({ algorithm: 'AES192', ksEnc: new Uint8Array(16), ksMac: new Uint8Array(24) }), 'EMRTD_CRYPTO_INPUT_INVALID');
  throwsCode(() => new TerminalSecureMessaging({ algorithm: '3DES', ksEnc: new Uint8Array(16), ksMac: new Uint8Array(16), ssc: new Uint8Array(16) }), 'EMRTD_CRYPTO_INPUT_INVALID');
  throwsCode(() => new CardSecureMessaging({ algorithm: 'DES' as '3DES', ksEnc: new Uint8Array(16), ksMac: new Uint8Array(16) }), 'EMRTD_CRYPTO_INPUT_INVALID');
});

test('the SSC carries across byte boundaries', () => {
  const keys = { ...BAC_KEYS, ssc: fromHex('00000000000000FF') };
  const terminal = new TerminalSecureMessaging(keys);
  terminal.protectCommand({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 });
  assert.is(toHex(terminal.ssc), '0000000000000100');
});

test.run();
