// Chip Authentication against a scripted chip holding an ECDH key: AES (MSE:Set AT + GENERAL
// AUTHENTICATE) and CA v1 with 3DES (MSE:Set KAT); a chip without the private key fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createECDH, randomBytes } from 'node:crypto';
import { ApduChannel, CardSecureMessaging, decodeTlv, deriveKey, encodeTlv, performBac, type SymmetricAlgorithm } from '@tessera/sdk/emrtd';
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

/** A chip whose CA private key is `chipKey` (a clone has a different one than DG14 says). */
async function session(curve: string, chipKey: ReturnType<typeof createECDH>, cipher: SymmetricAlgorithm) {
  const chip: TestChip = new TestChip({
    mrz: MRZ,
    files: new Map([[0x0101, buildTestDg1(TD3)]]),
    onSecureCommand: (c, card) => {
      const switchTo = (peer: Uint8Array) => {
        const secret = chipKey.computeSecret(Buffer.from(peer));
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

test('OID contents encoding', () => {
  assert.equal([...oidContents('0.4.0.127.0.7.2.2.3.2.2')], [0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02]);
});

test.run();
