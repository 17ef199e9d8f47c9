/**
 * EF.SOD (file 011D, tag '77'): the Document Security Object — CMS SignedData whose content is
 * the LDS security object, the list of data-group hashes (ICAO Doc 9303 part 10 §4.6.2):
 *
 *   LDSSecurityObject ::= SEQUENCE {
 *     version            INTEGER (v0 | v1),
 *     hashAlgorithm      AlgorithmIdentifier,
 *     dataGroupHashValues SEQUENCE OF SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING },
 *     ldsVersionInfo     SEQUENCE { ldsVersion PrintableString, unicodeVersion PrintableString } OPTIONAL }
 *
 * Parsing only: checking the hashes, the signature and the certificate chain is Passive
 * Authentication, done by the eMRTD plugin with what this returns. The security object's own
 * rules are enforced here, because a verifier should never have to ask "which of the two DG1
 * hashes counts?": data-group numbers 1–16, each at most once, hashes of the algorithm's length.
 */

import { encodeTlv } from '../codec/ber-tlv.js';
import { OID, hashByName, hashByOid, type HashAlgorithmName } from './algorithms.js';
import { readSignedDataContentInfo, type CmsSignedData } from './cms.js';
import { ASN1, childrenOf, decodeDer, expectTag, fail, readAlgorithmIdentifier, readOctets, readSmallInt, readString, type DerContext } from './der-reader.js';
import { derAlgorithmIdentifier, derInteger, derOctetString, derPrintableString, derSequence } from './der-writer.js';
import { EF_SOD } from './file-ids.js';
import { ldsError } from './lds-errors.js';
import { openTemplate } from './template.js';

export interface LdsVersionInfo {
  /** As stored, e.g. '0108'. */
  ldsVersion: string;
  /** As stored, e.g. '040000'. */
  unicodeVersion: string;
}

export interface LdsSecurityObject {
  /** 0, or 1 when ldsVersionInfo is present (LDS 1.8). */
  version: number;
  hashAlgorithm: HashAlgorithmName;
  hashAlgorithmOid: string;
  /** The hash AlgorithmIdentifier's parameters as stored (usually absent or NULL). */
  hashAlgorithmParameters?: Uint8Array;
  /** Data-group number → hash, in stored order. */
  dataGroupHashes: Map<number, Uint8Array>;
  ldsVersionInfo?: LdsVersionInfo;
}

export interface Sod extends CmsSignedData {
  lds: LdsSecurityObject;
  /** The DER of the LDS security object: what the messageDigest signed attribute is the hash of. */
  eContent: Uint8Array;
}

function parseLdsSecurityObject(bytes: Uint8Array, ctx: DerContext): LdsSecurityObject {
  const root = decodeDer(bytes, ctx, { what: 'LDS security object' });
  const kids = childrenOf(expectTag(root, ASN1.SEQUENCE, ctx, 'LDSSecurityObject'), ctx, 'LDSSecurityObject', { min: 3, max: 4 });
  const version = readSmallInt(kids[0], ctx, 'LDSSecurityObject version');
  if (version > 1) fail(ctx, `LDSSecurityObject version ${version} is unknown (0 or 1 expected)`);
  const alg = readAlgorithmIdentifier(kids[1], ctx, 'LDSSecurityObject hashAlgorithm');
  const hash = hashByOid(alg.oid);
  if (!hash) {
    throw ldsError('EMRTD_SOD_UNSUPPORTED_HASH', `${ctx.file}: the data-group hash algorithm ${alg.oid} is not SHA-1/224/256/384/512`, { details: { file: ctx.file, oid: alg.oid } });
  }
  const dataGroupHashes = new Map<number, Uint8Array>();
  for (const [i, entry] of childrenOf(expectTag(kids[2], ASN1.SEQUENCE, ctx, 'dataGroupHashValues'), ctx, 'dataGroupHashValues', { min: 1 }).entries()) {
    const [num, value] = childrenOf(expectTag(entry, ASN1.SEQUENCE, ctx, `DataGroupHash ${i + 1}`), ctx, `DataGroupHash ${i + 1}`, { min: 2, max: 2 });
    const dg = readSmallInt(num, ctx, `DataGroupHash ${i + 1} number`);
    if (dg < 1 || dg > 16) fail(ctx, `DataGroupHash ${i + 1} names data group ${dg}; only 1–16 exist`);
    if (dataGroupHashes.has(dg)) fail(ctx, `DG${dg} has two hashes in the LDS security object`);
    const digest = readOctets(value, ctx, `DG${dg} hash`);
    if (digest.length !== hash.length) {
      throw ldsError('EMRTD_SOD_UNSUPPORTED_HASH', `${ctx.file}: the DG${dg} hash is ${digest.length} bytes, but ${hash.name} gives ${hash.length}`, {
        details: { file: ctx.file, dataGroup: dg },
      });
    }
    dataGroupHashes.set(dg, digest);
  }
  let ldsVersionInfo: LdsVersionInfo | undefined;
  if (kids[3]) {
    const [lv, uv] = childrenOf(expectTag(kids[3], ASN1.SEQUENCE, ctx, 'ldsVersionInfo'), ctx, 'ldsVersionInfo', { min: 2, max: 2 });
    ldsVersionInfo = { ldsVersion: readString(lv, ctx, 'ldsVersion'), unicodeVersion: readString(uv, ctx, 'unicodeVersion') };
  }
  return {
    version,
    hashAlgorithm: hash.name,
    hashAlgorithmOid: alg.oid,
    ...(alg.parameters ? { hashAlgorithmParameters: alg.parameters } : {}),
    dataGroupHashes,
    ...(ldsVersionInfo ? { ldsVersionInfo } : {}),
  };
}

export function parseSod(bytes: Uint8Array): Sod {
  const file = EF_SOD.name;
  const ctx: DerContext = { file, code: 'EMRTD_SOD_MALFORMED' };
  const root = openTemplate(bytes, EF_SOD.tag!, file);
  const [contentInfo] = childrenOf(root, ctx, "the '77' template", { min: 1, max: 1 });
  const cms = readSignedDataContentInfo(contentInfo, ctx);
  if (cms.eContentType !== OID.ldsSecurityObject) {
    throw ldsError('EMRTD_SOD_WRONG_CONTENT_TYPE', `${file}: the signed content type is ${cms.eContentType}, not the LDS security object ${OID.ldsSecurityObject}`, {
      details: { file, eContentType: cms.eContentType },
    });
  }
  if (!cms.eContent) fail(ctx, 'the SignedData carries no content (detached signature)');
  if (cms.signerInfos.length === 0) fail(ctx, 'the SignedData has no SignerInfo');
  return { ...cms, eContent: cms.eContent, lds: parseLdsSecurityObject(cms.eContent, ctx) };
}

export interface LdsSecurityObjectInput {
  hashAlgorithm: HashAlgorithmName;
  dataGroupHashes: ReadonlyMap<number, Uint8Array>;
  ldsVersionInfo?: LdsVersionInfo;
}

/** DER of an LDS security object; hashes are written in data-group order. */
export function encodeLdsSecurityObject(input: LdsSecurityObjectInput): Uint8Array {
  const hash = hashByName(input.hashAlgorithm);
  if (!hash) throw ldsError('EMRTD_LDS_BUILD_INVALID', `EF.SOD: unknown hash algorithm ${JSON.stringify(input.hashAlgorithm)}`);
  const entries = [...input.dataGroupHashes.entries()].sort(([a], [b]) => a - b);
  if (entries.length === 0) throw ldsError('EMRTD_LDS_BUILD_INVALID', 'EF.SOD: at least one data-group hash is required');
  const hashes = entries.map(([dg, digest]) => {
    if (!Number.isInteger(dg) || dg < 1 || dg > 16) throw ldsError('EMRTD_LDS_BUILD_INVALID', `EF.SOD: ${dg} is not a data-group number`);
    if (digest.length !== hash.length) throw ldsError('EMRTD_LDS_BUILD_INVALID', `EF.SOD: the DG${dg} hash is ${digest.length} bytes, ${hash.name} gives ${hash.length}`);
    return derSequence(derInteger(dg), derOctetString(digest));
  });
  const parts = [derInteger(input.ldsVersionInfo ? 1 : 0), derAlgorithmIdentifier(hash.oid), derSequence(...hashes)];
  if (input.ldsVersionInfo) parts.push(derSequence(derPrintableString(input.ldsVersionInfo.ldsVersion), derPrintableString(input.ldsVersionInfo.unicodeVersion)));
  return derSequence(...parts);
}

/** EF.SOD bytes from a CMS ContentInfo: the '77' application template around it. */
export function wrapSod(contentInfo: Uint8Array): Uint8Array {
  return encodeTlv(EF_SOD.tag!, contentInfo);
}
