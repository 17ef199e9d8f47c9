// Chip Authentication against a scripted chip holding an ECDH or DH key: AES (MSE:Set AT + GENERAL
// AUTHENTICATE) and CA v1 with 3DES (MSE:Set KAT); DH keys with X9.42 parameters or a standardized
// parameter id (RFC 5114 group 0); a chip without the private key fails; bad DH keys are refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDiffieHellman, createECDH, randomBytes } from 'node:crypto';
import { ApduChannel, CardSecureMessaging, concatBytes, decodeTlv, deriveKey, encodeTlv, fromHex, performBac, STANDARDIZED_DH_GROUPS, type SymmetricAlgorithm } from '@tessera/sdk/emrtd';
import { oidContents, performChipAuthentication } from './chip-auth.js';
import { TestChip, buildTestDg1 } from './test-chip.js';
import type { SecurityInfosFile } from './sdk-lds.js';

const MRZ = { documentNumber: 'L898902C3', birthDate: '740812', expiryDate: '120415' };
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

function dg14(publicPoint: Uint8Array, cipher: SymmetricAlgorithm, curveOid: string): SecurityInfosFile {
  const arc = { '3DES': 1, AES128: 2, AES192: 3, AES256: 4 }[cipher];
  const raw = new Uint8Array(0);
  return {
    securityInfos: [
      { kind: 'ChipAuthenticationInfo', protocol: `0.4.0.127.0.7.2.2.3.2.${arc}`, version: cipher === '3DES' ? 1 : 2, keyAgreement: 'ECDH', cipher, raw },
      { kind: 'ChipAuthenticationPublicKeyInfo', protocol: '0.4.0.127.0.7.2.2.1.2', keyAgreement: 'ECDH', publicKey: { algorithm: 'EC', algorithmOid: '1.2.840.10045.2.1', key: raw, ec: { curveOid, explicitParameters: false, publicPoint } }, raw },
    ],
  };
}

/** The chip's side of the key agreement: the shared secret for the terminal's ephemeral public key. */
type ChipSecret = { computeSecret(peer: Buffer): Buffer };

/** A chip whose CA private key is `chipKey` (a clone has a different one than DG14 says). */
async function session(curve: string, chipKey: ChipSecret, cipher: SymmetricAlgorithm, secretLength = 0) {
  const chip: TestChip = new TestChip({
    mrz: MRZ,
    files: new Map([[0x0101, buildTestDg1(TD3)]]),
    onSecureCommand: (c, card) => {
      const switchTo = (peer: Uint8Array) => {
        const raw = new Uint8Array(chipKey.computeSecret(Buffer.from(peer)));
        // DH secrets have the prime's length, leading zeros kept.
        const secret = raw.length < secretLength ? concatBytes(new Uint8Array(secretLength - raw.length), raw) : raw;
        return () => (card.sm = new CardSecureMessaging({ algorithm: cipher, ksEnc: deriveKey(secret, 1, cipher), ksMac: deriveKey(secret, 2, cipher) }));
      };
      if (c.ins === 0x22 && c.p2 === 0xa6) {
        const pk = decodeTlv(c.data).find((n) => n.tag === 0x91)!.value;
        return { data: new Uint8Array(0), sw: 0x9000, after: switchTo(pk) };
      }
      if (c.ins === 0x22 && c.p2 === 0xa4) return { data: new Uint8Array(0), sw: 0x9000 };
      if (c.ins === 0x86) {
        const pk = decodeTlv(c.data)[0]!.children!.find((n) => n.tag === 0x80)!.value;
        return { data: encodeTlv(0x7c, new Uint8Array(0)), sw: 0x9000, after: switchTo(pk) };
      }
      return undefined;
    },
  });
  void curve;
  const channel = new ApduChannel(chip);
  await channel.selectEmrtdApplication();
  await performBac(channel, MRZ, (n) => new Uint8Array(randomBytes(n)));
  return { chip, channel };
}

for (const [curve, oid, cipher] of [
  ['prime256v1', '1.2.840.10045.3.1.7', 'AES128'],
  ['brainpoolP256r1', '1.3.36.3.3.2.8.1.1.7', 'AES256'],
  ['brainpoolP224r1', '1.3.36.3.3.2.8.1.1.5', '3DES'],
] as const) {
  test(`CA ${curve} ${cipher}: the session continues with the new keys`, async () => {
    const key = createECDH(curve);
    key.generateKeys();
    const { chip, channel } = await session(curve, key, cipher);
    const r = await performChipAuthentication(channel, dg14(new Uint8Array(key.getPublicKey()), cipher, oid));
    assert.ok(r.valid, r.detail);
    assert.match(r.protocol, cipher);
    assert.is(channel.secureMessaging, channel.secureMessaging);
    assert.ok(chip.log.some((c) => c.ins === (cipher === '3DES' ? 0x22 : 0x86)));
  });
}

test('a clone without the private key fails the proof read', async () => {
  const genuine = createECDH('prime256v1');
  genuine.generateKeys();
  const clone = createECDH('prime256v1');
  clone.generateKeys();
  const { channel } = await session('prime256v1', clone, 'AES128');
  const r = await performChipAuthentication(channel, dg14(new Uint8Array(genuine.getPublicKey()), 'AES128', '1.2.840.10045.3.1.7'));
  assert.not.ok(r.valid);
  assert.is(r.code, 'EMRTD_CA_FAILED');
});

// ---------------------------------------------------------------- DH (id-CA-DH-*)
const GROUP0 = STANDARDIZED_DH_GROUPS.find((g) => g.id === 0)!;
const PRIME = fromHex(GROUP0.p);

function dhKey() {
  const key = createDiffieHellman(Buffer.from(PRIME), Buffer.from(fromHex(GROUP0.g)));
  key.generateKeys();
  return key;
}

/** DG14 with a DH key: X9.42 parameters as parsed by the SDK, or the standardized parameter id 0 (SPKI as DER). */
function dhDg14(publicValue: Uint8Array, cipher: SymmetricAlgorithm, form: 'x942' | 'standardized'): SecurityInfosFile {
  const arc = { '3DES': 1, AES128: 2, AES192: 3, AES256: 4 }[cipher];
  const raw = new Uint8Array(0);
  const integer = (v: Uint8Array) => encodeTlv(0x02, v[0]! & 0x80 ? concatBytes(Uint8Array.of(0), v) : v);
  const spki = encodeTlv(
    0x30,
    concatBytes(
      encodeTlv(0x30, concatBytes(encodeTlv(0x06, oidContents('0.4.0.127.0.7.1.2')), encodeTlv(0x02, Uint8Array.of(0)))),
      encodeTlv(0x03, concatBytes(Uint8Array.of(0), integer(publicValue))),
    ),
  );
  const publicKey =
    form === 'x942'
      ? { algorithm: 'DH' as const, algorithmOid: '1.2.840.10046.2.1', key: raw, dh: { prime: PRIME, generator: fromHex(GROUP0.g), publicValue } }
      : { algorithm: 'unknown' as const, algorithmOid: '0.4.0.127.0.7.1.2', key: spki };
  return {
    securityInfos: [
      { kind: 'ChipAuthenticationInfo', protocol: `0.4.0.127.0.7.2.2.3.1.${arc}`, version: cipher === '3DES' ? 1 : 2, keyAgreement: 'DH', cipher, raw },
      { kind: 'ChipAuthenticationPublicKeyInfo', protocol: '0.4.0.127.0.7.2.2.1.1', keyAgreement: 'DH', publicKey, raw },
    ],
  };
}

for (const [cipher, form] of [['AES128', 'x942'], ['AES256', 'standardized'], ['3DES', 'standardized']] as const) {
  test(`CA DH 1024/160 (${form} parameters) ${cipher}: the session continues with the new keys`, async () => {
    const key = dhKey();
    const { chip, channel } = await session('dh', key, cipher, PRIME.length);
    const r = await performChipAuthentication(channel, dhDg14(new Uint8Array(key.getPublicKey()), cipher, form));
    assert.ok(r.valid, r.detail);
    assert.match(r.protocol, /^CA v\d DH 1024, /);
    // The terminal's ephemeral public value went to the chip at the prime's full length.
    const sent = cipher === '3DES' ? decodeTlv(chip.log.find((c) => c.ins === 0x22)!.data)[0]!.value : decodeTlv(chip.log.find((c) => c.ins === 0x86)!.data)[0]!.children![0]!.value;
    assert.is(sent.length, PRIME.length);
  });
}

test('CA DH: a clone without the private key fails; a public value of 1 or p−1 is refused before anything is sent', async () => {
  const genuine = dhKey();
  const { channel } = await session('dh', dhKey(), 'AES128', PRIME.length);
  const r = await performChipAuthentication(channel, dhDg14(new Uint8Array(genuine.getPublicKey()), 'AES128', 'x942'));
  assert.not.ok(r.valid);
  assert.is(r.code, 'EMRTD_CA_FAILED');
  const pMinus1 = fromHex((BigInt(`0x${GROUP0.p}`) - 1n).toString(16).toUpperCase());
  for (const bad of [Uint8Array.of(1), pMinus1]) {
    const s2 = await session('dh', dhKey(), 'AES128', PRIME.length);
    const before = s2.chip.log.length;
    const refused = await performChipAuthentication(s2.channel, dhDg14(bad, 'AES128', 'standardized'));
    assert.is(refused.code, 'EMRTD_CA_KEY_INVALID', refused.detail);
    assert.is(s2.chip.log.length, before, 'no command was sent');
  }
});

test('OID contents encoding', () => {
  assert.equal([...oidContents('0.4.0.127.0.7.2.2.3.2.2')], [0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02]);
});

test.run();
