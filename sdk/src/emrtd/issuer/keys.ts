/**
 * Key generation and signing for the test PKI. Keys come from WebCrypto (what @peculiar/x509
 * needs to issue certificates); signatures over CMS structures are made with node:crypto, which
 * signs with any hash ICAO allows (SHA-224 included, which WebCrypto lacks), gives DER-encoded
 * ECDSA signatures as CMS wants them, and does RSASSA-PSS with a plain RSA key.
 *
 * Brainpool curves are not available in WebCrypto; the test PKI sticks to NIST P-256/P-384 and RSA.
 */

import { KeyObject, constants, createPublicKey, sign, verify, webcrypto } from 'node:crypto';
import { TesseraError } from '../../errors.js';
import { hashByName, type HashAlgorithmName } from '../lds/algorithms.js';

export type TestKeyAlgorithm = 'ECDSA-P256' | 'ECDSA-P384' | 'RSA-2048' | 'RSA-3072' | 'RSA-4096';
export type SignatureScheme = 'ECDSA' | 'RSA-PKCS1' | 'RSA-PSS';

export const TEST_KEY_ALGORITHMS: readonly TestKeyAlgorithm[] = Object.freeze(['ECDSA-P256', 'ECDSA-P384', 'RSA-2048', 'RSA-3072', 'RSA-4096']);

export const subtle = webcrypto.subtle as SubtleCrypto;
/** The WebCrypto provider handed to @peculiar/x509 explicitly, so no global provider is touched. */
export const cryptoProvider = webcrypto as unknown as Crypto;

export function optionsError(message: string, hint?: string): TesseraError {
  return new TesseraError('EMRTD_ISSUER_OPTIONS_INVALID', message, { hint: hint ?? 'Fix the options passed to the test PKI; this is a programming error in the caller.' });
}

export function unsupportedAlgorithm(message: string): TesseraError {
  return new TesseraError('EMRTD_ISSUER_UNSUPPORTED_ALGORITHM', message, {
    hint: `Use one of ${TEST_KEY_ALGORITHMS.join(', ')} (brainpool curves are not in WebCrypto), and SHA-1/224/256/384/512.`,
  });
}

export function isEcAlgorithm(alg: TestKeyAlgorithm): boolean {
  return alg.startsWith('ECDSA-');
}

/** The hash a key of this size is normally paired with (BSI TR-03116-2 / 9303-12 practice). */
export function defaultHashFor(alg: TestKeyAlgorithm): HashAlgorithmName {
  return alg === 'ECDSA-P384' ? 'SHA-384' : 'SHA-256';
}

export function checkKeyAlgorithm(alg: unknown): TestKeyAlgorithm {
  if (typeof alg === 'string' && (TEST_KEY_ALGORITHMS as readonly string[]).includes(alg)) return alg as TestKeyAlgorithm;
  if (typeof alg === 'string' && alg.toLowerCase().includes('brainpool')) {
    throw unsupportedAlgorithm(`${alg}: brainpool curves are not available in WebCrypto, so the test PKI cannot issue certificates with them`);
  }
  throw unsupportedAlgorithm(`Unknown key algorithm ${JSON.stringify(alg)}`);
}

export async function generateKeyPair(alg: TestKeyAlgorithm): Promise<CryptoKeyPair> {
  // Extractable: the virtual chip and tests may need to export the keys, and RSA-PSS signing re-imports them.
  if (isEcAlgorithm(alg)) {
    return subtle.generateKey({ name: 'ECDSA', namedCurve: alg === 'ECDSA-P384' ? 'P-384' : 'P-256' }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  }
  const modulusLength = Number(alg.slice(4));
  return subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  ) as Promise<CryptoKeyPair>;
}

/**
 * A WebCrypto private key and algorithm for @peculiar/x509 to sign a certificate or CRL with.
 * RSA keys are bound to one scheme and hash in WebCrypto, so they are re-imported as needed.
 */
export async function webSigningKey(
  keys: CryptoKeyPair,
  alg: TestKeyAlgorithm,
  scheme: SignatureScheme,
  hash: HashAlgorithmName,
): Promise<{ key: CryptoKey; algorithm: Algorithm | EcdsaParams | RsaPssParams }> {
  if (hash === 'SHA-224') throw unsupportedAlgorithm('WebCrypto cannot sign certificates with SHA-224');
  if (isEcAlgorithm(alg)) {
    if (scheme !== 'ECDSA') throw unsupportedAlgorithm(`An EC key cannot sign with ${scheme}`);
    return { key: keys.privateKey, algorithm: { name: 'ECDSA', hash } as EcdsaParams };
  }
  if (scheme === 'ECDSA') throw unsupportedAlgorithm('An RSA key cannot sign with ECDSA');
  const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
  const name = scheme === 'RSA-PSS' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
  const key = await subtle.importKey('pkcs8', pkcs8, { name, hash }, false, ['sign']);
  const algorithm = scheme === 'RSA-PSS' ? ({ name, saltLength: hashByName(hash)!.length, hash } as RsaPssParams) : { name };
  return { key, algorithm };
}

/** A copy backed by a plain ArrayBuffer, which is what WebCrypto-typed APIs accept. */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

export function toKeyObject(key: CryptoKey | KeyObject): KeyObject {
  return key instanceof KeyObject ? key : KeyObject.from(key);
}

/** Signs `data` for CMS: DER ECDSA, PKCS #1 v1.5, or PSS with salt = hash length and MGF1 with the same hash. */
export function signForCms(key: CryptoKey | KeyObject, scheme: SignatureScheme, hash: HashAlgorithmName, data: Uint8Array): Uint8Array {
  const info = hashByName(hash);
  if (!info) throw unsupportedAlgorithm(`Unknown hash ${JSON.stringify(hash)}`);
  const keyObject = toKeyObject(key);
  const type = keyObject.asymmetricKeyType;
  if (scheme === 'ECDSA') {
    if (type !== 'ec') throw unsupportedAlgorithm(`ECDSA needs an EC key, got ${type}`);
    return sign(info.nodeName, data, { key: keyObject, dsaEncoding: 'der' });
  }
  if (type !== 'rsa' && type !== 'rsa-pss') throw unsupportedAlgorithm(`${scheme} needs an RSA key, got ${type}`);
  if (scheme === 'RSA-PSS') return sign(info.nodeName, data, { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: info.length });
  return sign(info.nodeName, data, { key: keyObject, padding: constants.RSA_PKCS1_PADDING });
}

/** Checks a fresh signature against the certificate's key, so a key/certificate mix-up fails here, not at an inspection. */
export function verifyForCms(spki: Uint8Array, scheme: SignatureScheme, hash: HashAlgorithmName, data: Uint8Array, signature: Uint8Array): boolean {
  const info = hashByName(hash)!;
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (scheme === 'ECDSA') return verify(info.nodeName, data, { key, dsaEncoding: 'der' }, signature);
  if (scheme === 'RSA-PSS') return verify(info.nodeName, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: info.length }, signature);
  return verify(info.nodeName, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
}
