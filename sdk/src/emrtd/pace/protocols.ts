/**
 * PACE protocol object identifiers (ICAO Doc 9303 part 11 §9.2.3, Tables 2 and 3) and what each
 * one selects: key agreement (DH or ECDH), mapping (generic, integrated or chip authentication)
 * and the symmetric cipher for the nonce, the tokens and secure messaging. Also the PACEInfo
 * shape (§9.2.1), a decoder for a single PACEInfo, and the terminal's choice among the PACEInfos
 * a chip offers in EF.CardAccess.
 */

import { decodeTlvObject, encodeTlv, type TlvNode } from '../codec/ber-tlv.js';
import { ASN1, decodeOid } from '../lds/der-reader.js';
import { derInteger, derSequence, oidContent } from '../lds/der-writer.js';
import { bytesToUint } from '../codec/bytes.js';
import { isTesseraError } from '../../errors.js';
import type { SymmetricAlgorithm } from '../crypto/algorithms.js';
import { standardizedDomainParameters } from './domain-parameters.js';
import { paceError } from './pace-errors.js';

export type PaceKeyAgreement = 'DH' | 'ECDH';
/** GM: generic mapping; IM: integrated mapping; CAM: chip authentication mapping (GM plus chip authentication data). */
export type PaceMapping = 'GM' | 'IM' | 'CAM';

export interface PaceProtocol {
  /** Dotted object identifier, e.g. '0.4.0.127.0.7.2.2.4.2.2'. */
  readonly oid: string;
  /** The ASN.1 name, e.g. 'id-PACE-ECDH-GM-AES-CBC-CMAC-128'. */
  readonly name: string;
  readonly keyAgreement: PaceKeyAgreement;
  readonly mapping: PaceMapping;
  readonly cipher: SymmetricAlgorithm;
}

/**
 * One PACEInfo from EF.CardAccess: `protocol` is the dotted OID, `version` must be 2, and
 * `parameterId` names the standardized domain parameters (and, for CAM, the chip
 * authentication key id).
 */
export interface PaceInfo {
  readonly protocol: string;
  readonly version: number;
  readonly parameterId?: number;
}

/** id-PACE = bsi-de protocols(2) smartcard(2) 4. */
export const ID_PACE = '0.4.0.127.0.7.2.2.4';

const MAPPING_ARCS: ReadonlyArray<[number, PaceKeyAgreement, PaceMapping]> = [
  [1, 'DH', 'GM'],
  [2, 'ECDH', 'GM'],
  [3, 'DH', 'IM'],
  [4, 'ECDH', 'IM'],
  [6, 'ECDH', 'CAM'],
];
const CIPHER_ARCS: ReadonlyArray<[number, SymmetricAlgorithm, string]> = [
  [1, '3DES', '3DES-CBC-CBC'],
  [2, 'AES128', 'AES-CBC-CMAC-128'],
  [3, 'AES192', 'AES-CBC-CMAC-192'],
  [4, 'AES256', 'AES-CBC-CMAC-256'],
];

/** Every PACE protocol Doc 9303 defines (CAM exists with AES only). */
export const PACE_PROTOCOLS: readonly PaceProtocol[] = Object.freeze(
  MAPPING_ARCS.flatMap(([mappingArc, keyAgreement, mapping]) =>
    CIPHER_ARCS.filter(([, cipher]) => mapping !== 'CAM' || cipher !== '3DES').map(([cipherArc, cipher, suffix]) =>
      Object.freeze({ oid: `${ID_PACE}.${mappingArc}.${cipherArc}`, name: `id-PACE-${keyAgreement}-${mapping}-${suffix}`, keyAgreement, mapping, cipher }),
    ),
  ),
);

/** The protocol an OID selects, or undefined when it is not a PACE protocol OID. */
export function paceProtocol(oid: string): PaceProtocol | undefined {
  return PACE_PROTOCOLS.find((protocol) => protocol.oid === oid);
}

/** The value bytes of a DER OBJECT IDENTIFIER (no tag or length), as MSE:Set AT's DO'80' carries it. */
export function encodeOidValue(oid: string): Uint8Array {
  try {
    return oidContent(oid);
  } catch (error) {
    throw paceError('EMRTD_PACE_INFO_INVALID', `${JSON.stringify(oid)} is not a dotted object identifier`, undefined, error);
  }
}

/** Dotted form of DER OBJECT IDENTIFIER value bytes. */
export function decodeOidValue(bytes: Uint8Array): string {
  const oid = decodeOid(bytes);
  if (oid === undefined) throw paceError('EMRTD_PACE_INFO_INVALID', 'Object identifier is empty, cut off inside a sub-identifier or not minimally encoded');
  return oid;
}

function smallInteger(node: TlvNode | undefined, what: string): number {
  if (!node || node.tag !== 0x02 || node.length < 1 || node.length > 4 || (node.value[0] & 0x80) !== 0) {
    throw paceError('EMRTD_PACE_INFO_INVALID', `PACEInfo ${what} is not a small non-negative INTEGER`);
  }
  return bytesToUint(node.value);
}

/**
 * Decodes one DER PACEInfo (SEQUENCE { protocol OID, version INTEGER, parameterId INTEGER OPTIONAL }),
 * e.g. 3012060A04007F0007020204020202010202010D from Doc 9303 part 11 App. G.1. EF.CardAccess
 * as a whole (a SET OF SecurityInfo) is the LDS module's job.
 */
export function decodePaceInfo(der: Uint8Array): PaceInfo {
  let node: TlvNode;
  try {
    node = decodeTlvObject(der);
  } catch (error) {
    throw paceError('EMRTD_PACE_INFO_INVALID', `PACEInfo is not valid DER (${isTesseraError(error) ? error.message : String(error)})`, undefined, error);
  }
  const children = node.children ?? [];
  if (node.tag !== 0x30 || children.length < 2 || children.length > 3 || children[0].tag !== 0x06) {
    throw paceError('EMRTD_PACE_INFO_INVALID', 'PACEInfo must be SEQUENCE { OBJECT IDENTIFIER, INTEGER, INTEGER OPTIONAL }');
  }
  const info: PaceInfo = { protocol: decodeOidValue(children[0].value), version: smallInteger(children[1], 'version') };
  return children.length === 3 ? { ...info, parameterId: smallInteger(children[2], 'parameterId') } : info;
}

/** DER encoding of a PACEInfo, for virtual chips' EF.CardAccess and tests. */
export function encodePaceInfo(info: PaceInfo): Uint8Array {
  const parts = [encodeTlv(ASN1.OID, encodeOidValue(info.protocol)), derInteger(info.version)];
  if (info.parameterId !== undefined) parts.push(derInteger(info.parameterId));
  return derSequence(...parts);
}

/** A PACEInfo that this implementation can run: its protocol and standardized domain parameters. */
export interface ResolvedPaceInfo {
  readonly info: PaceInfo;
  readonly protocol: PaceProtocol;
  readonly parameterId: number;
}

/**
 * Checks that a PACEInfo names a known protocol (version 2) on standardized domain parameters of
 * the right type, and that the combination is implemented. Throws EMRTD_PACE_INFO_INVALID or
 * EMRTD_PACE_UNSUPPORTED otherwise.
 */
export function resolvePaceInfo(info: PaceInfo): ResolvedPaceInfo {
  if (!info || typeof info.protocol !== 'string') throw paceError('EMRTD_PACE_INFO_INVALID', 'A PACEInfo needs a protocol object identifier');
  const protocol = paceProtocol(info.protocol);
  if (!protocol) throw paceError('EMRTD_PACE_UNSUPPORTED', `${info.protocol} is not a PACE protocol object identifier`, { protocol: info.protocol });
  if (info.version !== 2) throw paceError('EMRTD_PACE_INFO_INVALID', `PACEInfo version is ${String(info.version)}; Doc 9303 defines only version 2`, { protocol: info.protocol });
  const id = info.parameterId;
  if (id === undefined) {
    throw paceError('EMRTD_PACE_UNSUPPORTED', `${protocol.name} without a parameterId uses proprietary domain parameters (PACEDomainParameterInfo), which are not supported`, {
      protocol: info.protocol,
    });
  }
  if (!Number.isInteger(id) || id < 0) throw paceError('EMRTD_PACE_INFO_INVALID', `PACEInfo parameterId ${String(id)} is not a non-negative integer`);
  const parameters = standardizedDomainParameters(id);
  if (!parameters) {
    throw paceError('EMRTD_PACE_UNSUPPORTED', `Domain parameter id ${id} is not a standardized id (proprietary parameters are not supported)`, { protocol: info.protocol, parameterId: id });
  }
  if (parameters.type !== protocol.keyAgreement) {
    throw paceError('EMRTD_PACE_INFO_INVALID', `${protocol.name} needs ${protocol.keyAgreement} domain parameters, but id ${id} is ${parameters.name}`, { protocol: info.protocol, parameterId: id });
  }
  if (protocol.mapping === 'IM' && parameters.type === 'ECDH' && BigInt(`0x${parameters.p}`) % 4n !== 3n) {
    // Doc 9303 part 11 Table 12: the point encoding needs p ≡ 3 (mod 4), which rules out P-224.
    throw paceError('EMRTD_PACE_UNSUPPORTED', `${parameters.name} cannot be used with the Integrated Mapping`, { protocol: info.protocol, parameterId: id });
  }
  return { info, protocol, parameterId: id };
}

const MAPPING_RANK: Record<PaceMapping, number> = { CAM: 0, GM: 1, IM: 2 };

/**
 * The PACEInfo a terminal runs when a chip offers several: among those it supports, ECDH before
 * DH (faster on chips), then CAM (authenticates the chip in the same run, as Doc 9303 part 11
 * App. J recommends) before GM before IM; ties keep the chip's order. Throws
 * EMRTD_PACE_UNSUPPORTED when none is usable (the error lists why each was skipped).
 */
export function selectPaceInfo(infos: readonly PaceInfo[]): ResolvedPaceInfo {
  if (!Array.isArray(infos) || infos.length === 0) throw paceError('EMRTD_PACE_INFO_INVALID', 'No PACEInfo given: read EF.CardAccess first');
  const usable: ResolvedPaceInfo[] = [];
  const skipped: string[] = [];
  for (const info of infos) {
    try {
      usable.push(resolvePaceInfo(info));
    } catch (error) {
      skipped.push(`${String(info?.protocol)}/${String(info?.parameterId)}: ${isTesseraError(error) ? error.message : String(error)}`);
    }
  }
  if (usable.length === 0) throw paceError('EMRTD_PACE_UNSUPPORTED', `None of the ${infos.length} PACEInfo(s) offered can be used`, { skipped });
  const rank = (r: ResolvedPaceInfo): number => (r.protocol.keyAgreement === 'ECDH' ? 0 : 10) + MAPPING_RANK[r.protocol.mapping];
  return usable.map((r, index) => ({ r, index })).sort((x, y) => rank(x.r) - rank(y.r) || x.index - y.index)[0].r;
}
