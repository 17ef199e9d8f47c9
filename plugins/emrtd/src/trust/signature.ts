/**
 * Signature algorithms and public keys of the eMRTD PKI, verified with node:crypto (OpenSSL).
 *
 * Why node:crypto and not WebCrypto (which pkijs uses): eMRTD keys are very often on Brainpool
 * curves and encoded with explicit domain parameters, which WebCrypto does not accept; OpenSSL
 * does both. For explicit curves OpenSSL cannot map, ECDSA is checked with @noble/curves over
 * the curve built from the parameters. RSASSA-PSS whose MGF1 hash differs from the message hash
 * (node cannot express that) is checked by hand on the raw RSA result (RFC 8017 §9.1.2).
 *
 * The algorithm always comes from the AlgorithmIdentifier of the signature (SignerInfo or
 * certificate), never from the key: the key only has to be of the matching type.
 */

import { constants, createHash, createPublicKey, publicDecrypt, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { TesseraError } from '@tessera/sdk';
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { ASN1, bytesEqual, concatBytes, type DerContext, derInteger, DerNode, derOid, encodeTlv, parseDer } from '@tessera/sdk/emrtd';
import { HASH_BY_OID, NODE_HASH, OID, type HashName } from './oids.js';

/** What DER reading errors here say: PA_ASN1_MALFORMED, naming the structure. */
const DER: DerContext = { file: 'public key or signature', code: 'PA_ASN1_MALFORMED', hint: 'The key or signature encoding is not well-formed DER.' };

export interface SignatureAlgorithm {
  kind: 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa';
  hash: HashName;
  /** RSASSA-PSS parameters (RFC 4055 defaults applied). */
  mgf1Hash?: HashName;
  saltLength?: number;
  /** ECDSA signature encoding: a DER SEQUENCE (X9.62) or plain r‖s (BSI TR-03111). */
  encoding?: 'der' | 'plain';
  oid: string;
  /** e.g. "RSASSA-PSS (SHA-256, MGF1 SHA-256, salt 32)", "ECDSA with SHA-1". */
  name: string;
}

const HASH_LENGTH: Record<HashName, number> = { 'SHA-1': 20, 'SHA-224': 28, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

const RSA_PKCS1: Record<string, HashName> = {
  [OID.sha1WithRSA]: 'SHA-1',
  [OID.sha224WithRSA]: 'SHA-224',
  [OID.sha256WithRSA]: 'SHA-256',
  [OID.sha384WithRSA]: 'SHA-384',
  [OID.sha512WithRSA]: 'SHA-512',
};
const ECDSA_DER: Record<string, HashName> = {
  [OID.ecdsaWithSha1]: 'SHA-1',
  [OID.ecdsaWithSha224]: 'SHA-224',
  [OID.ecdsaWithSha256]: 'SHA-256',
  [OID.ecdsaWithSha384]: 'SHA-384',
  [OID.ecdsaWithSha512]: 'SHA-512',
};
const ECDSA_PLAIN: Record<string, HashName> = {
  [OID.ecdsaPlainSha1]: 'SHA-1',
  [OID.ecdsaPlainSha224]: 'SHA-224',
  [OID.ecdsaPlainSha256]: 'SHA-256',
  [OID.ecdsaPlainSha384]: 'SHA-384',
  [OID.ecdsaPlainSha512]: 'SHA-512',
};

function unsupported(message: string): TesseraError {
  return new TesseraError('PA_UNSUPPORTED_ALGORITHM', message, { hint: 'Supported: RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA with SHA-1/224/256/384/512.' });
}

export function hashOf(algorithmId: DerNode): HashName {
  const oid = algorithmId.child(0, 'algorithm').oid();
  const h = HASH_BY_OID[oid];
  if (!h) throw unsupported(`Unsupported digest algorithm ${oid}.`);
  return h;
}

export function digest(hash: HashName, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(NODE_HASH[hash]).update(data).digest());
}

/**
 * Reads a signature AlgorithmIdentifier. `digestHash` is the CMS SignerInfo digestAlgorithm,
 * needed when the signature algorithm names only the key type (rsaEncryption or
 * id-ecPublicKey), which real SODs do.
 */
export function identifySignatureAlgorithm(algorithmId: DerNode, digestHash?: HashName): SignatureAlgorithm {
  return identify(algorithmId.child(0, 'algorithm').oid(), algorithmId.children[1], digestHash);
}

/** The same for an AlgorithmIdentifier already read (a SignerInfo's, by the SDK's CMS reader): its OID and the DER of its parameters. */
export function signatureAlgorithmOf(algorithm: { oid: string; parameters?: Uint8Array }, digestHash?: HashName): SignatureAlgorithm {
  return identify(algorithm.oid, algorithm.parameters ? parseDer(algorithm.parameters, DER) : undefined, digestHash);
}

function identify(oid: string, params: DerNode | undefined, digestHash: HashName | undefined): SignatureAlgorithm {
  if (RSA_PKCS1[oid]) return { kind: 'rsa-pkcs1', hash: RSA_PKCS1[oid]!, oid, name: `RSA PKCS#1 v1.5 with ${RSA_PKCS1[oid]}` };
  if (ECDSA_DER[oid]) return { kind: 'ecdsa', hash: ECDSA_DER[oid]!, encoding: 'der', oid, name: `ECDSA with ${ECDSA_DER[oid]}` };
  if (ECDSA_PLAIN[oid]) return { kind: 'ecdsa', hash: ECDSA_PLAIN[oid]!, encoding: 'plain', oid, name: `ECDSA (plain r‖s) with ${ECDSA_PLAIN[oid]}` };
  if (oid === OID.rsaEncryption || oid === OID.ecPublicKey) {
    if (!digestHash) throw unsupported(`Signature algorithm ${oid} names no hash and no digest algorithm was given.`);
    return oid === OID.rsaEncryption
      ? { kind: 'rsa-pkcs1', hash: digestHash, oid, name: `RSA PKCS#1 v1.5 with ${digestHash}` }
      : { kind: 'ecdsa', hash: digestHash, encoding: 'der', oid, name: `ECDSA with ${digestHash}` };
  }
  if (oid === OID.rsassaPss) {
    // RSASSA-PSS-params (RFC 4055): every field has a default (SHA-1, MGF1-SHA-1, 20, 1).
    let hash: HashName = 'SHA-1';
    let mgf1Hash: HashName = 'SHA-1';
    let saltLength = 20;
    if (params && params.tag === ASN1.SEQUENCE) {
      for (const p of params.children) {
        if (p.tag === 0xa0) hash = hashOf(p.child(0));
        else if (p.tag === 0xa1) {
          const mgf = p.child(0);
          const mgfOid = mgf.child(0).oid();
          if (mgfOid !== OID.mgf1) throw unsupported(`Unsupported PSS mask generation function ${mgfOid}.`);
          mgf1Hash = hashOf(mgf.child(1, 'MGF1 hash'));
        } else if (p.tag === 0xa2) saltLength = p.child(0).smallInt();
        else if (p.tag === 0xa3 && p.child(0).smallInt() !== 1) throw unsupported('Unsupported PSS trailer field (only 1, 0xBC, is defined).');
      }
    }
    return { kind: 'rsa-pss', hash, mgf1Hash, saltLength, oid, name: `RSASSA-PSS (${hash}, MGF1 ${mgf1Hash}, salt ${saltLength})` };
  }
  throw unsupported(`Unsupported signature algorithm ${oid}.`);
}

// ---------------------------------------------------------------------------------------------
// Public keys

interface ExplicitCurve {
  Point: ReturnType<typeof weierstrass<bigint>>;
  n: bigint;
}

export interface PublicKeyHandle {
  type: 'rsa' | 'ec';
  /** The OpenSSL key; absent only for EC keys on explicit curves OpenSSL cannot load. */
  key?: KeyObject;
  /** Explicit curve and point for the @noble/curves fallback. */
  curve?: ExplicitCurve;
  point?: Uint8Array;
  /** "RSA 4096", "EC brainpoolP256r1", "EC explicit 224-bit curve". */
  description: string;
}

/** Loads a SubjectPublicKeyInfo (RSA, RSASSA-PSS or EC, named or explicit parameters). */
export function loadPublicKey(spki: Uint8Array, options: { forceNoble?: boolean } = {}): PublicKeyHandle {
  const node = parseDer(spki, DER).expect(ASN1.SEQUENCE, 'SubjectPublicKeyInfo');
  const algorithm = node.child(0).expect(ASN1.SEQUENCE, 'AlgorithmIdentifier');
  const oid = algorithm.child(0).oid();
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    // An id-RSASSA-PSS key carries restrictions OpenSSL would enforce on every use; PSS
    // parameters are taken from the signature instead, so the key is re-wrapped as plain RSA.
    const der = oid === OID.rsassaPss ? encodeTlv(ASN1.SEQUENCE, [encodeTlv(ASN1.SEQUENCE, [derOid(OID.rsaEncryption), encodeTlv(ASN1.NULL, new Uint8Array(0))]), node.child(1).raw]) : spki;
    const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    return { type: 'rsa', key, description: `RSA ${key.asymmetricKeyDetails?.modulusLength ?? '?'}` };
  }
  if (oid === OID.ecPublicKey) {
    const params = algorithm.children[1];
    if (!options.forceNoble) {
      try {
        const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
        return { type: 'ec', key, description: `EC ${key.asymmetricKeyDetails?.namedCurve ?? 'explicit curve'}` };
      } catch (e) {
        if (!params || params.tag !== ASN1.SEQUENCE) throw new TesseraError('PA_UNSUPPORTED_KEY', `EC public key on an unsupported curve: ${(e as Error).message}`);
      }
    }
    if (!params || params.tag !== ASN1.SEQUENCE) throw new TesseraError('PA_UNSUPPORTED_KEY', 'EC public key without explicit parameters cannot use the fallback.');
    const curve = explicitCurve(params);
    const point = node.child(1).expect(ASN1.BIT_STRING, 'subjectPublicKey').bits().bytes;
    curve.Point.fromBytes(point).assertValidity();
    return { type: 'ec', curve, point, description: `EC explicit ${bitLength(curve.n)}-bit curve` };
  }
  throw new TesseraError('PA_UNSUPPORTED_KEY', `Unsupported public key algorithm ${oid}.`, { hint: 'Only RSA and EC keys occur in the eMRTD PKI.' });
}

const curveCache = new Map<string, ExplicitCurve>();

/** ECParameters (X9.62 / RFC 3279 SpecifiedECDomain) over a prime field → a noble curve. */
function explicitCurve(params: DerNode): ExplicitCurve {
  const cacheKey = Buffer.from(params.raw).toString('base64');
  const hit = curveCache.get(cacheKey);
  if (hit) return hit;
  const fieldId = params.child(1, 'fieldID');
  if (fieldId.child(0).oid() !== OID.primeField) throw new TesseraError('PA_UNSUPPORTED_KEY', 'Only prime-field EC curves are supported.');
  const p = fieldId.child(1).bigint();
  const curveNode = params.child(2, 'curve');
  const a = unsigned(curveNode.child(0).octets());
  const b = unsigned(curveNode.child(1).octets());
  const base = params.child(3, 'base').octets();
  const n = params.child(4, 'order').bigint();
  const h = params.children[5]?.tag === ASN1.INTEGER ? params.children[5].bigint() : 1n;
  const len = Math.ceil(bitLength(p) / 8);
  if (base[0] !== 0x04 || base.length !== 1 + 2 * len) throw new TesseraError('PA_UNSUPPORTED_KEY', 'Explicit EC parameters with a compressed base point are not supported.');
  const Gx = unsigned(base.subarray(1, 1 + len));
  const Gy = unsigned(base.subarray(1 + len));
  const curve = { Point: weierstrass<bigint>({ p, n, h, a, b, Gx, Gy }), n };
  curveCache.set(cacheKey, curve);
  return curve;
}

function unsigned(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

// ---------------------------------------------------------------------------------------------
// Verification

export interface VerifyOutcome {
  valid: boolean;
  /** Why it is not valid, in words (empty when valid). */
  detail: string;
}

/** Verifies `signature` over `data`. Throws PA_UNSUPPORTED_ALGORITHM only for algorithms it cannot run. */
export function verifySignature(algorithm: SignatureAlgorithm, key: PublicKeyHandle, data: Uint8Array, signature: Uint8Array): VerifyOutcome {
  const wantRsa = algorithm.kind !== 'ecdsa';
  if (wantRsa !== (key.type === 'rsa')) {
    return { valid: false, detail: `The signature algorithm (${algorithm.name}) does not fit the signer's ${key.description} key.` };
  }
  const hashName = NODE_HASH[algorithm.hash];
  try {
    if (algorithm.kind === 'rsa-pkcs1') {
      const ok = nodeVerify(hashName, data, { key: key.key!, padding: constants.RSA_PKCS1_PADDING }, signature);
      return ok ? { valid: true, detail: '' } : { valid: false, detail: 'The RSA signature does not verify with the signer key.' };
    }
    if (algorithm.kind === 'rsa-pss') {
      const ok =
        algorithm.mgf1Hash === algorithm.hash
          ? nodeVerify(hashName, data, { key: key.key!, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength! }, signature)
          : verifyPssByHand(key.key!, digest(algorithm.hash, data), signature, algorithm.hash, algorithm.mgf1Hash!, algorithm.saltLength!);
      return ok ? { valid: true, detail: '' } : { valid: false, detail: 'The RSASSA-PSS signature does not verify with the signer key.' };
    }
    // ECDSA: normalise to a canonical DER SEQUENCE first; some issuers emit non-minimal INTEGERs,
    // and OpenSSL only accepts the canonical form.
    const rs = algorithm.encoding === 'plain' ? splitPlain(signature) : readDerSignature(signature);
    if (!rs) return { valid: false, detail: 'The ECDSA signature value is not well-formed.' };
    const ok = key.key
      ? nodeVerify(hashName, data, { key: key.key, dsaEncoding: 'der' }, concatDerSignature(rs))
      : verifyEcdsaNoble(key.curve!, key.point!, digest(algorithm.hash, data), rs);
    return ok ? { valid: true, detail: '' } : { valid: false, detail: 'The ECDSA signature does not verify with the signer key.' };
  } catch (e) {
    return { valid: false, detail: `The signature could not be checked: ${(e as Error).message}` };
  }
}

function splitPlain(sig: Uint8Array): { r: Uint8Array; s: Uint8Array } | null {
  if (sig.length === 0 || sig.length % 2) return null;
  return { r: sig.subarray(0, sig.length / 2), s: sig.subarray(sig.length / 2) };
}

function readDerSignature(sig: Uint8Array): { r: Uint8Array; s: Uint8Array } | null {
  try {
    const seq = parseDer(sig, DER).expect(ASN1.SEQUENCE, 'ECDSA-Sig-Value');
    if (seq.children.length !== 2) return null;
    return { r: seq.child(0).expect(ASN1.INTEGER, 'r').integerBytes(), s: seq.child(1).expect(ASN1.INTEGER, 's').integerBytes() };
  } catch {
    return null;
  }
}

function concatDerSignature(rs: { r: Uint8Array; s: Uint8Array }): Buffer {
  return Buffer.from(encodeTlv(ASN1.SEQUENCE, [derInteger(rs.r), derInteger(rs.s)]));
}

/** ECDSA verification (SEC 1 §4.1.4) on a curve given by explicit parameters. */
export function verifyEcdsaNoble(curve: ExplicitCurve, pointBytes: Uint8Array, hash: Uint8Array, rs: { r: Uint8Array; s: Uint8Array }): boolean {
  const { Point, n } = curve;
  const r = unsigned(rs.r);
  const s = unsigned(rs.s);
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false;
  // e = leftmost bitlen(n) bits of the hash.
  const nBits = bitLength(n);
  let e = unsigned(hash);
  if (hash.length * 8 > nBits) e >>= BigInt(hash.length * 8 - nBits);
  const w = modInverse(s, n);
  const u1 = (e * w) % n;
  const u2 = (r * w) % n;
  const Q = Point.fromBytes(pointBytes);
  const R = (u1 === 0n ? Point.ZERO : Point.BASE.multiplyUnsafe(u1)).add(u2 === 0n ? Point.ZERO : Q.multiplyUnsafe(u2));
  if (R.equals(Point.ZERO)) return false;
  return R.toAffine().x % n === r;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) over the raw RSA result, for any hash / MGF1 hash pair. */
export function verifyPssByHand(key: KeyObject, mHash: Uint8Array, signature: Uint8Array, hash: HashName, mgf1Hash: HashName, saltLength: number): boolean {
  const modBits = key.asymmetricKeyDetails?.modulusLength;
  if (!modBits) return false;
  const k = Math.ceil(modBits / 8);
  if (signature.length !== k) return false;
  const m = new Uint8Array(publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature));
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const em = m.subarray(m.length - emLen);
  if (m.length > emLen && m[0] !== 0) return false;
  const hLen = HASH_LENGTH[hash];
  if (emLen < hLen + saltLength + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const zeroBits = 8 * emLen - emBits;
  if (maskedDb[0]! & (0xff << (8 - zeroBits)) & 0xff) return false;
  const mask = mgf1(mgf1Hash, h, maskedDb.length);
  const db = maskedDb.map((b, i) => b ^ mask[i]!);
  db[0]! &= 0xff >>> zeroBits;
  const psLen = emLen - hLen - saltLength - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - saltLength);
  const hPrime = digest(hash, concatBytes(new Uint8Array(8), mHash, salt));
  return bytesEqual(h, hPrime);
}

function mgf1(hash: HashName, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const hLen = HASH_LENGTH[hash];
  for (let counter = 0, o = 0; o < length; counter++, o += hLen) {
    const c = Uint8Array.of((counter >>> 24) & 0xff, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff);
    out.set(digest(hash, concatBytes(seed, c)).subarray(0, Math.min(hLen, length - o)), o);
  }
  return out;
}
