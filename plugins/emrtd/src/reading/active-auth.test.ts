// Active Authentication: ECDSA against generated keys, RSA ISO/IEC 9796-2 scheme 1 with the BSI
// TR-03105 (2013) DG15 key pair, and the INTERNAL AUTHENTICATE exchange over a scripted chip.
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, createPrivateKey, generateKeyPairSync, privateDecrypt, constants, sign, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ApduChannel, performBac } from '@tessera/sdk/emrtd';
import { performActiveAuthentication, verifyActiveAuthentication, verifyEcdsa } from './active-auth.js';
import { TestChip, buildTestEfCom } from './test-chip.js';

const BSI = fileURLToPath(new URL('../../../../../shared/data/bsi-tr03105-2013', import.meta.url));
const challenge = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

function ecKey(curve: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return { privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}

test('ECDSA P-256: plain r||s over SHA-256 verifies; another challenge does not', () => {
  const { privateKey, spki } = ecKey('prime256v1');
  const sig = new Uint8Array(sign('sha256', challenge, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
  const ok = verifyActiveAuthentication({ algorithm: 'EC', key: spki }, challenge, sig);
  assert.ok(ok.valid, ok.detail);
  assert.match(ok.algorithm, /SHA-256/);
  const bad = verifyActiveAuthentication({ algorithm: 'EC', key: spki }, Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), sig);
  assert.not.ok(bad.valid);
  assert.is(bad.code, 'EMRTD_AA_SIGNATURE_INVALID');
});

test('ECDSA P-384 picks SHA-384 by key size; DG14 can name the hash', () => {
  const { privateKey, spki } = ecKey('secp384r1');
  const sig384 = new Uint8Array(sign('sha384', challenge, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
  assert.ok(verifyEcdsa(spki, challenge, sig384).valid);
  const sig1 = new Uint8Array(sign('sha1', challenge, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
  assert.not.ok(verifyEcdsa(spki, challenge, sig1).valid);
  assert.ok(verifyEcdsa(spki, challenge, sig1, '0.4.0.127.0.7.1.1.4.1.1').valid);
  // brainpool works too (node's OpenSSL knows the curves)
  const bp = ecKey('brainpoolP256r1');
  assert.ok(verifyEcdsa(bp.spki, challenge, new Uint8Array(sign('sha256', challenge, { key: bp.privateKey, dsaEncoding: 'ieee-p1363' }))).valid);
});

/** ISO/IEC 9796-2 scheme 1 signing, partial recovery, SHA-1 and trailer 'BC' (what ICAO chips do). */
function sign9796(pkcs8: Uint8Array, message2: Uint8Array, trailer: 'BC' | 'SHA256'): Uint8Array {
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  const bits = key.asymmetricKeyDetails!.modulusLength!;
  const length = Math.ceil((bits - 1) / 8);
  const hashName = trailer === 'BC' ? 'sha1' : 'sha256';
  const t = trailer === 'BC' ? Uint8Array.of(0xbc) : Uint8Array.of(0x34, 0xcc);
  const hLen = trailer === 'BC' ? 20 : 32;
  const m1 = new Uint8Array(randomBytes(length - 1 - hLen - t.length));
  const h = createHash(hashName).update(m1).update(message2).digest();
  const f = Buffer.concat([Uint8Array.of(0x6a), m1, h, t]);
  // Raw RSA with the private key: f^d mod n.
  const padded = Buffer.concat([Buffer.alloc(Math.ceil(bits / 8) - f.length), f]);
  return new Uint8Array(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, padded));
}

test('RSA ISO/IEC 9796-2 scheme 1 with the BSI 2013 DG15 key pair', () => {
  if (!existsSync(`${BSI}/DG15_sk.pkcs8`)) return void console.warn('skipped: reference data missing');
  const sk = new Uint8Array(readFileSync(`${BSI}/DG15_sk.pkcs8`));
  const pk = new Uint8Array(readFileSync(`${BSI}/DG15_pk.bin`));
  const sig = sign9796(sk, challenge, 'BC');
  const ok = verifyActiveAuthentication({ algorithm: 'RSA', key: pk }, challenge, sig);
  assert.ok(ok.valid, ok.detail);
  assert.match(ok.algorithm, /RSA 1024, ISO\/IEC 9796-2 scheme 1, SHA-1/);
  const wrong = verifyActiveAuthentication({ algorithm: 'RSA', key: pk }, Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1), sig);
  assert.not.ok(wrong.valid);
  assert.is(wrong.code, 'EMRTD_AA_SIGNATURE_INVALID');
  const tampered = sig.slice();
  tampered[10]! ^= 1;
  assert.not.ok(verifyActiveAuthentication({ algorithm: 'RSA', key: pk }, challenge, tampered).valid);
  // A trailer naming SHA-256 ('34CC').
  assert.ok(verifyActiveAuthentication({ algorithm: 'RSA', key: pk }, challenge, sign9796(sk, challenge, 'SHA256')).valid);
});

test('INTERNAL AUTHENTICATE under BAC secure messaging', async () => {
  const { privateKey, spki } = ecKey('prime256v1');
  const mrz = { documentNumber: 'L898902C3', birthDate: '740812', expiryDate: '120415' };
  const chip = new TestChip({
    mrz,
    files: new Map([[0x011e, buildTestEfCom([1])]]),
    internalAuthenticate: (c) => new Uint8Array(sign('sha256', c, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  });
  const channel = new ApduChannel(chip);
  await channel.selectEmrtdApplication();
  await performBac(channel, mrz, (n) => new Uint8Array(randomBytes(n)));
  const r = await performActiveAuthentication(channel, { algorithm: 'EC', key: spki });
  assert.ok(r.valid, r.detail);
  assert.is(r.challenge.length, 16);
  assert.is(r.signatureLength, 64);
  // A chip with another key (a clone carrying the genuine DG15) fails.
  const other = ecKey('prime256v1');
  const r2 = await performActiveAuthentication(channel, { algorithm: 'EC', key: other.spki });
  assert.not.ok(r2.valid);
});

test.run();
