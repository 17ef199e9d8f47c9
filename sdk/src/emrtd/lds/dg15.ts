/**
 * DG15 (tag '6F'): the Active Authentication public key, a SubjectPublicKeyInfo. ICAO Doc 9303
 * part 11 §6.1 allows RSA (ISO/IEC 9796-2 signatures) and ECDSA; the algorithm the chip will
 * sign with comes from the ActiveAuthenticationInfo in DG14, not from here.
 */

import { encodeTlv } from '../codec/ber-tlv.js';
import { dataGroupTag } from './file-ids.js';
import { ldsError } from './lds-errors.js';
import { childrenOf } from './der-reader.js';
import { parsePublicKeyInfo, type EcPublicKeyDetails, type RsaPublicKeyDetails } from './public-key.js';
import { openTemplate } from './template.js';

export interface Dg15 {
  algorithm: 'RSA' | 'EC';
  algorithmOid: string;
  /** The DER SubjectPublicKeyInfo, importable with crypto.createPublicKey or WebCrypto 'spki'. */
  key: Uint8Array;
  rsa?: RsaPublicKeyDetails;
  ec?: EcPublicKeyDetails;
}

export function parseDg15(bytes: Uint8Array): Dg15 {
  const file = 'DG15';
  const root = openTemplate(bytes, dataGroupTag(15)!, file);
  const ctx = { file, code: 'EMRTD_DG15_MALFORMED' as const };
  const [spki] = childrenOf(root, ctx, 'DG15', { min: 1, max: 1 });
  const info = parsePublicKeyInfo(spki, ctx);
  if (info.algorithm !== 'RSA' && info.algorithm !== 'EC') {
    throw ldsError('EMRTD_DG15_UNSUPPORTED_KEY', `DG15: the public key algorithm ${info.algorithmOid} is neither RSA nor EC`, { details: { file, oid: info.algorithmOid } });
  }
  return {
    algorithm: info.algorithm,
    algorithmOid: info.algorithmOid,
    key: info.key,
    ...(info.rsa ? { rsa: info.rsa } : {}),
    ...(info.ec ? { ec: info.ec } : {}),
  };
}

/** DG15 holding `subjectPublicKeyInfo` (DER), for a virtual chip's Active Authentication key. */
export function buildDg15(subjectPublicKeyInfo: Uint8Array): Uint8Array {
  if (!(subjectPublicKeyInfo instanceof Uint8Array) || subjectPublicKeyInfo[0] !== 0x30) {
    throw ldsError('EMRTD_LDS_BUILD_INVALID', 'DG15: the public key must be a DER SubjectPublicKeyInfo (a SEQUENCE)');
  }
  return encodeTlv(dataGroupTag(15)!, subjectPublicKeyInfo);
}
