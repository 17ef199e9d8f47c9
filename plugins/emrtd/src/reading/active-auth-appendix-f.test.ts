// ICAO Doc 9303-11 Appendix F (worked example, Active Authentication with RSA-1024, SHA-1, ISO/IEC
// 9796-2 scheme 1). The appendix gives RND.IFD, the chip's nonce M1, the hash H and the message
// representative F, but no key pair: we generate one, have the "chip" raise F to its private
// exponent exactly as the appendix's step 10 does, and check that our verifier recovers the
// appendix's M1 and H from the signature and accepts it only for the appendix's challenge.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { constants, createHash, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { verifyRsa9796 } from './active-auth.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

// Appendix F, steps 1, 6, 8 and 9.
const RND_IFD = hex('F173589974BF40C6');
const M1 = hex(`9D2784A67F8E7C659973EA1AEA25D95B 6C8F91E5002F369F0FBDCE8A3CEC1991 B543F1696546C5524CF23A5303CD6C98
  599F40B79F377B5F3A1406B3B4D8F967 84D23AA88DB7E1032A405E69325FA91A 6E86F5C71AEA978264C4A207446DAD4E 7292E2DCDA3024B47DA8`);
const H = 'C063AA1E6D22FBD976AB0FE73D94D2D9C6D88127';
const F = hex(`6A9D2784A67F8E7C659973EA1AEA25D9 5B6C8F91E5002F369F0FBDCE8A3CEC19 91B543F1696546C5524CF23A5303CD6C
  98599F40B79F377B5F3A1406B3B4D8F9 6784D23AA88DB7E1032A405E69325FA9 1A6E86F5C71AEA978264C4A207446DAD
  4E7292E2DCDA3024B47DA8C063AA1E6D 22FBD976AB0FE73D94D2D9C6D88127BC`);

// One 1024-bit key for the file: the appendix's setting (k = 1024, Lh = 160, t = 1 → c = 852 bits).
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
/** Step 10: s = F^d mod n (raw RSA, no padding — the representative is already formatted). */
const chipSigns = (representative: Uint8Array) => {
  const block = new Uint8Array(128);
  block.set(representative, 128 - representative.length);
  return new Uint8Array(privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block));
};

test('the appendix values agree with each other: H = SHA-1(M1 || RND.IFD), F = 6A || M1 || H || BC', () => {
  assert.is(M1.length * 8, 852 - 4, 'Lm1 = c − 4 bits');
  assert.is(toHex(createHash('sha1').update(M1).update(RND_IFD).digest()), H);
  assert.is(toHex(F), `6A${toHex(M1)}${H}BC`);
});

test('a signature over the appendix representative verifies for RND.IFD, with SHA-1 and partial recovery', () => {
  const result = verifyRsa9796(spki, RND_IFD, chipSigns(F));
  assert.ok(result.valid, result.detail);
  assert.is(result.algorithm, 'RSA 1024, ISO/IEC 9796-2 scheme 1, SHA-1');
  assert.match(result.detail, /partial message recovery, 106-byte chip nonce/);
});

test('the same signature fails for any other challenge (replay of an old answer)', () => {
  const other = Uint8Array.from(RND_IFD);
  other[7]! ^= 0x01;
  const result = verifyRsa9796(spki, other, chipSigns(F));
  assert.not.ok(result.valid);
  assert.is(result.code, 'EMRTD_AA_SIGNATURE_INVALID');
  assert.match(result.detail, /hash in the signature does not match/);
});

test('n − s (the alternative ISO/IEC 9796-2 lets a signer send) verifies too', () => {
  const s = BigInt(`0x${toHex(chipSigns(F))}`);
  const jwk = publicKey.export({ format: 'jwk' });
  const n = BigInt(`0x${Buffer.from(jwk.n!, 'base64url').toString('hex')}`);
  const alternative = hex((n - s).toString(16).padStart(256, '0'));
  assert.ok(verifyRsa9796(spki, RND_IFD, alternative).valid);
});

test('a representative with a corrupted hash byte is rejected', () => {
  const tampered = Uint8Array.from(F);
  tampered[F.length - 2]! ^= 0xff;
  const result = verifyRsa9796(spki, RND_IFD, chipSigns(tampered));
  assert.not.ok(result.valid);
  assert.is(result.code, 'EMRTD_AA_SIGNATURE_INVALID');
});

test.run();
