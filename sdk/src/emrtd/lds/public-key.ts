/**
 * SubjectPublicKeyInfo as eMRTDs store it: DG15 (Active Authentication, RSA or EC), DG14 and
 * EF.CardSecurity (Chip Authentication, EC or DH). Chips commonly carry EC keys with explicit
 * domain parameters instead of a curve OID (both BSI reference sets do), so explicit parameters
 * are returned in full and, where they match a standard curve, that curve is named too.
 */

import { createPublicKey } from 'node:crypto';
import type { TlvNode } from '../codec/ber-tlv.js';
import { OID, curveByOid, curveByOpensslName } from './algorithms.js';
import {
  ASN1,
  childrenOf,
  decodeDer,
  expectTag,
  fail,
  readAlgorithmIdentifier,
  readBitStringBytes,
  readIntegerBytes,
  readOctets,
  readOid,
  unsignedMagnitude,
  type DerContext,
} from './der-reader.js';

export interface EcExplicitParameters {
  fieldType: string;
  prime: Uint8Array;
  a: Uint8Array;
  b: Uint8Array;
  /** Base point, uncompressed (04 || x || y) or as stored. */
  generator: Uint8Array;
  order: Uint8Array;
  cofactor?: Uint8Array;
  seed?: Uint8Array;
}

export interface EcPublicKeyDetails {
  /** The curve's OID: given in the key, or matched from explicit parameters. */
  curveOid?: string;
  /** 'P-256', 'brainpoolP224r1', ... when known. */
  curveName?: string;
  /** True when the key carries the domain parameters instead of a curve OID. */
  explicitParameters: boolean;
  parameters?: EcExplicitParameters;
  /** The public point as stored (normally 04 || x || y). */
  publicPoint: Uint8Array;
  /** Field size in bits, when known. */
  fieldBits?: number;
}

export interface RsaPublicKeyDetails {
  /** Unsigned big-endian, without a sign-padding zero. */
  modulus: Uint8Array;
  publicExponent: Uint8Array;
  bits: number;
  /**
   * True when the modulus INTEGER lacks the leading zero DER requires for a high first bit,
   * i.e. it is strictly a negative number (seen in the BSI 2008 reference DG15). Kept readable
   * because signature checks use the magnitude; flagged because strict parsers reject it.
   */
  modulusMissingSignByte?: boolean;
}

export interface DhPublicKeyDetails {
  prime: Uint8Array;
  generator: Uint8Array;
  order?: Uint8Array;
  publicValue: Uint8Array;
}

export interface PublicKeyDescription {
  algorithm: 'RSA' | 'EC' | 'DH' | 'unknown';
  algorithmOid: string;
  /** The DER SubjectPublicKeyInfo, exactly as stored. */
  key: Uint8Array;
  rsa?: RsaPublicKeyDetails;
  ec?: EcPublicKeyDetails;
  dh?: DhPublicKeyDetails;
}

function bitLength(magnitude: Uint8Array): number {
  const m = unsignedMagnitude(magnitude);
  if (m.length === 0 || (m.length === 1 && m[0] === 0)) return 0;
  return (m.length - 1) * 8 + (32 - Math.clz32(m[0]));
}

function readExplicitEcParameters(node: TlvNode, ctx: DerContext): EcExplicitParameters {
  // ECParameters ::= SEQUENCE { version, fieldID { fieldType, prime }, curve { a, b, seed? }, base, order, cofactor? }
  const kids = childrenOf(expectTag(node, ASN1.SEQUENCE, ctx, 'ECParameters'), ctx, 'ECParameters', { min: 5, max: 6 });
  const fieldId = childrenOf(expectTag(kids[1], ASN1.SEQUENCE, ctx, 'ECParameters fieldID'), ctx, 'ECParameters fieldID', { min: 2, max: 2 });
  const fieldType = readOid(fieldId[0], ctx, 'ECParameters fieldType');
  if (fieldType !== OID.primeField) fail(ctx, `only prime-field curves are used in eMRTDs, found field type ${fieldType}`);
  const curve = childrenOf(expectTag(kids[2], ASN1.SEQUENCE, ctx, 'ECParameters curve'), ctx, 'ECParameters curve', { min: 2, max: 3 });
  const seed = curve[2] ? readBitStringBytes(curve[2], ctx, 'ECParameters seed') : undefined;
  return {
    fieldType,
    prime: unsignedMagnitude(readIntegerBytes(fieldId[1], ctx, 'ECParameters prime')),
    a: readOctets(curve[0], ctx, 'ECParameters a'),
    b: readOctets(curve[1], ctx, 'ECParameters b'),
    generator: readOctets(kids[3], ctx, 'ECParameters base'),
    order: unsignedMagnitude(readIntegerBytes(kids[4], ctx, 'ECParameters order')),
    ...(kids[5] ? { cofactor: unsignedMagnitude(readIntegerBytes(kids[5], ctx, 'ECParameters cofactor')) } : {}),
    ...(seed ? { seed } : {}),
  };
}

/**
 * Which standard curve explicit parameters describe. OpenSSL (behind node:crypto) compares the
 * full parameter set against its curve table when it loads the key; that is more trustworthy
 * than a second table of constants here. A key OpenSSL refuses simply stays unnamed.
 */
function matchExplicitCurve(spki: Uint8Array): string | undefined {
  try {
    const key = createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' });
    const name = key.asymmetricKeyDetails?.namedCurve;
    return name ? curveByOpensslName(name)?.oid : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a SubjectPublicKeyInfo; structure errors use `ctx.code`. */
export function parsePublicKeyInfo(spki: Uint8Array | TlvNode, ctx: DerContext): PublicKeyDescription {
  const node = spki instanceof Uint8Array ? decodeDer(spki, ctx, { what: 'SubjectPublicKeyInfo' }) : spki;
  const kids = childrenOf(expectTag(node, ASN1.SEQUENCE, ctx, 'SubjectPublicKeyInfo'), ctx, 'SubjectPublicKeyInfo', { min: 2, max: 2 });
  const alg = readAlgorithmIdentifier(kids[0], ctx, 'SubjectPublicKeyInfo algorithm');
  const keyBits = readBitStringBytes(kids[1], ctx, 'subjectPublicKey');
  const base = { algorithmOid: alg.oid, key: node.raw };
  if (alg.oid === OID.rsaEncryption) {
    const rsaKey = decodeDer(keyBits, ctx, { what: 'RSAPublicKey' });
    const [n, e] = childrenOf(expectTag(rsaKey, ASN1.SEQUENCE, ctx, 'RSAPublicKey'), ctx, 'RSAPublicKey', { min: 2, max: 2 });
    const modulusRaw = readIntegerBytes(n, ctx, 'RSA modulus');
    const modulus = unsignedMagnitude(modulusRaw);
    const rsa: RsaPublicKeyDetails = { modulus, publicExponent: unsignedMagnitude(readIntegerBytes(e, ctx, 'RSA public exponent')), bits: bitLength(modulus) };
    if (modulusRaw[0] & 0x80) rsa.modulusMissingSignByte = true;
    return { algorithm: 'RSA', ...base, rsa };
  }
  if (alg.oid === OID.ecPublicKey) {
    const params = alg.parametersNode;
    if (!params) fail(ctx, 'EC public key without domain parameters (implicitlyCA is not usable on an eMRTD)');
    if (params.tag === ASN1.OID) {
      const curveOid = readOid(params, ctx, 'EC named curve');
      const curve = curveByOid(curveOid);
      return { algorithm: 'EC', ...base, ec: { curveOid, ...(curve ? { curveName: curve.name, fieldBits: curve.bits } : {}), explicitParameters: false, publicPoint: keyBits } };
    }
    const parameters = readExplicitEcParameters(params, ctx);
    const curveOid = matchExplicitCurve(node.raw);
    const curve = curveOid ? curveByOid(curveOid) : undefined;
    return {
      algorithm: 'EC',
      ...base,
      ec: { ...(curve ? { curveOid: curve.oid, curveName: curve.name } : {}), explicitParameters: true, parameters, publicPoint: keyBits, fieldBits: bitLength(parameters.prime) },
    };
  }
  if (alg.oid === OID.dhPublicNumber) {
    // DomainParameters ::= SEQUENCE { p, g, q, j OPTIONAL, validationParms OPTIONAL } (ANSI X9.42)
    const p = alg.parametersNode;
    if (!p) fail(ctx, 'DH public key without domain parameters');
    const dp = childrenOf(expectTag(p, ASN1.SEQUENCE, ctx, 'DH domain parameters'), ctx, 'DH domain parameters', { min: 2 });
    const y = decodeDer(keyBits, ctx, { what: 'DH public value' });
    return {
      algorithm: 'DH',
      ...base,
      dh: {
        prime: unsignedMagnitude(readIntegerBytes(dp[0], ctx, 'DH prime')),
        generator: unsignedMagnitude(readIntegerBytes(dp[1], ctx, 'DH generator')),
        ...(dp[2] && dp[2].tag === ASN1.INTEGER ? { order: unsignedMagnitude(readIntegerBytes(dp[2], ctx, 'DH order')) } : {}),
        publicValue: unsignedMagnitude(readIntegerBytes(y, ctx, 'DH public value')),
      },
    };
  }
  return { algorithm: 'unknown', ...base };
}
