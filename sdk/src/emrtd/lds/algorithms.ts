/**
 * Object identifiers the LDS, CMS and ICAO PKI structures use, and the algorithm tables built on
 * them: hash algorithms allowed in the LDS security object, signature algorithms found in
 * SignerInfos and certificates (including RSASSA-PSS parameters), and the elliptic curves that
 * appear in DG14, DG15 and PACE domain parameters.
 */

import type { TlvNode } from '../codec/ber-tlv.js';
import {
  ASN1,
  childrenOf,
  contextTag,
  expectTag,
  fail,
  readAlgorithmIdentifier,
  readSmallInt,
  type DerContext,
  type RawAlgorithmIdentifier,
} from './der-reader.js';

export const OID = {
  // CMS (RFC 5652) and PKCS #9 attributes
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  // ICAO Doc 9303 part 10/12 (id-icao-mrtd-security = 2.23.136.1.1)
  ldsSecurityObject: '2.23.136.1.1.1',
  cscaMasterList: '2.23.136.1.1.2',
  cscaMasterListSigningKey: '2.23.136.1.1.3',
  activeAuthentication: '2.23.136.1.1.5',
  documentTypeList: '2.23.136.1.1.6.2',
  // BSI TR-03110 EF.CardSecurity content type
  securityObject: '0.4.0.127.0.7.3.2.1',
  // Keys
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  primeField: '1.2.840.10045.1.1',
  dhPublicNumber: '1.2.840.10046.2.1',
  // X.509 extensions
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  privateKeyUsagePeriod: '2.5.29.16',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
} as const;

export type HashAlgorithmName = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

interface HashInfo {
  name: HashAlgorithmName;
  oid: string;
  length: number;
  /** Name for node:crypto createHash. */
  nodeName: string;
}

export const HASH_ALGORITHMS: readonly HashInfo[] = Object.freeze([
  { name: 'SHA-1', oid: '1.3.14.3.2.26', length: 20, nodeName: 'sha1' },
  { name: 'SHA-224', oid: '2.16.840.1.101.3.4.2.4', length: 28, nodeName: 'sha224' },
  { name: 'SHA-256', oid: '2.16.840.1.101.3.4.2.1', length: 32, nodeName: 'sha256' },
  { name: 'SHA-384', oid: '2.16.840.1.101.3.4.2.2', length: 48, nodeName: 'sha384' },
  { name: 'SHA-512', oid: '2.16.840.1.101.3.4.2.3', length: 64, nodeName: 'sha512' },
]);

export function hashByOid(oid: string): HashInfo | undefined {
  return HASH_ALGORITHMS.find((h) => h.oid === oid);
}

export function hashByName(name: string): HashInfo | undefined {
  return HASH_ALGORITHMS.find((h) => h.name === name);
}

export type SignatureFamily = 'RSA-PKCS1' | 'RSA-PSS' | 'ECDSA' | 'ECDSA-PLAIN' | 'DSA';

interface SignatureInfo {
  name: string;
  family: SignatureFamily;
  /** Absent where the hash comes from elsewhere (digestAlgorithm, or the PSS parameters). */
  hash?: HashAlgorithmName;
}

/**
 * Signature algorithm OIDs met in eMRTD SignerInfos and certificates. rsaEncryption and
 * id-ecPublicKey are key OIDs, but several issuers put them in signatureAlgorithm, meaning
 * "PKCS #1 v1.5 / ECDSA with the SignerInfo's digestAlgorithm"; they are listed so such SODs parse.
 */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureInfo>> = Object.freeze({
  '1.2.840.113549.1.1.1': { name: 'rsaEncryption', family: 'RSA-PKCS1' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', family: 'RSA-PKCS1', hash: 'SHA-1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', family: 'RSA-PKCS1', hash: 'SHA-224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', family: 'RSA-PKCS1', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', family: 'RSA-PKCS1', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', family: 'RSA-PKCS1', hash: 'SHA-512' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', family: 'RSA-PSS' },
  '1.2.840.10045.2.1': { name: 'id-ecPublicKey', family: 'ECDSA' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', family: 'ECDSA', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', family: 'ECDSA', hash: 'SHA-224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', family: 'ECDSA', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', family: 'ECDSA', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', family: 'ECDSA', hash: 'SHA-512' },
  // BSI TR-03111 plain (r || s) ECDSA, used by Active Authentication and some issuers.
  '0.4.0.127.0.7.1.1.4.1.1': { name: 'ecdsa-plain-SHA1', family: 'ECDSA-PLAIN', hash: 'SHA-1' },
  '0.4.0.127.0.7.1.1.4.1.2': { name: 'ecdsa-plain-SHA224', family: 'ECDSA-PLAIN', hash: 'SHA-224' },
  '0.4.0.127.0.7.1.1.4.1.3': { name: 'ecdsa-plain-SHA256', family: 'ECDSA-PLAIN', hash: 'SHA-256' },
  '0.4.0.127.0.7.1.1.4.1.4': { name: 'ecdsa-plain-SHA384', family: 'ECDSA-PLAIN', hash: 'SHA-384' },
  '0.4.0.127.0.7.1.1.4.1.5': { name: 'ecdsa-plain-SHA512', family: 'ECDSA-PLAIN', hash: 'SHA-512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', family: 'DSA', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa-with-sha224', family: 'DSA', hash: 'SHA-224' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-sha256', family: 'DSA', hash: 'SHA-256' },
});

export interface CurveInfo {
  name: string;
  oid: string;
  /** Field size in bits. */
  bits: number;
  /** The names OpenSSL (and so node:crypto) uses. */
  opensslName: string;
}

export const CURVES: readonly CurveInfo[] = Object.freeze([
  { name: 'P-192', oid: '1.2.840.10045.3.1.1', bits: 192, opensslName: 'prime192v1' },
  { name: 'P-224', oid: '1.3.132.0.33', bits: 224, opensslName: 'secp224r1' },
  { name: 'P-256', oid: '1.2.840.10045.3.1.7', bits: 256, opensslName: 'prime256v1' },
  { name: 'P-384', oid: '1.3.132.0.34', bits: 384, opensslName: 'secp384r1' },
  { name: 'P-521', oid: '1.3.132.0.35', bits: 521, opensslName: 'secp521r1' },
  { name: 'brainpoolP160r1', oid: '1.3.36.3.3.2.8.1.1.1', bits: 160, opensslName: 'brainpoolP160r1' },
  { name: 'brainpoolP192r1', oid: '1.3.36.3.3.2.8.1.1.3', bits: 192, opensslName: 'brainpoolP192r1' },
  { name: 'brainpoolP224r1', oid: '1.3.36.3.3.2.8.1.1.5', bits: 224, opensslName: 'brainpoolP224r1' },
  { name: 'brainpoolP256r1', oid: '1.3.36.3.3.2.8.1.1.7', bits: 256, opensslName: 'brainpoolP256r1' },
  { name: 'brainpoolP320r1', oid: '1.3.36.3.3.2.8.1.1.9', bits: 320, opensslName: 'brainpoolP320r1' },
  { name: 'brainpoolP384r1', oid: '1.3.36.3.3.2.8.1.1.11', bits: 384, opensslName: 'brainpoolP384r1' },
  { name: 'brainpoolP512r1', oid: '1.3.36.3.3.2.8.1.1.13', bits: 512, opensslName: 'brainpoolP512r1' },
]);

export function curveByOid(oid: string): CurveInfo | undefined {
  return CURVES.find((c) => c.oid === oid);
}

export function curveByOpensslName(name: string): CurveInfo | undefined {
  return CURVES.find((c) => c.opensslName === name || c.name === name);
}

/** An AlgorithmIdentifier as reported to callers. */
export interface AlgorithmInfo {
  oid: string;
  /** Readable name when the OID is known. */
  name?: string;
  /** The DER of the parameters field as sent (absent when omitted; `05 00` for an explicit NULL). */
  parameters?: Uint8Array;
}

export interface DigestAlgorithmInfo extends AlgorithmInfo {
  hash?: HashAlgorithmName;
}

export interface RsaPssParameters {
  hash: HashAlgorithmName | string;
  maskGenAlgorithm: string;
  maskGenHash: HashAlgorithmName | string;
  saltLength: number;
  trailerField: number;
}

export interface SignatureAlgorithmInfo extends AlgorithmInfo {
  family?: SignatureFamily;
  /** The hash the signature uses, when the OID or the PSS parameters fix it. */
  hash?: HashAlgorithmName;
  pss?: RsaPssParameters;
}

export function describeDigestAlgorithm(raw: RawAlgorithmIdentifier): DigestAlgorithmInfo {
  const hash = hashByOid(raw.oid);
  return { oid: raw.oid, ...(hash ? { name: hash.name, hash: hash.name } : {}), ...(raw.parameters ? { parameters: raw.parameters } : {}) };
}

/**
 * RSASSA-PSS-params (RFC 4055 / RFC 8017 A.2.3): every field has a default (SHA-1, MGF1 with SHA-1,
 * salt 20, trailer 1), so an absent or empty parameter SEQUENCE is legal and means exactly those.
 */
export function readPssParameters(node: TlvNode | undefined, ctx: DerContext): RsaPssParameters {
  const params: RsaPssParameters = { hash: 'SHA-1', maskGenAlgorithm: OID.mgf1, maskGenHash: 'SHA-1', saltLength: 20, trailerField: 1 };
  if (!node || node.tag === ASN1.NULL) return params;
  const kids = childrenOf(expectTag(node, ASN1.SEQUENCE, ctx, 'RSASSA-PSS parameters'), ctx, 'RSASSA-PSS parameters', { max: 4 });
  for (const kid of kids) {
    const inner = kid.children?.[0];
    switch (kid.tag) {
      case contextTag(0): {
        const alg = readAlgorithmIdentifier(inner, ctx, 'RSASSA-PSS hashAlgorithm');
        params.hash = hashByOid(alg.oid)?.name ?? alg.oid;
        break;
      }
      case contextTag(1): {
        const mgf = readAlgorithmIdentifier(inner, ctx, 'RSASSA-PSS maskGenAlgorithm');
        params.maskGenAlgorithm = mgf.oid;
        if (mgf.oid === OID.mgf1) {
          const mgfHash = readAlgorithmIdentifier(mgf.parametersNode, ctx, 'MGF1 hash algorithm');
          params.maskGenHash = hashByOid(mgfHash.oid)?.name ?? mgfHash.oid;
        } else {
          params.maskGenHash = 'unknown';
        }
        break;
      }
      case contextTag(2):
        params.saltLength = readSmallInt(inner, ctx, 'RSASSA-PSS saltLength');
        break;
      case contextTag(3):
        params.trailerField = readSmallInt(inner, ctx, 'RSASSA-PSS trailerField');
        break;
      default:
        fail(ctx, `RSASSA-PSS parameters: unexpected element with tag ${kid.tag.toString(16)}`);
    }
  }
  return params;
}

export function describeSignatureAlgorithm(raw: RawAlgorithmIdentifier, ctx: DerContext): SignatureAlgorithmInfo {
  const known = SIGNATURE_ALGORITHMS[raw.oid];
  const info: SignatureAlgorithmInfo = { oid: raw.oid, ...(raw.parameters ? { parameters: raw.parameters } : {}) };
  if (!known) return info;
  info.name = known.name;
  info.family = known.family;
  if (known.hash) info.hash = known.hash;
  if (known.family === 'RSA-PSS') {
    const pss = readPssParameters(raw.parametersNode, ctx);
    info.pss = pss;
    const hash = hashByName(pss.hash);
    if (hash) info.hash = hash.name;
  }
  return info;
}
