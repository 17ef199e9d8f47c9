/**
 * SecurityInfos (ICAO Doc 9303 part 11 §9.2, BSI TR-03110-3 appendix A): the SET OF
 * { protocol OID, requiredData, optionalData } that tells a terminal which protocols a chip
 * supports and with which parameters. It appears in DG14 (tag '6E': Chip Authentication, Active
 * Authentication, Terminal Authentication), in EF.CardAccess (bare, unsigned: PACE) and inside
 * EF.CardSecurity's signed content.
 *
 * The protocol OIDs encode their parameters: id-PACE-ECDH-GM-AES-CBC-CMAC-128 is
 * 0.4.0.127.0.7.2.2.4.2.2 — arc 4 PACE, arc 2 the mapping/key agreement, arc 2 the cipher. They
 * are decoded from the arcs rather than from a list of names so every combination is handled alike.
 */

import { encodeTlv, type TlvNode } from '../codec/ber-tlv.js';
import type { SymmetricAlgorithm } from '../crypto/algorithms.js';
import { OID, SIGNATURE_ALGORITHMS } from './algorithms.js';
import { ASN1, childrenOf, expectTag, fail, readAlgorithmIdentifier, readOid, readSmallInt, type DerContext, type RawAlgorithmIdentifier } from './der-reader.js';
import { derInteger, derOid, derSequence, derSetOf } from './der-writer.js';
import { dataGroupTag, EF_CARD_ACCESS } from './file-ids.js';
import { ldsError } from './lds-errors.js';
import { parsePublicKeyInfo, type PublicKeyDescription } from './public-key.js';
import { openTemplate } from './template.js';

/** bsi-de protocols smartcard: 0.4.0.127.0.7.2.2 */
export const ID_BSI_PROTOCOLS = '0.4.0.127.0.7.2.2';
export const ID_PK = `${ID_BSI_PROTOCOLS}.1`;
export const ID_TA = `${ID_BSI_PROTOCOLS}.2`;
export const ID_CA = `${ID_BSI_PROTOCOLS}.3`;
export const ID_PACE = `${ID_BSI_PROTOCOLS}.4`;

export type KeyAgreement = 'DH' | 'ECDH';
export type PaceMapping = 'GM' | 'IM' | 'CAM';

export interface StandardDomainParameters {
  id: number;
  keyAgreement: KeyAgreement;
  name: string;
  /** Curve OID for the elliptic-curve entries. */
  curveOid?: string;
  /** Size of the prime field / modulus in bits. */
  fieldBits: number;
  /** Size of the prime-order subgroup in bits (MODP groups). */
  orderBits?: number;
}

/**
 * Standardized domain parameters (ICAO Doc 9303 part 11 §9.5.1, BSI TR-03110-3 table 4). Ids
 * 3–7 and 19–31 are reserved. The MODP groups are those of RFC 5114 §2.1–2.3.
 */
export const PACE_STANDARD_DOMAIN_PARAMETERS: readonly StandardDomainParameters[] = Object.freeze([
  { id: 0, keyAgreement: 'DH', name: '1024-bit MODP Group with 160-bit Prime Order Subgroup', fieldBits: 1024, orderBits: 160 },
  { id: 1, keyAgreement: 'DH', name: '2048-bit MODP Group with 224-bit Prime Order Subgroup', fieldBits: 2048, orderBits: 224 },
  { id: 2, keyAgreement: 'DH', name: '2048-bit MODP Group with 256-bit Prime Order Subgroup', fieldBits: 2048, orderBits: 256 },
  { id: 8, keyAgreement: 'ECDH', name: 'NIST P-192 (secp192r1)', curveOid: '1.2.840.10045.3.1.1', fieldBits: 192 },
  { id: 9, keyAgreement: 'ECDH', name: 'BrainpoolP192r1', curveOid: '1.3.36.3.3.2.8.1.1.3', fieldBits: 192 },
  { id: 10, keyAgreement: 'ECDH', name: 'NIST P-224 (secp224r1)', curveOid: '1.3.132.0.33', fieldBits: 224 },
  { id: 11, keyAgreement: 'ECDH', name: 'BrainpoolP224r1', curveOid: '1.3.36.3.3.2.8.1.1.5', fieldBits: 224 },
  { id: 12, keyAgreement: 'ECDH', name: 'NIST P-256 (secp256r1)', curveOid: '1.2.840.10045.3.1.7', fieldBits: 256 },
  { id: 13, keyAgreement: 'ECDH', name: 'BrainpoolP256r1', curveOid: '1.3.36.3.3.2.8.1.1.7', fieldBits: 256 },
  { id: 14, keyAgreement: 'ECDH', name: 'BrainpoolP320r1', curveOid: '1.3.36.3.3.2.8.1.1.9', fieldBits: 320 },
  { id: 15, keyAgreement: 'ECDH', name: 'NIST P-384 (secp384r1)', curveOid: '1.3.132.0.34', fieldBits: 384 },
  { id: 16, keyAgreement: 'ECDH', name: 'BrainpoolP384r1', curveOid: '1.3.36.3.3.2.8.1.1.11', fieldBits: 384 },
  { id: 17, keyAgreement: 'ECDH', name: 'BrainpoolP512r1', curveOid: '1.3.36.3.3.2.8.1.1.13', fieldBits: 512 },
  { id: 18, keyAgreement: 'ECDH', name: 'NIST P-521 (secp521r1)', curveOid: '1.3.132.0.35', fieldBits: 521 },
]);

export function standardDomainParameters(id: number): StandardDomainParameters | undefined {
  return PACE_STANDARD_DOMAIN_PARAMETERS.find((p) => p.id === id);
}

interface InfoBase {
  protocol: string;
  /** The DER of this SecurityInfo, as stored. */
  raw: Uint8Array;
}

export interface PaceInfo extends InfoBase {
  kind: 'PACEInfo';
  version: number;
  keyAgreement: KeyAgreement;
  mapping: PaceMapping;
  cipher: SymmetricAlgorithm;
  /** Absent means proprietary parameters given by a PACEDomainParameterInfo. */
  parameterId?: number;
  /** The standardized parameters for parameterId 0–18, when it names one. */
  standardDomainParameters?: StandardDomainParameters;
}

export interface PaceDomainParameterInfo extends InfoBase {
  kind: 'PACEDomainParameterInfo';
  keyAgreement: KeyAgreement;
  mapping: PaceMapping;
  domainParameter: { oid: string; parameters?: Uint8Array };
  parameterId?: number;
}

export interface ChipAuthenticationInfo extends InfoBase {
  kind: 'ChipAuthenticationInfo';
  version: number;
  keyAgreement: KeyAgreement;
  cipher: SymmetricAlgorithm;
  keyId?: number;
}

export interface ChipAuthenticationPublicKeyInfo extends InfoBase {
  kind: 'ChipAuthenticationPublicKeyInfo';
  keyAgreement: KeyAgreement;
  publicKey: PublicKeyDescription;
  keyId?: number;
}

export interface ChipAuthenticationDomainParameterInfo extends InfoBase {
  kind: 'ChipAuthenticationDomainParameterInfo';
  keyAgreement: KeyAgreement;
  domainParameter: { oid: string; parameters?: Uint8Array };
  keyId?: number;
}

export interface TerminalAuthenticationInfo extends InfoBase {
  kind: 'TerminalAuthenticationInfo';
  version: number;
  /** The optional efCVCA file reference, as stored. */
  efCvca?: Uint8Array;
}

export interface ActiveAuthenticationInfo extends InfoBase {
  kind: 'ActiveAuthenticationInfo';
  version: number;
  signatureAlgorithm: string;
  signatureAlgorithmName?: string;
}

export interface OtherSecurityInfo extends InfoBase {
  kind: 'Other';
  /** A readable name for protocols this library knows of but does not decode. */
  name?: string;
}

export type SecurityInfo =
  | PaceInfo
  | PaceDomainParameterInfo
  | ChipAuthenticationInfo
  | ChipAuthenticationPublicKeyInfo
  | ChipAuthenticationDomainParameterInfo
  | TerminalAuthenticationInfo
  | ActiveAuthenticationInfo
  | OtherSecurityInfo;

const CIPHERS: Record<string, SymmetricAlgorithm> = { '1': '3DES', '2': 'AES128', '3': 'AES192', '4': 'AES256' };
const PACE_MAPPINGS: Record<string, { keyAgreement: KeyAgreement; mapping: PaceMapping }> = {
  '1': { keyAgreement: 'DH', mapping: 'GM' },
  '2': { keyAgreement: 'ECDH', mapping: 'GM' },
  '3': { keyAgreement: 'DH', mapping: 'IM' },
  '4': { keyAgreement: 'ECDH', mapping: 'IM' },
  '6': { keyAgreement: 'ECDH', mapping: 'CAM' },
};
const KEY_AGREEMENTS: Record<string, KeyAgreement> = { '1': 'DH', '2': 'ECDH' };

const OTHER_NAMES: Record<string, string> = {
  [`${ID_BSI_PROTOCOLS}.5`]: 'RestrictedIdentification',
  [`${ID_BSI_PROTOCOLS}.6`]: 'CardInfoLocator',
  [`${ID_BSI_PROTOCOLS}.7`]: 'eIDSecurityInfo',
  [`${ID_BSI_PROTOCOLS}.8`]: 'PrivilegedTerminalInfo',
};

/** Arcs of `oid` after `prefix`, or undefined when it does not start with it. */
function arcsAfter(oid: string, prefix: string): string[] | undefined {
  return oid.startsWith(`${prefix}.`) ? oid.slice(prefix.length + 1).split('.') : undefined;
}

function optionalInt(node: TlvNode | undefined, ctx: DerContext, what: string): number | undefined {
  return node ? readSmallInt(node, ctx, what) : undefined;
}

function domainParameter(raw: RawAlgorithmIdentifier): { oid: string; parameters?: Uint8Array } {
  return raw.parameters ? { oid: raw.oid, parameters: raw.parameters } : { oid: raw.oid };
}

function readSecurityInfo(node: TlvNode, index: number, ctx: DerContext): SecurityInfo {
  const what = `SecurityInfo ${index + 1}`;
  const kids = childrenOf(expectTag(node, ASN1.SEQUENCE, ctx, what), ctx, what, { min: 1 });
  const protocol = readOid(kids[0], ctx, `${what} protocol`);
  const required = kids[1];
  const optional = kids[2];
  const raw = node.raw;
  const need = (n: TlvNode | undefined, field: string): TlvNode => n ?? fail(ctx, `${what} (${protocol}): ${field} is missing`);

  let arcs = arcsAfter(protocol, ID_PACE);
  if (arcs) {
    const mapping = PACE_MAPPINGS[arcs[0]];
    if (mapping && arcs.length === 2 && CIPHERS[arcs[1]] && !(mapping.mapping === 'CAM' && arcs[1] === '1')) {
      const parameterId = optionalInt(optional, ctx, `${what} parameterId`);
      const standard = parameterId === undefined ? undefined : standardDomainParameters(parameterId);
      return {
        kind: 'PACEInfo',
        protocol,
        version: readSmallInt(need(required, 'version'), ctx, `${what} version`),
        ...mapping,
        cipher: CIPHERS[arcs[1]],
        ...(parameterId !== undefined ? { parameterId } : {}),
        ...(standard ? { standardDomainParameters: standard } : {}),
        raw,
      };
    }
    if (mapping && arcs.length === 1) {
      const parameterId = optionalInt(optional, ctx, `${what} parameterId`);
      return {
        kind: 'PACEDomainParameterInfo',
        protocol,
        ...mapping,
        domainParameter: domainParameter(readAlgorithmIdentifier(need(required, 'domainParameter'), ctx, `${what} domainParameter`)),
        ...(parameterId !== undefined ? { parameterId } : {}),
        raw,
      };
    }
  }
  arcs = arcsAfter(protocol, ID_CA);
  if (arcs) {
    const keyAgreement = KEY_AGREEMENTS[arcs[0]];
    if (keyAgreement && arcs.length === 2 && CIPHERS[arcs[1]]) {
      const keyId = optionalInt(optional, ctx, `${what} keyId`);
      return {
        kind: 'ChipAuthenticationInfo',
        protocol,
        version: readSmallInt(need(required, 'version'), ctx, `${what} version`),
        keyAgreement,
        cipher: CIPHERS[arcs[1]],
        ...(keyId !== undefined ? { keyId } : {}),
        raw,
      };
    }
    if (keyAgreement && arcs.length === 1) {
      const keyId = optionalInt(optional, ctx, `${what} keyId`);
      return {
        kind: 'ChipAuthenticationDomainParameterInfo',
        protocol,
        keyAgreement,
        domainParameter: domainParameter(readAlgorithmIdentifier(need(required, 'domainParameter'), ctx, `${what} domainParameter`)),
        ...(keyId !== undefined ? { keyId } : {}),
        raw,
      };
    }
  }
  arcs = arcsAfter(protocol, ID_PK);
  if (arcs && arcs.length === 1 && KEY_AGREEMENTS[arcs[0]]) {
    const keyId = optionalInt(optional, ctx, `${what} keyId`);
    return {
      kind: 'ChipAuthenticationPublicKeyInfo',
      protocol,
      keyAgreement: KEY_AGREEMENTS[arcs[0]],
      publicKey: parsePublicKeyInfo(need(required, 'chipAuthenticationPublicKey'), { ...ctx, file: `${ctx.file} ${what}` }),
      ...(keyId !== undefined ? { keyId } : {}),
      raw,
    };
  }
  if (protocol === ID_TA) {
    return {
      kind: 'TerminalAuthenticationInfo',
      protocol,
      version: readSmallInt(need(required, 'version'), ctx, `${what} version`),
      ...(optional ? { efCvca: optional.raw } : {}),
      raw,
    };
  }
  if (protocol === OID.activeAuthentication) {
    const signatureAlgorithm = readOid(need(optional, 'signatureAlgorithm'), ctx, `${what} signatureAlgorithm`);
    const name = SIGNATURE_ALGORITHMS[signatureAlgorithm]?.name;
    return {
      kind: 'ActiveAuthenticationInfo',
      protocol,
      version: readSmallInt(need(required, 'version'), ctx, `${what} version`),
      signatureAlgorithm,
      ...(name ? { signatureAlgorithmName: name } : {}),
      raw,
    };
  }
  const name = OTHER_NAMES[protocol] ?? (protocol.startsWith(`${ID_PACE}.`) || protocol.startsWith(`${ID_CA}.`) ? 'unknown PACE/CA variant' : undefined);
  return { kind: 'Other', protocol, ...(name ? { name } : {}), raw };
}

/** Reads a SET OF SecurityInfo node. */
export function readSecurityInfos(node: TlvNode, ctx: DerContext): SecurityInfo[] {
  const set = expectTag(node, ASN1.SET, ctx, 'SecurityInfos');
  return childrenOf(set, ctx, 'SecurityInfos').map((info, i) => readSecurityInfo(info, i, ctx));
}

export interface SecurityInfosFile {
  securityInfos: SecurityInfo[];
}

/** DG14: '6E' wrapping SecurityInfos (Chip/Active/Terminal Authentication). */
export function parseDg14(bytes: Uint8Array): SecurityInfosFile {
  const file = 'DG14';
  const root = openTemplate(bytes, dataGroupTag(14)!, file);
  const ctx: DerContext = { file, code: 'EMRTD_SECURITY_INFOS_MALFORMED' };
  const kids = childrenOf(root, ctx, 'DG14', { min: 1, max: 1 });
  return { securityInfos: readSecurityInfos(kids[0], ctx) };
}

/** EF.CardAccess: SecurityInfos without any wrapper (PACE parameters, readable before access control). */
export function parseCardAccess(bytes: Uint8Array): SecurityInfosFile {
  const file = EF_CARD_ACCESS.name;
  const root = openTemplate(bytes, ASN1.SET, file);
  return { securityInfos: readSecurityInfos(root, { file, code: 'EMRTD_SECURITY_INFOS_MALFORMED' }) };
}

/** Every SecurityInfo of one kind, typed. */
export function securityInfosOfKind<K extends SecurityInfo['kind']>(infos: readonly SecurityInfo[], kind: K): Array<Extract<SecurityInfo, { kind: K }>> {
  return infos.filter((i): i is Extract<SecurityInfo, { kind: K }> => i.kind === kind);
}

/** The SecurityInfos in a decoded content octet string (EF.CardSecurity's signed content). */
export function parseSecurityInfosDer(node: TlvNode | undefined, file: string): SecurityInfo[] {
  if (!node) throw ldsError('EMRTD_SECURITY_INFOS_MALFORMED', `${file}: no SecurityInfos`, { details: { file } });
  return readSecurityInfos(node, { file, code: 'EMRTD_SECURITY_INFOS_MALFORMED' });
}

/** What a virtual chip or a test states in DG14, EF.CardAccess or EF.CardSecurity. */
export type SecurityInfoInput =
  | { kind: 'PACEInfo'; protocol: string; version: number; parameterId?: number }
  | { kind: 'ChipAuthenticationInfo'; protocol: string; version: number; keyId?: number }
  /** `protocol`: id-PK-ECDH or id-PK-DH; the key as a DER SubjectPublicKeyInfo. */
  | { kind: 'ChipAuthenticationPublicKeyInfo'; protocol: string; subjectPublicKeyInfo: Uint8Array; keyId?: number }
  /** `signatureAlgorithm`: the OID of the ECDSA scheme; ICAO leaves it out for RSA (ISO/IEC 9796-2). */
  | { kind: 'ActiveAuthenticationInfo'; version?: number; signatureAlgorithm?: string }
  /** `efCvca`: the DER of the optional FileID, as TerminalAuthenticationInfo.efCvca holds it. */
  | { kind: 'TerminalAuthenticationInfo'; version: number; efCvca?: Uint8Array };

/** The DER of one SecurityInfo (ICAO Doc 9303 part 11 §9.2, BSI TR-03110-3 A.1.1). */
export function encodeSecurityInfo(info: SecurityInfoInput): Uint8Array {
  const keyId = 'keyId' in info && info.keyId !== undefined ? [derInteger(info.keyId)] : [];
  switch (info.kind) {
    case 'PACEInfo':
      return derSequence(derOid(info.protocol), derInteger(info.version), ...(info.parameterId !== undefined ? [derInteger(info.parameterId)] : []));
    case 'ChipAuthenticationInfo':
      return derSequence(derOid(info.protocol), derInteger(info.version), ...keyId);
    case 'ChipAuthenticationPublicKeyInfo':
      if (!(info.subjectPublicKeyInfo instanceof Uint8Array) || info.subjectPublicKeyInfo[0] !== ASN1.SEQUENCE) {
        throw ldsError('EMRTD_LDS_BUILD_INVALID', 'ChipAuthenticationPublicKeyInfo: the key must be a DER SubjectPublicKeyInfo');
      }
      return derSequence(derOid(info.protocol), info.subjectPublicKeyInfo, ...keyId);
    case 'ActiveAuthenticationInfo':
      return derSequence(derOid(OID.activeAuthentication), derInteger(info.version ?? 1), ...(info.signatureAlgorithm ? [derOid(info.signatureAlgorithm)] : []));
    case 'TerminalAuthenticationInfo':
      return derSequence(derOid(ID_TA), derInteger(info.version), ...(info.efCvca ? [info.efCvca] : []));
    default:
      throw ldsError('EMRTD_LDS_BUILD_INVALID', `Unknown SecurityInfo kind ${JSON.stringify((info as { kind: unknown }).kind)}`);
  }
}

/** SecurityInfos: a DER SET OF the given infos — the whole content of EF.CardAccess. */
export function buildSecurityInfos(infos: readonly SecurityInfoInput[]): Uint8Array {
  if (infos.length === 0) throw ldsError('EMRTD_LDS_BUILD_INVALID', 'SecurityInfos needs at least one SecurityInfo');
  return derSetOf(infos.map(encodeSecurityInfo));
}

/** DG14: the SecurityInfos of Chip and Active Authentication in their '6E' template. */
export function buildDg14(infos: readonly SecurityInfoInput[]): Uint8Array {
  return encodeTlv(dataGroupTag(14)!, buildSecurityInfos(infos));
}
