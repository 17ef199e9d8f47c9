// performPace against a virtual PACE chip (PaceCard) over an ApduChannel: every mapping on DH and
// ECDH with each cipher, MRZ and CAN passwords, two PACEInfos (DO'84'), the resulting secure
// messaging reading a file, and every way a chip's answer can be wrong, which must end in a
// specific EMRTD_PACE_* error and never in a crash. Also the card's refusals and the terminal's
// CPU time for one PACE-GM brainpoolP256r1 run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApduChannel } from '../codec/apdu-channel.js';
import { decodeTlvObject, encodeTlv } from '../codec/ber-tlv.js';
import { concatBytes, fromHex, toHex } from '../codec/bytes.js';
import type { CommandApdu } from '../codec/apdu.js';
import { secureRandom } from '../crypto/random.js';
import { isTesseraError } from '../../errors.js';
import {
  decodeOidValue,
  encodeOidValue,
  PACE_PROTOCOLS,
  PaceCard,
  paceGroup,
  performPace,
  resolvePaceInfo,
  selectPaceInfo,
  verifyPaceCam,
  type PaceProtocolInfo as PaceInfo,
  type PerformPaceOptions,
} from './index.js';
import { bigIntToBytes, bigIntToMinimalBytes } from './groups.js';
import { queueRandom, seededRandom, VirtualPaceChip } from './pace-test-support.js';

const MRZ = { documentNumber: 'T22000129', birthDate: '640812', expiryDate: '101031' };
const CAN = '123456';
const EF_COM = fromHex('60145F0104303130365F36063034303030305C026175');
const DG1 = fromHex(
  '615B5F1F58503C55544F4552494B53534F4E3C3C414E4E413C4D415249413C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C4C3839383930324333' +
    '3655544F3734303831323246313230343135395A45313834323236423C3C3C3C3C3130',
);
const FILES = new Map([
  [0x011e, EF_COM],
  [0x0101, DG1],
]);

const oid = (keyAgreement: 'DH' | 'ECDH', mapping: 'GM' | 'IM' | 'CAM', cipher: '3DES' | 'AES128' | 'AES192' | 'AES256'): string =>
  PACE_PROTOCOLS.find((p) => p.keyAgreement === keyAgreement && p.mapping === mapping && p.cipher === cipher)!.oid;
const info = (protocol: string, parameterId: number): PaceInfo => ({ protocol, version: 2, parameterId });

const GM_BP256 = info(oid('ECDH', 'GM', 'AES128'), 13);
const GM_P256 = info(oid('ECDH', 'GM', 'AES128'), 12);

function rejection(error: unknown, code: string): Error & { details?: Record<string, unknown> } {
  assert.ok(isTesseraError(error), `expected a TesseraError, got ${String(error)}`);
  assert.is((error as { code: string }).code, code, (error as Error).message);
  return error as Error & { details?: Record<string, unknown> };
}

async function rejects(promise: Promise<unknown>, code: string): Promise<Error & { details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return rejection(error, code);
  }
  assert.unreachable(`expected ${code}`);
  throw new Error('unreachable');
}

function throws(fn: () => unknown, code: string): Error & { details?: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    return rejection(error, code);
  }
  assert.unreachable(`expected ${code}`);
  throw new Error('unreachable');
}

function camKeys(infos: readonly PaceInfo[], seed: string): Record<number, Uint8Array> {
  const random = seededRandom(`cam/${seed}`);
  const keys: Record<number, Uint8Array> = {};
  for (const i of infos) {
    const group = paceGroup(i.parameterId!);
    if (group.keyAgreement === 'ECDH') keys[i.parameterId!] = bigIntToBytes(1n + (BigInt(`0x${toHex(random(group.scalarLength + 8))}`) % (group.order - 1n)), group.scalarLength);
  }
  return keys;
}

interface Setup {
  chip: VirtualPaceChip;
  card: PaceCard;
  channel: ApduChannel;
}

function setup(paceInfos: readonly PaceInfo[], seed: string, cardOptions: Partial<ConstructorParameters<typeof PaceCard>[0]> = {}): Setup {
  const card = new PaceCard({ paceInfos, mrz: MRZ, can: CAN, random: seededRandom(`card/${seed}`), chipAuthenticationKeys: camKeys(paceInfos, seed), ...cardOptions });
  const chip = new VirtualPaceChip(card, FILES);
  return { chip, card, channel: new ApduChannel(chip) };
}

async function readBoth(channel: ApduChannel): Promise<void> {
  await channel.selectFile(0x011e);
  assert.is(toHex(await channel.readBinary(0, EF_COM.length)), toHex(EF_COM));
  await channel.selectFile(0x0101);
  assert.is(toHex(await channel.readBinary(0, DG1.length)), toHex(DG1));
}

// ---------------------------------------------------------------- successful runs

const MATRIX: Array<[string, PaceInfo]> = [
  ['ECDH-GM AES-128 brainpoolP256r1', GM_BP256],
  ['ECDH-GM AES-128 P-256', GM_P256],
  ['ECDH-GM 3DES brainpoolP192r1', info(oid('ECDH', 'GM', '3DES'), 9)],
  ['ECDH-GM AES-192 P-224', info(oid('ECDH', 'GM', 'AES192'), 10)],
  ['ECDH-GM AES-192 brainpoolP320r1', info(oid('ECDH', 'GM', 'AES192'), 14)],
  ['ECDH-GM AES-256 P-521', info(oid('ECDH', 'GM', 'AES256'), 18)],
  ['ECDH-GM AES-256 brainpoolP512r1', info(oid('ECDH', 'GM', 'AES256'), 17)],
  ['ECDH-IM AES-128 P-256', info(oid('ECDH', 'IM', 'AES128'), 12)],
  ['ECDH-IM 3DES P-192', info(oid('ECDH', 'IM', '3DES'), 8)],
  ['ECDH-IM AES-192 brainpoolP384r1', info(oid('ECDH', 'IM', 'AES192'), 16)],
  ['ECDH-IM AES-256 P-384', info(oid('ECDH', 'IM', 'AES256'), 15)],
  ['ECDH-CAM AES-128 brainpoolP256r1', info(oid('ECDH', 'CAM', 'AES128'), 13)],
  ['ECDH-CAM AES-256 P-384', info(oid('ECDH', 'CAM', 'AES256'), 15)],
  ['DH-GM AES-128 1024/160', info(oid('DH', 'GM', 'AES128'), 0)],
  ['DH-GM 3DES 1024/160', info(oid('DH', 'GM', '3DES'), 0)],
  ['DH-GM AES-256 2048/256 (extended length)', info(oid('DH', 'GM', 'AES256'), 2)],
  ['DH-IM AES-128 1024/160', info(oid('DH', 'IM', 'AES128'), 0)],
  ['DH-IM AES-192 2048/224', info(oid('DH', 'IM', 'AES192'), 1)],
];

for (const [name, paceInfo] of MATRIX) {
  test(`${name}: PACE with the MRZ, then secure messaging reads EF.COM and DG1`, async () => {
    const { chip, card, channel } = setup([paceInfo], name);
    const result = await performPace(channel, { password: { mrz: MRZ }, paceInfo, random: seededRandom(`terminal/${name}`) });
    assert.is(result.protocol.oid, paceInfo.protocol);
    assert.is(result.secureMessaging.algorithm, result.protocol.cipher);
    assert.is(card.lastSession?.passwordType, 'MRZ');
    if (result.protocol.mapping === 'CAM') {
      verifyPaceCam(result, card.chipAuthenticationPublicKey(paceInfo.parameterId!));
      assert.ok(result.chipAuthenticated);
    }
    await readBoth(channel);
    assert.ok(chip.log.length >= 18);
  });
}

test('CAN password on brainpoolP256r1 and P-256 (DO\'83\' = 02)', async () => {
  for (const paceInfo of [GM_BP256, GM_P256]) {
    const { chip, card, channel } = setup([paceInfo], `can/${paceInfo.parameterId}`);
    const result = await performPace(channel, { password: { can: CAN }, paceInfo, random: secureRandom });
    assert.is(result.passwordType, 'CAN');
    assert.is(card.lastSession?.passwordType, 'CAN');
    assert.ok(chip.log[0].endsWith('830102'), chip.log[0]);
    await readBoth(channel);
  }
});

test('MRZ_information as a string works like the MRZ fields', async () => {
  const { channel } = setup([GM_P256], 'mrz-string');
  await performPace(channel, { password: { mrz: 'T22000129364081251010318' }, paceInfo: GM_P256, random: secureRandom });
  await readBoth(channel);
});

test("two PACEInfos offered: DO'84' is sent with the chosen parameter id; without it the chip answers 6A87", async () => {
  const offered = [GM_BP256, GM_P256];
  {
    const { chip, channel } = setup(offered, 'two-a');
    const result = await performPace(channel, { password: { mrz: MRZ }, paceInfos: offered, random: secureRandom });
    assert.is(result.parameterId, 13, 'ties keep the chip order');
    assert.ok(result.parameterIdSent);
    assert.is(chip.log[0], '0022C1A412800A04007F00070202040202830101' + '84010D');
    await readBoth(channel);
  }
  {
    const { chip, channel } = setup(offered, 'two-b');
    const result = await performPace(channel, { password: { mrz: MRZ }, paceInfo: GM_P256, paceInfos: offered, random: secureRandom });
    assert.is(result.parameterId, 12);
    assert.ok(chip.log[0].endsWith('84010C'));
    await readBoth(channel);
  }
  {
    const { chip, channel } = setup(offered, 'two-c');
    const error = await rejects(performPace(channel, { password: { mrz: MRZ }, paceInfos: offered, parameterIdReference: 'never', random: secureRandom }), 'EMRTD_PACE_REFUSED');
    assert.is(error.details?.sw, 0x6a87);
    assert.match(error.message, /MSE:Set AT.*6A87.*DO'84'/);
    assert.is(chip.log.length, 2, 'nothing after the refused MSE:Set AT');
    assert.is(channel.secureMessaging, undefined);
  }
  {
    // A chip with one PACEInfo accepts DO'84' too; asking for parameters it does not offer is 6A88.
    const { channel } = setup([GM_P256], 'two-d');
    const result = await performPace(channel, { password: { mrz: MRZ }, paceInfo: GM_P256, parameterIdReference: 'always', random: secureRandom });
    assert.ok(result.parameterIdSent);
    const other = setup([GM_P256], 'two-e');
    const error = await rejects(performPace(other.channel, { password: { mrz: MRZ }, paceInfo: GM_BP256, parameterIdReference: 'always', random: secureRandom }), 'EMRTD_PACE_REFUSED');
    assert.is(error.details?.sw, 0x6a88);
  }
});

test('the terminal draws the mapping key, then the ephemeral key, each the order length (IM: t, then the ephemeral key)', async () => {
  for (const [paceInfo, expected] of [
    [GM_BP256, [32, 32]],
    [info(oid('ECDH', 'GM', 'AES256'), 18), [66, 66]],
    [info(oid('DH', 'GM', 'AES128'), 0), [20, 20]],
    [info(oid('ECDH', 'IM', 'AES256'), 15), [32, 48]],
  ] as const) {
    const draws: number[] = [];
    const random = seededRandom('draws');
    const { channel } = setup([paceInfo], `draws/${paceInfo.protocol}/${paceInfo.parameterId}`);
    await performPace(channel, { password: { mrz: MRZ }, paceInfo, random: (n) => (draws.push(n), random(n)) });
    assert.equal(draws, [...expected]);
  }
});

test('the session is real: a tampered SM response fails its MAC and closes the session', async () => {
  const { chip, channel } = setup([GM_BP256], 'sm-tamper');
  const result = await performPace(channel, { password: { mrz: MRZ }, paceInfo: GM_BP256, random: secureRandom });
  await channel.selectFile(0x011e);
  const original = chip.transmit.bind(chip);
  chip.transmit = async (command: Uint8Array) => {
    const response = await original(command);
    const copy = response.slice();
    copy[copy.length - 3] ^= 1;
    return copy;
  };
  await rejects(channel.readBinary(0, 4), 'EMRTD_SM_MAC_INVALID');
  assert.ok(result.secureMessaging.closed);
});

test('PACE again on the same channel replaces (and closes) the previous session', async () => {
  const { channel } = setup([GM_P256], 'twice');
  const first = await performPace(channel, { password: { mrz: MRZ }, paceInfo: GM_P256, random: secureRandom });
  await readBoth(channel);
  const second = await performPace(channel, { password: { can: CAN }, paceInfo: GM_P256, random: secureRandom });
  assert.ok(first.secureMessaging.closed);
  assert.is(channel.secureMessaging, second.secureMessaging);
  await readBoth(channel);
});

test('useOnChannel: false leaves the channel unprotected', async () => {
  const { channel } = setup([GM_P256], 'no-install');
  const result = await performPace(channel, { password: { can: CAN }, paceInfo: GM_P256, random: secureRandom, useOnChannel: false });
  assert.is(channel.secureMessaging, undefined);
  assert.ok(result.secureMessaging);
});

// ---------------------------------------------------------------- password and token failures

test('a wrong MRZ or CAN: the chip answers 6300 to the terminal token -> EMRTD_PACE_PASSWORD_REJECTED', async () => {
  for (const password of [{ mrz: { ...MRZ, birthDate: '640813' } }, { can: '654321' }]) {
    const { card, channel } = setup([GM_BP256], `wrong/${JSON.stringify(password)}`);
    const error = await rejects(performPace(channel, { password, paceInfo: GM_BP256, random: secureRandom }), 'EMRTD_PACE_PASSWORD_REJECTED');
    assert.is(error.details?.sw, 0x6300);
    assert.match(card.lastRefusal ?? '', /token does not verify/);
    assert.is(channel.secureMessaging, undefined);
  }
  // 63Cx reports the tries left.
  const { chip, channel } = setup([GM_BP256], 'wrong/tries');
  chip.rewrite = (response, _command, index) => (index === 4 ? fromHex('63C2') : response);
  const error = await rejects(performPace(channel, { password: { can: CAN }, paceInfo: GM_BP256, random: secureRandom }), 'EMRTD_PACE_PASSWORD_REJECTED');
  assert.is(error.details?.triesLeft, 2);
});

test("a password the chip does not have: 6A88 to MSE:Set AT", async () => {
  const { channel } = setup([GM_BP256], 'no-can', { can: undefined });
  const error = await rejects(performPace(channel, { password: { can: CAN }, paceInfo: GM_BP256, random: secureRandom }), 'EMRTD_PACE_REFUSED');
  assert.is(error.details?.sw, 0x6a88);
  assert.match(error.message, /password/);
});

/** Replaces the chip's answer to GENERAL AUTHENTICATE step `step` (1-4) by `make(original)`. */
function rewriteStep(chip: VirtualPaceChip, step: number, make: (response: Uint8Array) => Uint8Array): void {
  chip.rewrite = (response, _command: CommandApdu, index) => (index === step ? make(response) : response);
}

const ok = (data: Uint8Array): Uint8Array => concatBytes(data, fromHex('9000'));
/** The value of the one data object inside the chip's '7C' answer. */
const inner = (response: Uint8Array): Uint8Array => decodeTlvObject(response.subarray(0, response.length - 2)).children![0].value;

test("a wrong chip token -> EMRTD_PACE_TOKEN_INVALID, wrong length too, and no session is installed", async () => {
  for (const token of ['flip', 'short']) {
    const { chip, channel } = setup([GM_BP256], `token/${token}`);
    rewriteStep(chip, 4, (response) => {
      const value = inner(response).slice();
      if (token === 'flip') value[7] ^= 0x80;
      return ok(encodeTlv(0x7c, encodeTlv(0x86, token === 'flip' ? value : value.subarray(0, 4))));
    });
    const error = await rejects(performPace(channel, { password: { mrz: MRZ }, paceInfo: GM_BP256, random: secureRandom }), 'EMRTD_PACE_TOKEN_INVALID');
    if (token === 'short') assert.match(error.message, /4 bytes instead of 8/);
    assert.is(channel.secureMessaging, undefined);
  }
});

// ---------------------------------------------------------------- malformed and hostile chip answers

interface BadAnswer {
  name: string;
  step: number;
  make: (response: Uint8Array, setup: Setup) => Uint8Array;
  code: string;
  paceInfo?: PaceInfo;
  message?: RegExp;
}

const bp = paceGroup(13);
const dh = paceGroup(0);
const DH_GM = info(oid('DH', 'GM', 'AES128'), 0);
const CAM_BP256 = info(oid('ECDH', 'CAM', 'AES128'), 13);

const BAD_ANSWERS: BadAnswer[] = [
  { name: 'step 1 refused (6982)', step: 1, make: () => fromHex('6982'), code: 'EMRTD_PACE_REFUSED' },
  { name: 'step 1 without data', step: 1, make: () => fromHex('9000'), code: 'EMRTD_PACE_RESPONSE_MALFORMED' },
  { name: 'step 1 not BER-TLV', step: 1, make: () => ok(fromHex('7C8510')), code: 'EMRTD_PACE_RESPONSE_MALFORMED', message: /not BER-TLV/ },
  { name: 'step 1 not wrapped in 7C', step: 1, make: (r) => ok(encodeTlv(0x80, inner(r))), code: 'EMRTD_PACE_RESPONSE_MALFORMED' },
  { name: "step 1 without DO'80'", step: 1, make: () => ok(fromHex('7C00')), code: 'EMRTD_PACE_RESPONSE_MALFORMED', message: /'80'/ },
  { name: 'step 1 with trailing bytes', step: 1, make: (r) => ok(concatBytes(r.subarray(0, r.length - 2), fromHex('00'))), code: 'EMRTD_PACE_RESPONSE_MALFORMED' },
  { name: 'step 1 nonce of 15 bytes', step: 1, make: (r) => ok(encodeTlv(0x7c, encodeTlv(0x80, inner(r).subarray(0, 15)))), code: 'EMRTD_PACE_NONCE_INVALID' },
  { name: 'step 1 empty nonce', step: 1, make: () => ok(encodeTlv(0x7c, encodeTlv(0x80, new Uint8Array(0)))), code: 'EMRTD_PACE_NONCE_INVALID' },
  {
    name: 'step 1 nonce repeated',
    step: 1,
    make: (r) => ok(encodeTlv(0x7c, [encodeTlv(0x80, inner(r)), encodeTlv(0x80, inner(r))])),
    code: 'EMRTD_PACE_RESPONSE_MALFORMED',
    message: /repeats/,
  },
  {
    name: 'step 2 point not on the curve',
    step: 2,
    make: (r) => {
      const p = inner(r).slice();
      p[p.length - 1] ^= 1;
      return ok(encodeTlv(0x7c, encodeTlv(0x82, p)));
    },
    code: 'EMRTD_PACE_PUBLIC_KEY_INVALID',
    message: /not on brainpoolP256r1/,
  },
  { name: 'step 2 point at infinity', step: 2, make: () => ok(encodeTlv(0x7c, encodeTlv(0x82, fromHex('00')))), code: 'EMRTD_PACE_PUBLIC_KEY_INVALID', message: /infinity/ },
  {
    name: 'step 2 compressed point',
    step: 2,
    make: (r) => ok(encodeTlv(0x7c, encodeTlv(0x82, concatBytes(fromHex('02'), inner(r).subarray(1, 33))))),
    code: 'EMRTD_PACE_PUBLIC_KEY_INVALID',
    message: /uncompressed/,
  },
  { name: 'step 2 truncated point', step: 2, make: (r) => ok(encodeTlv(0x7c, encodeTlv(0x82, inner(r).subarray(0, 64)))), code: 'EMRTD_PACE_PUBLIC_KEY_INVALID', message: /65 bytes/ },
  {
    name: 'step 2 coordinate ≥ p',
    step: 2,
    make: () => ok(encodeTlv(0x7c, encodeTlv(0x82, concatBytes(fromHex('04'), bigIntToBytes(bp.prime + 1n, 32), bigIntToBytes(2n, 32))))),
    code: 'EMRTD_PACE_PUBLIC_KEY_INVALID',
  },
  { name: "step 2 without DO'82'", step: 2, make: () => ok(fromHex('7C00')), code: 'EMRTD_PACE_RESPONSE_MALFORMED' },
  {
    name: "step 2 reflects the terminal's mapping key",
    step: 2,
    make: (_r, s) => ok(encodeTlv(0x7c, encodeTlv(0x82, fromHex(s.chip.log[4].slice(18, 18 + 130))))),
    code: 'EMRTD_PACE_PUBLIC_KEY_INVALID',
    message: /terminal's own key/,
  },
  {
    name: "step 3 reflects the terminal's ephemeral key",
    step: 3,
    make: (_r, s) => ok(encodeTlv(0x7c, encodeTlv(0x84, fromHex(s.chip.log[6].slice(18, 18 + 130))))),
    code: 'EMRTD_PACE_PUBLIC_KEY_INVALID',
    message: /equals the terminal's/,
  },
  { name: "step 3 without DO'84'", step: 3, make: () => ok(encodeTlv(0x7c, encodeTlv(0x82, new Uint8Array(0)))), code: 'EMRTD_PACE_RESPONSE_MALFORMED' },
  {
    name: 'step 3 the generator itself (valid point, wrong keys) ends at the token',
    step: 3,
    make: () => ok(encodeTlv(0x7c, encodeTlv(0x84, bp.encode(bp.generator)))),
    code: 'EMRTD_PACE_PASSWORD_REJECTED',
  },
  { name: 'step 4 refused (6A80)', step: 4, make: () => fromHex('6A80'), code: 'EMRTD_PACE_REFUSED' },
  { name: "step 4 without DO'86'", step: 4, make: () => ok(fromHex('7C00')), code: 'EMRTD_PACE_RESPONSE_MALFORMED' },
  { name: 'DH: mapping key 1', step: 2, paceInfo: DH_GM, make: () => ok(encodeTlv(0x7c, encodeTlv(0x82, fromHex('01')))), code: 'EMRTD_PACE_PUBLIC_KEY_INVALID', message: /2\.\.p-2/ },
  {
    name: 'DH: mapping key p-1 (order 2)',
    step: 2,
    paceInfo: DH_GM,
    make: () => ok(encodeTlv(0x7c, encodeTlv(0x82, bigIntToMinimalBytes(dh.prime - 1n)))),
    code: 'EMRTD_PACE_PUBLIC_KEY_INVALID',
  },
  {
    name: 'DH: mapping key outside the order-q subgroup',
    step: 2,
    paceInfo: DH_GM,
    make: () => ok(encodeTlv(0x7c, encodeTlv(0x82, fromHex('02')))),
    code: 'EMRTD_PACE_PUBLIC_KEY_INVALID',
    message: /subgroup/,
  },
  {
    name: 'DH: ephemeral key longer than p',
    step: 3,
    paceInfo: DH_GM,
    make: (r) => ok(encodeTlv(0x7c, encodeTlv(0x84, concatBytes(fromHex('01'), inner(r))))),
    code: 'EMRTD_PACE_PUBLIC_KEY_INVALID',
  },
  { name: "CAM: no DO'8A'", step: 4, paceInfo: CAM_BP256, make: (r) => ok(encodeTlv(0x7c, encodeTlv(0x86, inner(r)))), code: 'EMRTD_PACE_CAM_INVALID', message: /8A/ },
  {
    name: "CAM: DO'8A' not whole blocks",
    step: 4,
    paceInfo: CAM_BP256,
    make: (r) => {
      const [token, data] = decodeTlvObject(r.subarray(0, r.length - 2)).children!;
      return ok(encodeTlv(0x7c, [token.raw, encodeTlv(0x8a, data.value.subarray(0, 47))]));
    },
    code: 'EMRTD_PACE_CAM_INVALID',
  },
  {
    name: "CAM: DO'8A' altered (bad padding)",
    step: 4,
    paceInfo: CAM_BP256,
    make: (r) => {
      const [token, data] = decodeTlvObject(r.subarray(0, r.length - 2)).children!;
      const value = data.value.slice();
      value[value.length - 1] ^= 0x55;
      return ok(encodeTlv(0x7c, [token.raw, encodeTlv(0x8a, value)]));
    },
    code: 'EMRTD_PACE_CAM_INVALID',
  },
];

for (const bad of BAD_ANSWERS) {
  test(`bad chip answer: ${bad.name} -> ${bad.code}`, async () => {
    const paceInfo = bad.paceInfo ?? GM_BP256;
    const s = setup([paceInfo], `bad/${bad.name}`);
    rewriteStep(s.chip, bad.step, (response) => bad.make(response, s));
    const error = await rejects(performPace(s.channel, { password: { mrz: MRZ }, paceInfo, random: secureRandom }), bad.code);
    if (bad.message) assert.match(error.message, bad.message);
    assert.is(s.channel.secureMessaging, undefined);
  });
}

test('CAM: verifyPaceCam with another static key, and the check inside performPace', async () => {
  const s = setup([CAM_BP256], 'cam-keys');
  const result = await performPace(s.channel, { password: { mrz: MRZ }, paceInfo: CAM_BP256, random: secureRandom });
  const otherKey = bp.encode(bp.multiply(bp.generator, 424242n));
  throws(() => verifyPaceCam(result, otherKey), 'EMRTD_PACE_CAM_INVALID');
  throws(() => verifyPaceCam(result, fromHex('0400')), 'EMRTD_PACE_PUBLIC_KEY_INVALID');
  assert.is(result.chipAuthenticated, false);
  verifyPaceCam(result, s.card.chipAuthenticationPublicKey(13));
  assert.ok(result.chipAuthenticated);

  const t = setup([CAM_BP256], 'cam-inline');
  const inline = await performPace(t.channel, { password: { mrz: MRZ }, paceInfo: CAM_BP256, random: secureRandom, chipAuthenticationPublicKey: t.card.chipAuthenticationPublicKey(13) });
  assert.ok(inline.chipAuthenticated);
  const u = setup([CAM_BP256], 'cam-inline-wrong');
  await rejects(performPace(u.channel, { password: { mrz: MRZ }, paceInfo: CAM_BP256, random: secureRandom, chipAuthenticationPublicKey: otherKey }), 'EMRTD_PACE_CAM_INVALID');
  assert.is(u.channel.secureMessaging, undefined, 'a failed chip authentication installs no session');

  const g = setup([GM_BP256], 'cam-on-gm');
  const gm = await performPace(g.channel, { password: { mrz: MRZ }, paceInfo: GM_BP256, random: secureRandom });
  throws(() => verifyPaceCam(gm, otherKey), 'EMRTD_PACE_CAM_INVALID');
});

// ---------------------------------------------------------------- caller mistakes

test('caller mistakes: PACEInfo, password and random source', async () => {
  const { channel } = setup([GM_BP256], 'caller');
  const base: PerformPaceOptions = { password: { mrz: MRZ }, paceInfo: GM_BP256, random: secureRandom };
  await rejects(performPace(channel, { ...base, paceInfo: undefined }), 'EMRTD_PACE_INFO_INVALID');
  await rejects(performPace(channel, { ...base, paceInfo: undefined, paceInfos: [] }), 'EMRTD_PACE_INFO_INVALID');
  await rejects(performPace(channel, { ...base, paceInfo: info('0.4.0.127.0.7.2.2.3.2.2', 13) }), 'EMRTD_PACE_UNSUPPORTED'); // a CA OID
  await rejects(performPace(channel, { ...base, paceInfo: { ...GM_BP256, version: 1 } }), 'EMRTD_PACE_INFO_INVALID');
  await rejects(performPace(channel, { ...base, paceInfo: { protocol: GM_BP256.protocol, version: 2 } }), 'EMRTD_PACE_UNSUPPORTED'); // proprietary parameters
  await rejects(performPace(channel, { ...base, paceInfo: info(GM_BP256.protocol, 20) }), 'EMRTD_PACE_UNSUPPORTED');
  await rejects(performPace(channel, { ...base, paceInfo: info(GM_BP256.protocol, 0) }), 'EMRTD_PACE_INFO_INVALID'); // ECDH OID on a DH group
  await rejects(performPace(channel, { ...base, paceInfo: info(oid('ECDH', 'IM', 'AES128'), 10) }), 'EMRTD_PACE_UNSUPPORTED'); // IM on P-224
  await rejects(performPace(channel, { ...base, password: {} as never }), 'EMRTD_PACE_PASSWORD_INVALID');
  await rejects(performPace(channel, { ...base, password: { can: '  ' } }), 'EMRTD_PACE_PASSWORD_INVALID');
  await rejects(performPace(channel, { ...base, password: { can: '12€4' } }), 'EMRTD_PACE_PASSWORD_INVALID');
  await rejects(performPace(channel, { ...base, password: { mrz: { ...MRZ, birthDate: '1964-08-12' } } }), 'EMRTD_PACE_PASSWORD_INVALID');
  await rejects(performPace(channel, { ...base, password: { mrz: 'T2200' } }), 'EMRTD_PACE_PASSWORD_INVALID');
  // A broken random source is a programming error (the shared crypto code), never a crash.
  await rejects(performPace(setup([GM_BP256], 'r1').channel, { ...base, random: () => new Uint8Array(3) }), 'EMRTD_CRYPTO_INPUT_INVALID');
  await rejects(performPace(setup([GM_BP256], 'r2').channel, { ...base, random: (n) => new Uint8Array(n) }), 'EMRTD_CRYPTO_INPUT_INVALID');
  await rejects(performPace(setup([GM_BP256], 'r3').channel, { ...base, random: queueRandom(bigIntToBytes(bp.order, 32)) }), 'EMRTD_CRYPTO_INPUT_INVALID');
});

test('selectPaceInfo prefers ECDH, then CAM > GM > IM, keeps the chip order on ties, and explains when nothing fits', () => {
  const dhGm = info(oid('DH', 'GM', 'AES128'), 0);
  const im = info(oid('ECDH', 'IM', 'AES128'), 13);
  const cam = info(oid('ECDH', 'CAM', 'AES128'), 13);
  const unknown = info('1.2.3.4', 13);
  assert.is(selectPaceInfo([dhGm, im, GM_BP256, cam, unknown]).info, cam);
  assert.is(selectPaceInfo([dhGm, im, GM_P256, GM_BP256]).info, GM_P256);
  assert.is(selectPaceInfo([dhGm, im]).info, im);
  assert.is(selectPaceInfo([unknown, dhGm]).info, dhGm);
  const error = throws(() => selectPaceInfo([unknown, info(oid('ECDH', 'IM', 'AES128'), 10)]), 'EMRTD_PACE_UNSUPPORTED');
  assert.is((error.details?.skipped as string[]).length, 2);
  assert.is(resolvePaceInfo(cam).protocol.name, 'id-PACE-ECDH-CAM-AES-CBC-CMAC-128');
});

test('protocol table and OID codec', () => {
  assert.is(PACE_PROTOCOLS.length, 19);
  assert.is(new Set(PACE_PROTOCOLS.map((p) => p.oid)).size, 19);
  assert.is(toHex(encodeOidValue('0.4.0.127.0.7.2.2.4.2.2')), '04007F00070202040202');
  assert.is(decodeOidValue(fromHex('04007F00070202040602')), '0.4.0.127.0.7.2.2.4.6.2');
  assert.is(decodeOidValue(encodeOidValue('1.2.840.10045.2.1')), '1.2.840.10045.2.1');
  assert.is(decodeOidValue(encodeOidValue('2.999.3')), '2.999.3');
  throws(() => decodeOidValue(fromHex('2A86')), 'EMRTD_PACE_INFO_INVALID');
  throws(() => encodeOidValue('1.x'), 'EMRTD_PACE_INFO_INVALID');
});

// ---------------------------------------------------------------- the card's side of the protocol

test('PaceCard refuses out-of-order, malformed and unsupported commands with the right status words', () => {
  const card = new PaceCard({ paceInfos: [GM_BP256], mrz: MRZ, random: secureRandom });
  const mse = (data: string, p2 = 0xa4): CommandApdu => ({ cla: 0, ins: 0x22, p1: 0xc1, p2, data: fromHex(data) });
  const ga = (data: string, cla = 0x10): CommandApdu => ({ cla, ins: 0x86, p1: 0, p2: 0, data: fromHex(data), ne: 256 });
  const goodMse = '800A04007F00070202040202830101';
  assert.is(card.respond(ga('7C00')).sw, 0x6985, 'GENERAL AUTHENTICATE before MSE:Set AT');
  assert.is(card.respond(mse(goodMse, 0xa6)).sw, 0x6a86);
  assert.is(card.respond(mse('830101')).sw, 0x6a80, "no DO'80'");
  assert.is(card.respond(mse('800A04007F00070202040202')).sw, 0x6a80, "no DO'83'");
  assert.is(card.respond(mse('800A04007F00070202040402830101')).sw, 0x6a80, 'protocol not offered');
  assert.is(card.respond(mse('800A04007F00070202040202830102')).sw, 0x6a88, 'no CAN on this card');
  assert.is(card.respond(mse('800A04007F0007020204020283010184010C')).sw, 0x6a88, 'parameters not offered');
  assert.is(card.respond(mse('80FF')).sw, 0x6a80, 'not TLV');
  assert.is(card.respond(mse(goodMse)).sw, 0x9000);
  assert.is(card.phase, 'selected');
  assert.is(card.respond(ga('7C00', 0x00)).sw, 0x6985, 'steps 1-3 need chaining');
  assert.is(card.phase, 'idle');
  card.respond(mse(goodMse));
  assert.is(card.respond(ga('7C028000')).sw, 0x6a80, 'step 1 carries no data');
  card.respond(mse(goodMse));
  assert.is(card.respond(ga('7C00')).sw, 0x9000);
  assert.is(card.respond(ga('7C0381' + '0100')).sw, 0x6a80, 'invalid mapping key');
  assert.match(card.lastRefusal ?? '', /not a valid public key/);
  card.respond(mse(goodMse));
  card.respond(ga('7C00'));
  assert.is(card.respond(ga('0102')).sw, 0x6a80, "not '7C'");
  card.respond(mse(goodMse));
  card.respond(ga('7C00'));
  const terminalKey = toHex(bp.encode(bp.multiply(bp.generator, 77n)));
  assert.is(card.respond(ga(`7C438141${terminalKey}`)).sw, 0x9000);
  assert.is(card.respond(ga(`7C438341${terminalKey}`)).sw, 0x9000);
  assert.is(card.respond(ga('7C0A85080102030405060708')).sw, 0x6883, 'the token step must end the chain');
  card.respond(mse(goodMse));
  card.respond(ga('7C00'));
  card.respond(ga(`7C438141${terminalKey}`));
  card.respond(ga(`7C438341${terminalKey}`));
  assert.is(card.respond(ga('7C0A85080102030405060708', 0x00)).sw, 0x6300);
  assert.is(card.respond({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }).sw, 0x6d00);
  assert.ok(PaceCard.handles({ ins: 0x22, p1: 0xc1, p2: 0xa4 }));
  assert.not.ok(PaceCard.handles({ ins: 0x22, p1: 0x41, p2: 0xa4 }));
});

test('PaceCard configuration errors', () => {
  throws(() => new PaceCard({ paceInfos: [], mrz: MRZ, random: secureRandom }), 'EMRTD_PACE_CARD_CONFIG_INVALID');
  throws(() => new PaceCard({ paceInfos: [GM_BP256], random: secureRandom }), 'EMRTD_PACE_CARD_CONFIG_INVALID');
  throws(() => new PaceCard({ paceInfos: [CAM_BP256], mrz: MRZ, random: secureRandom }), 'EMRTD_PACE_CARD_CONFIG_INVALID');
  throws(() => new PaceCard({ paceInfos: [CAM_BP256], mrz: MRZ, random: secureRandom, chipAuthenticationKeys: { 13: new Uint8Array(32) } }), 'EMRTD_PACE_CARD_CONFIG_INVALID');
  throws(() => new PaceCard({ paceInfos: [info('1.2.3', 13)], mrz: MRZ, random: secureRandom }), 'EMRTD_PACE_CARD_CONFIG_INVALID');
  throws(() => new PaceCard({ paceInfos: [GM_BP256], can: '', random: secureRandom }), 'EMRTD_PACE_CARD_CONFIG_INVALID');
  throws(() => new PaceCard({ paceInfos: [GM_BP256], mrz: MRZ, random: secureRandom }).chipAuthenticationPublicKey(13), 'EMRTD_PACE_CARD_CONFIG_INVALID');
});

// ---------------------------------------------------------------- CPU time

test('CPU time of the terminal side of one PACE-GM brainpoolP256r1 run', async () => {
  const measure = async (label: string): Promise<number> => {
    const { chip, channel } = setup([GM_BP256], `timing/${label}`);
    const start = process.cpuUsage();
    await performPace(channel, { password: { mrz: MRZ }, paceInfo: GM_BP256, random: secureRandom });
    const used = process.cpuUsage(start);
    return (used.user + used.system - chip.cardMicros) / 1000;
  };
  const first = await measure('cold');
  const runs: number[] = [];
  for (let i = 0; i < 10; i++) runs.push(await measure(`warm/${i}`));
  runs.sort((a, b) => a - b);
  const median = runs[5];
  console.log(`      PACE-GM brainpoolP256r1, terminal side CPU: first run ${first.toFixed(1)} ms, warm median ${median.toFixed(1)} ms (min ${runs[0].toFixed(1)}, max ${runs[9].toFixed(1)})`);
  assert.ok(median < 1000, 'generous ceiling, only to catch a pathological slowdown');
});

test.run();
