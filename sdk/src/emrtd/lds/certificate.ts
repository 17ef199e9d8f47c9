/**
 * The few fields of an X.509 certificate that eMRTD code keeps needing without a full X.509
 * library: serial number and issuer (to match a SignerInfo's issuerAndSerialNumber), the key
 * identifiers (to match a subjectKeyIdentifier sid, or a DSC to its CSCA), validity, and the
 * SubjectPublicKeyInfo. Read from the DER as sent; nothing is verified.
 */

import { OID, describeSignatureAlgorithm, type SignatureAlgorithmInfo } from './algorithms.js';
import {
  ASN1,
  childrenOf,
  contextTag,
  decodeDer,
  expectTag,
  formatName,
  readAlgorithmIdentifier,
  readBoolean,
  readIntegerBytes,
  readOctets,
  readOid,
  readSmallInt,
  readTime,
  type DerContext,
} from './der-reader.js';
import { ensureBytes } from './lds-errors.js';

export interface CertificateInfo {
  /** 1, 2 or 3. */
  version: number;
  /** Two's-complement content of the serial number INTEGER, as stored. */
  serialNumber: Uint8Array;
  issuer: string;
  issuerDer: Uint8Array;
  subject: string;
  subjectDer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  subjectPublicKeyInfo: Uint8Array;
  signatureAlgorithm: SignatureAlgorithmInfo;
  subjectKeyIdentifier?: Uint8Array;
  authorityKeyIdentifier?: Uint8Array;
  extensions: Array<{ oid: string; critical: boolean; value: Uint8Array }>;
  /** The tbsCertificate DER: what the issuer's signature covers. */
  tbsCertificate: Uint8Array;
  signature: Uint8Array;
}

export function readCertificateInfo(der: Uint8Array): CertificateInfo {
  const ctx: DerContext = { file: 'certificate', code: 'EMRTD_CERTIFICATE_MALFORMED' };
  ensureBytes(der, ctx.file);
  const root = decodeDer(der, ctx, { what: 'Certificate' });
  const [tbs, sigAlg, sigValue] = childrenOf(expectTag(root, ASN1.SEQUENCE, ctx, 'Certificate'), ctx, 'Certificate', { min: 3, max: 3 });
  const kids = childrenOf(expectTag(tbs, ASN1.SEQUENCE, ctx, 'tbsCertificate'), ctx, 'tbsCertificate', { min: 6 });
  let i = 0;
  let version = 1;
  if (kids[0].tag === contextTag(0)) version = readSmallInt(childrenOf(kids[i++], ctx, 'version', { min: 1, max: 1 })[0], ctx, 'version') + 1;
  const serialNumber = readIntegerBytes(kids[i++], ctx, 'serialNumber');
  i++; // tbs signature algorithm: the outer one is reported
  const issuerNode = kids[i++];
  const [nb, na] = childrenOf(expectTag(kids[i++], ASN1.SEQUENCE, ctx, 'validity'), ctx, 'validity', { min: 2, max: 2 });
  const subjectNode = kids[i++];
  const spki = expectTag(kids[i++], ASN1.SEQUENCE, ctx, 'subjectPublicKeyInfo');
  const extensions: CertificateInfo['extensions'] = [];
  for (; i < kids.length; i++) {
    if (kids[i].tag !== contextTag(3)) continue; // issuer/subject unique identifiers
    const [list] = childrenOf(kids[i], ctx, 'extensions', { min: 1, max: 1 });
    for (const ext of childrenOf(expectTag(list, ASN1.SEQUENCE, ctx, 'extensions'), ctx, 'extensions')) {
      const parts = childrenOf(expectTag(ext, ASN1.SEQUENCE, ctx, 'extension'), ctx, 'extension', { min: 2, max: 3 });
      const oid = readOid(parts[0], ctx, 'extension id');
      const critical = parts.length === 3 ? readBoolean(parts[1], ctx, 'extension critical') : false;
      extensions.push({ oid, critical, value: readOctets(parts[parts.length - 1], ctx, `extension ${oid}`) });
    }
  }
  const info: CertificateInfo = {
    version,
    serialNumber,
    issuer: formatName(issuerNode, ctx, 'issuer'),
    issuerDer: issuerNode.raw,
    subject: formatName(subjectNode, ctx, 'subject'),
    subjectDer: subjectNode.raw,
    notBefore: readTime(nb, ctx, 'notBefore'),
    notAfter: readTime(na, ctx, 'notAfter'),
    subjectPublicKeyInfo: spki.raw,
    signatureAlgorithm: describeSignatureAlgorithm(readAlgorithmIdentifier(sigAlg, ctx, 'signatureAlgorithm'), ctx),
    extensions,
    tbsCertificate: tbs.raw,
    signature: expectTag(sigValue, ASN1.BIT_STRING, ctx, 'signatureValue').value.subarray(1),
  };
  const ski = extensions.find((e) => e.oid === OID.subjectKeyIdentifier);
  if (ski) info.subjectKeyIdentifier = readOctets(decodeDer(ski.value, ctx, { what: 'subjectKeyIdentifier' }), ctx, 'subjectKeyIdentifier');
  const aki = extensions.find((e) => e.oid === OID.authorityKeyIdentifier);
  if (aki) {
    // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, ... }
    const keyId = childrenOf(decodeDer(aki.value, ctx, { what: 'authorityKeyIdentifier' }), ctx, 'authorityKeyIdentifier').find((n) => n.tag === contextTag(0, false));
    if (keyId) info.authorityKeyIdentifier = keyId.value;
  }
  return info;
}
