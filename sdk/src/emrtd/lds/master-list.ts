/**
 * CSCA master lists (ICAO Doc 9303 part 12 §9) as the ICAO PKD and states publish them: a CMS
 * SignedData, without any wrapper, whose content (2.23.136.1.1.2) is
 *
 *   CscaMasterList ::= SEQUENCE { version INTEGER (v0), certList SET OF Certificate }
 *
 * and whose certificates field carries the master list signer (and often the CSCA that issued
 * it). Parsing only; whether to trust the list is the trust-store's decision.
 *
 * Also EF.CardSecurity, the signed SecurityInfos of PACE-capable chips (BSI TR-03110-3), which
 * shares the CMS reading.
 */

import type { TlvNode } from '../codec/ber-tlv.js';
import { OID } from './algorithms.js';
import { readSignedDataContentInfo, type CmsSignedData } from './cms.js';
import { ASN1, childrenOf, decodeDer, expectTag, fail, readSmallInt, type DerContext } from './der-reader.js';
import { EF_CARD_SECURITY } from './file-ids.js';
import { ensureBytes, ldsError } from './lds-errors.js';
import { parseSecurityInfosDer, type SecurityInfo } from './security-infos.js';

export interface MasterList extends CmsSignedData {
  version: number;
  /** The CSCA certificates of the certList, each as its DER, in stored order. */
  certificates: Uint8Array[];
  /** The certificates of the CMS certificates field (the master list signer and its issuer). */
  signerCertificates: Uint8Array[];
  eContent: Uint8Array;
}

function readRoot(bytes: unknown, ctx: DerContext): TlvNode {
  ensureBytes(bytes, ctx.file);
  // A master list is a file on its own: anything after the ContentInfo is not part of what was signed.
  return decodeDer(bytes, ctx, { what: 'ContentInfo' });
}

export function parseMasterList(bytes: Uint8Array): MasterList {
  const ctx: DerContext = { file: 'master list', code: 'EMRTD_MASTER_LIST_MALFORMED' };
  const cms = readSignedDataContentInfo(readRoot(bytes, ctx), ctx);
  if (cms.eContentType !== OID.cscaMasterList) {
    throw ldsError('EMRTD_MASTER_LIST_WRONG_CONTENT_TYPE', `master list: the signed content type is ${cms.eContentType}, not ${OID.cscaMasterList}`, {
      details: { eContentType: cms.eContentType },
    });
  }
  if (!cms.eContent) fail(ctx, 'the SignedData carries no content');
  const list = decodeDer(cms.eContent, ctx, { what: 'CscaMasterList' });
  const [version, certList] = childrenOf(expectTag(list, ASN1.SEQUENCE, ctx, 'CscaMasterList'), ctx, 'CscaMasterList', { min: 2, max: 2 });
  const v = readSmallInt(version, ctx, 'CscaMasterList version');
  if (v !== 0) fail(ctx, `CscaMasterList version ${v} is unknown (0 expected)`);
  const certificates = childrenOf(expectTag(certList, ASN1.SET, ctx, 'certList'), ctx, 'certList').map((c, i) => expectTag(c, ASN1.SEQUENCE, ctx, `certificate ${i + 1}`).raw);
  return { ...cms, version: v, certificates, signerCertificates: cms.certificates, eContent: cms.eContent };
}

export interface CardSecurity extends CmsSignedData {
  securityInfos: SecurityInfo[];
  eContent: Uint8Array;
}

/** EF.CardSecurity: SignedData over SecurityInfos (id-SecurityObject), signed by a document signer. */
export function parseCardSecurity(bytes: Uint8Array): CardSecurity {
  const file = EF_CARD_SECURITY.name;
  const ctx: DerContext = { file, code: 'EMRTD_SECURITY_INFOS_MALFORMED' };
  ensureBytes(bytes, file);
  const cms = readSignedDataContentInfo(decodeDer(bytes, ctx, { allowTrailing: true, what: 'ContentInfo' }), ctx);
  if (cms.eContentType !== OID.securityObject) {
    throw ldsError('EMRTD_CARD_SECURITY_WRONG_CONTENT_TYPE', `${file}: the signed content type is ${cms.eContentType}, not ${OID.securityObject}`, {
      details: { file, eContentType: cms.eContentType },
    });
  }
  if (!cms.eContent) fail(ctx, 'the SignedData carries no content');
  return { ...cms, eContent: cms.eContent, securityInfos: parseSecurityInfosDer(decodeDer(cms.eContent, ctx, { what: 'SecurityInfos' }), file) };
}
