/**
 * Active Authentication (ICAO Doc 9303 part 11 §6.1): the chip signs a random challenge with the
 * private key whose public half is in DG15, proving it is not a copy. Its verdict is meaningful
 * only once Passive Authentication has shown that DG15 is the issuer's: a clone can carry a DG15
 * of its own making. The checks enforce that; this module only runs the protocol and verifies.
 *
 *   ECDSA: plain r || s (BSI TR-03111) over SHA-1/224/256/384/512, from the DG14
 *          ActiveAuthenticationInfo when present, else by key size (≤256 → SHA-256, ≤384 →
 *          SHA-384, else SHA-512). A DER-encoded signature is accepted too.
 *   RSA:   ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery: the chip's
 *          nonce M1 is recovered from the signature, the challenge is M2, the trailer says the hash.
 */
import { createHash, createPublicKey, randomBytes, verify as verifySignature, type KeyObject } from 'node:crypto';
import { TesseraError, isTesseraError } from '@tessera/sdk';
import { toHex, type ApduChannel } from '@tessera/sdk/emrtd';

export interface AaPublicKey {
  algorithm: 'RSA' | 'EC';
  /** DER SubjectPublicKeyInfo (DG15's content). */
  key: Uint8Array;
  ec?: { fieldBits?: number; publicPoint?: Uint8Array };
}

export interface AaVerification {
  valid: boolean;
  /** E.g. 'ECDSA P-256 with SHA-256 (plain r||s)' or 'RSA 1024, ISO/IEC 9796-2 scheme 1, SHA-1'. */
  algorithm: string;
  detail: string;
  /** Stable code when not valid. */
  code?: string;
}

export interface ActiveAuthResult extends AaVerification {
  challenge: string;
  signatureLength: number;
}

const HASH_BY_OID: Record<string, string> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'sha1',
  '0.4.0.127.0.7.1.1.4.1.2': 'sha224',
  '0.4.0.127.0.7.1.1.4.1.3': 'sha256',
  '0.4.0.127.0.7.1.1.4.1.4': 'sha384',
  '0.4.0.127.0.7.1.1.4.1.5': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/** ISO/IEC 10118-3 hash identifiers used in a two-byte 9796-2 trailer (xx 'CC'). */
const TRAILER_HASH: Record<number, { name: string; length: number }> = {
  0x33: { name: 'sha1', length: 20 },
  0x34: { name: 'sha256', length: 32 },
  0x35: { name: 'sha512', length: 64 },
  0x36: { name: 'sha384', length: 48 },
  0x38: { name: 'sha224', length: 28 },
};

const display = (hash: string) => hash.toUpperCase().replace('SHA', 'SHA-');

function bigFromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

function bytesFromBig(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(length * 2, '0');
  return Uint8Array.from(Buffer.from(hex.slice(hex.length - length * 2), 'hex'));
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

function b64url(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64url'));
}

function loadKey(spki: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (e) {
    throw new TesseraError('EMRTD_AA_KEY_UNSUPPORTED', `The Active Authentication key in DG15 cannot be used: ${e instanceof Error ? e.message : String(e)}`, {
      hint: 'The key uses parameters this system cannot load.',
      cause: e,
    });
  }
}

/** Verifies an RSA ISO/IEC 9796-2 scheme 1 signature over M1 (recovered) || challenge. */
export function verifyRsa9796(spki: Uint8Array, challenge: Uint8Array, signature: Uint8Array): AaVerification {
  const jwk = loadKey(spki).export({ format: 'jwk' });
  const n = bigFromBytes(b64url(jwk.n!));
  const e = bigFromBytes(b64url(jwk.e!));
  const bits = n.toString(2).length;
  const algorithm = `RSA ${bits}, ISO/IEC 9796-2 scheme 1`;
  const bad = (detail: string): AaVerification => ({ valid: false, algorithm, detail, code: 'EMRTD_AA_SIGNATURE_INVALID' });
  const s = bigFromBytes(signature);
  if (s === 0n || s >= n) return bad('The signature is not a number below the modulus.');
  let m = modPow(s, e, n);
  // 9796-2 lets the signer send min(σ, n − σ); the representative always ends in nibble 'C'.
  if ((m & 0xfn) !== 0xcn) m = n - m;
  if ((m & 0xfn) !== 0xcn) return bad('The recovered message does not end with a 9796-2 trailer.');
  const length = Math.ceil((bits - 1) / 8);
  const f = bytesFromBig(m, length);
  let hash: { name: string; length: number };
  let trailer: number;
  if (f[f.length - 1] === 0xbc) {
    hash = TRAILER_HASH[0x33]!;
    trailer = 1;
  } else if (f[f.length - 1] === 0xcc && TRAILER_HASH[f[f.length - 2]!]) {
    hash = TRAILER_HASH[f[f.length - 2]!]!;
    trailer = 2;
  } else return bad(`Unknown 9796-2 trailer ${toHex(f.subarray(f.length - 2))}.`);
  const header = f[0]!;
  if ((header & 0xc0) !== 0x40) return bad(`The recovered message starts with ${toHex(f.subarray(0, 1))}, not a 9796-2 header.`);
  const partial = (header & 0x20) !== 0;
  // Padding nibbles 'B' end with nibble 'A'; ICAO chips normally have none ('6A').
  let start = 1;
  if ((header & 0x0f) !== 0x0a) {
    while (start < f.length && f[start] === 0xbb) start++;
    if (f[start] !== 0xba) return bad('The 9796-2 padding is malformed.');
    start++;
  }
  const hashStart = f.length - trailer - hash.length;
  if (hashStart < start) return bad('The recovered message is too short for its hash.');
  const m1 = f.subarray(start, hashStart);
  const h = f.subarray(hashStart, f.length - trailer);
  const digest = createHash(hash.name).update(m1).update(partial ? challenge : new Uint8Array(0)).digest();
  const name = `${algorithm}, ${display(hash.name)}`;
  if (!Buffer.from(h).equals(digest)) return { ...bad('The hash in the signature does not match the chip nonce and the challenge.'), algorithm: name };
  if (!partial && !Buffer.from(m1.subarray(m1.length - challenge.length)).equals(Buffer.from(challenge))) {
    return { ...bad('The fully recovered message does not contain the challenge.'), algorithm: name };
  }
  return { valid: true, algorithm: name, detail: `The chip signed the challenge (${partial ? 'partial' : 'full'} message recovery, ${m1.length}-byte chip nonce).` };
}

/** Verifies an ECDSA signature (plain r||s, or DER) over the challenge. */
export function verifyEcdsa(spki: Uint8Array, challenge: Uint8Array, signature: Uint8Array, signatureAlgorithmOid?: string): AaVerification {
  const key = loadKey(spki);
  const details = key.asymmetricKeyDetails ?? {};
  const curve = (details as { namedCurve?: string }).namedCurve ?? 'EC';
  const jwk = (() => {
    try {
      return key.export({ format: 'jwk' });
    } catch {
      return undefined;
    }
  })();
  const fieldBytes = jwk?.x ? b64url(jwk.x).length : signature.length / 2;
  const fieldBits = fieldBytes * 8;
  let hash = signatureAlgorithmOid ? HASH_BY_OID[signatureAlgorithmOid] : undefined;
  if (signatureAlgorithmOid && !hash) {
    return { valid: false, algorithm: `ECDSA ${curve}`, detail: `The signature algorithm ${signatureAlgorithmOid} named in DG14 is not supported.`, code: 'EMRTD_AA_ALGORITHM_UNSUPPORTED' };
  }
  hash ??= fieldBits <= 256 ? 'sha256' : fieldBits <= 384 ? 'sha384' : 'sha512';
  const der = signature[0] === 0x30 && signature[1] === signature.length - 2;
  const algorithm = `ECDSA ${curve} with ${display(hash)} (${der ? 'DER' : 'plain r||s'})`;
  let ok = false;
  try {
    ok = verifySignature(hash, challenge, { key, dsaEncoding: der ? 'der' : 'ieee-p1363' }, signature);
  } catch {
    ok = false;
  }
  return ok
    ? { valid: true, algorithm, detail: 'The chip signed the challenge with the DG15 key.' }
    : { valid: false, algorithm, detail: 'The signature does not verify with the DG15 key.', code: 'EMRTD_AA_SIGNATURE_INVALID' };
}

export function verifyActiveAuthentication(key: AaPublicKey, challenge: Uint8Array, signature: Uint8Array, signatureAlgorithmOid?: string): AaVerification {
  try {
    return key.algorithm === 'RSA' ? verifyRsa9796(key.key, challenge, signature) : verifyEcdsa(key.key, challenge, signature, signatureAlgorithmOid);
  } catch (e) {
    return { valid: false, algorithm: key.algorithm, detail: e instanceof Error ? e.message : String(e), code: isTesseraError(e) ? e.code : 'EMRTD_AA_FAILED' };
  }
}

export interface ActiveAuthOptions {
  /** DG14's ActiveAuthenticationInfo signature algorithm (ECDSA). */
  signatureAlgorithmOid?: string;
  /** 8-byte challenge source (default: crypto random). */
  challenge?: Uint8Array;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Sends INTERNAL AUTHENTICATE with an 8-byte random challenge and verifies the answer. Throws on a broken link. */
export async function performActiveAuthentication(channel: Pick<ApduChannel, 'send'>, key: AaPublicKey, options: ActiveAuthOptions = {}): Promise<ActiveAuthResult> {
  const challenge = options.challenge ?? new Uint8Array(randomBytes(8));
  const response = await channel.send({ cla: 0x00, ins: 0x88, p1: 0x00, p2: 0x00, data: challenge, ne: 256 }, { signal: options.signal, timeoutMs: options.timeoutMs });
  const base = { challenge: toHex(challenge), signatureLength: response.data.length };
  if (!response.ok || response.data.length === 0) {
    return {
      ...base,
      valid: false,
      algorithm: key.algorithm,
      detail: `The chip refused INTERNAL AUTHENTICATE (SW ${response.sw.toString(16).toUpperCase().padStart(4, '0')}).`,
      code: 'EMRTD_AA_REFUSED',
    };
  }
  return { ...base, ...verifyActiveAuthentication(key, challenge, response.data, options.signatureAlgorithmOid) };
}
