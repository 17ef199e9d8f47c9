/**
 * CMS SignedData (RFC 5652) as ICAO uses it for EF.SOD and CSCA master lists: parsing straight
 * from the ContentInfo bytes (BER indefinite lengths and chunked OCTET STRINGs accepted) and
 * verification of one SignerInfo — content-type and message-digest signed attributes, then the
 * signature over the DER of the signed attributes with the algorithm named in the SignerInfo.
 */

import { TesseraError } from '@tessera/sdk';
import { ASN1, bytesEqual, type DerContext, DerNode, parseDer, toDer, toHex } from '@tessera/sdk/emrtd';
import { parseName, type Certificate, type DistinguishedName } from './certificate.js';
import { OID, type HashName } from './oids.js';
import { digest, hashOf, identifySignatureAlgorithm, verifySignature, type PublicKeyHandle, type SignatureAlgorithm } from './signature.js';

/** What DER reading errors here say: PA_ASN1_MALFORMED, naming the structure. */
const DER: DerContext = { file: 'CMS SignedData', code: 'PA_ASN1_MALFORMED', hint: 'Expected a CMS ContentInfo with SignedData (EF.SOD or a CSCA master list).' };

export type SignerIdentifier = { kind: 'issuer-serial'; issuer: DistinguishedName; serialHex: string } | { kind: 'key-id'; keyId: Uint8Array };

export interface SignerInfo {
  version: number;
  sid: SignerIdentifier;
  digestAlgorithm: DerNode;
  /** The '[0] IMPLICIT SET OF Attribute' node, if present. */
  signedAttrs: DerNode | undefined;
  /** Attribute type → the values (the SET OF members). */
  attributes: Map<string, DerNode[]>;
  signatureAlgorithm: DerNode;
  signature: Uint8Array;
}

export interface SignedData {
  version: number;
  eContentType: string;
  /** The encapsulated content octets (undefined for a detached signature). */
  eContent: Uint8Array | undefined;
  /** DER of each certificate in the certificates field (other certificate formats are ignored). */
  certificates: Uint8Array[];
  crls: Uint8Array[];
  signerInfos: SignerInfo[];
}

/**
 * Parses a ContentInfo holding SignedData. An EF.SOD application wrapper ('77') is unwrapped,
 * and bytes after the structure (file padding) are ignored. Throws PA_CMS_MALFORMED.
 */
export function parseSignedData(bytes: Uint8Array): SignedData {
  try {
    let root = parseDer(bytes, DER, { allowTrailing: true });
    if (root.tag === 0x77) root = root.child(0, 'ContentInfo');
    root.expect(ASN1.SEQUENCE, 'ContentInfo');
    const type = root.child(0, 'contentType').oid();
    if (type !== OID.signedData) throw new Error(`content type is ${type}, not signedData`);
    const sd = root.child(1, 'content').expect(0xa0, '[0] content').child(0).expect(ASN1.SEQUENCE, 'SignedData');
    const version = sd.child(0, 'version').smallInt();
    const encap = sd.child(2, 'encapContentInfo').expect(ASN1.SEQUENCE, 'EncapsulatedContentInfo');
    const eContentType = encap.child(0).oid();
    const wrapped = encap.children[1];
    const eContent = wrapped ? wrapped.expect(0xa0, '[0] eContent').child(0).octets() : undefined;
    const certificates: Uint8Array[] = [];
    const crls: Uint8Array[] = [];
    let signerInfosNode: DerNode | undefined;
    for (const node of sd.children.slice(3)) {
      // Only plain X.509 certificates / CRLs (SEQUENCE) are taken; other CHOICE arms are ignored.
      if (node.tag === 0xa0) certificates.push(...node.children.filter((c) => c.tag === ASN1.SEQUENCE).map((c) => c.raw));
      else if (node.tag === 0xa1) crls.push(...node.children.filter((c) => c.tag === ASN1.SEQUENCE).map((c) => c.raw));
      else if (node.tag === ASN1.SET) signerInfosNode = node;
    }
    if (!signerInfosNode) throw new Error('no signerInfos');
    const signerInfos = signerInfosNode.children.map(parseSignerInfo);
    return { version, eContentType, eContent, certificates, crls, signerInfos };
  } catch (e) {
    throw new TesseraError('PA_CMS_MALFORMED', `The CMS SignedData structure cannot be read: ${(e as Error).message}`, {
      hint: 'Expected a CMS ContentInfo with SignedData (EF.SOD or a CSCA master list).',
      cause: e,
    });
  }
}

function parseSignerInfo(node: DerNode): SignerInfo {
  node.expect(ASN1.SEQUENCE, 'SignerInfo');
  const version = node.child(0).smallInt();
  const sidNode = node.child(1, 'sid');
  let sid: SignerIdentifier;
  if (sidNode.tag === ASN1.SEQUENCE) sid = { kind: 'issuer-serial', issuer: parseName(sidNode.child(0)), serialHex: toHex(sidNode.child(1).integerBytes()) };
  else if (sidNode.tag === 0x80) sid = { kind: 'key-id', keyId: sidNode.value };
  else if (sidNode.tag === 0xa0) sid = { kind: 'key-id', keyId: sidNode.child(0).octets() };
  else throw new Error(`unexpected SignerIdentifier tag ${sidNode.tag.toString(16)}`);
  const digestAlgorithm = node.child(2, 'digestAlgorithm');
  let i = 3;
  let signedAttrs: DerNode | undefined;
  const attributes = new Map<string, DerNode[]>();
  if (node.child(i).tag === 0xa0) {
    signedAttrs = node.child(i++);
    for (const attr of signedAttrs.children) {
      const type = attr.child(0).oid();
      attributes.set(type, [...(attributes.get(type) ?? []), ...attr.child(1).expect(ASN1.SET, 'attrValues').children]);
    }
  }
  const signatureAlgorithm = node.child(i++, 'signatureAlgorithm');
  const signature = node.child(i, 'signature').expect(ASN1.OCTET_STRING, 'signature').octets();
  return { version, sid, digestAlgorithm, signedAttrs, attributes, signatureAlgorithm, signature };
}

/** The certificate a SignerInfo names, among `candidates`. */
export function findSignerCertificate(candidates: readonly Certificate[], sid: SignerIdentifier): Certificate | undefined {
  if (sid.kind === 'key-id') return candidates.find((c) => c.ski && bytesEqual(c.ski, sid.keyId));
  return candidates.find((c) => c.serialHex === sid.serialHex && c.issuer.key === sid.issuer.key);
}

export function describeSid(sid: SignerIdentifier): string {
  return sid.kind === 'key-id' ? `subject key identifier ${toHex(sid.keyId)}` : `issuer "${sid.issuer.text}", serial ${sid.serialHex}`;
}

export interface SignerVerification {
  /** Signed attributes consistent and signature verified. */
  valid: boolean;
  /** Name of the signature algorithm from the SignerInfo ('' if it could not be read). */
  algorithm: string;
  signatureAlgorithm: SignatureAlgorithm | undefined;
  digestAlgorithm: HashName | undefined;
  /** What failed, in a sentence; or what was checked, when valid. */
  detail: string;
  failure: 'unsupported-algorithm' | 'content-type' | 'message-digest' | 'signature' | undefined;
  /** The signingTime signed attribute, when present. */
  signingTime: Date | undefined;
  /** How the signed attributes were encoded in the signature input. */
  signedAttrsEncoding: 'der' | 'ber-as-sent' | 'der-reencoded' | 'none';
}

/**
 * Verifies one SignerInfo of `sd` with the signer's public key: the content-type attribute must
 * equal the eContentType, the message-digest attribute the digest of the eContent, and the
 * signature must verify over the DER of the signed attributes.
 */
export function verifySignerInfo(sd: SignedData, si: SignerInfo, key: PublicKeyHandle): SignerVerification {
  const base = { signingTime: readSigningTime(si) };
  let digestHash: HashName;
  let algorithm: SignatureAlgorithm;
  try {
    digestHash = hashOf(si.digestAlgorithm);
    algorithm = identifySignatureAlgorithm(si.signatureAlgorithm, digestHash);
  } catch (e) {
    return { ...base, valid: false, algorithm: '', signatureAlgorithm: undefined, digestAlgorithm: undefined, detail: (e as Error).message, failure: 'unsupported-algorithm', signedAttrsEncoding: 'none' };
  }
  const result = (valid: boolean, detail: string, failure: SignerVerification['failure'], enc: SignerVerification['signedAttrsEncoding']): SignerVerification => ({
    ...base,
    valid,
    algorithm: algorithm.name,
    signatureAlgorithm: algorithm,
    digestAlgorithm: digestHash,
    detail,
    failure,
    signedAttrsEncoding: enc,
  });
  if (sd.eContent === undefined) return result(false, 'The signed content is detached; nothing to verify against.', 'message-digest', 'none');

  if (!si.signedAttrs) {
    // RFC 5652 allows signing the content directly; ICAO requires signed attributes, but the
    // signature is still checked so the report says precisely what is wrong.
    const v = verifySignature(algorithm, key, sd.eContent, si.signature);
    return v.valid ? result(true, 'Signature verified over the content (no signed attributes).', undefined, 'none') : result(false, v.detail, 'signature', 'none');
  }

  const ct = si.attributes.get(OID.contentType);
  if (!ct || ct.length !== 1) return result(false, 'The signed attributes must hold exactly one content-type attribute.', 'content-type', 'der');
  const ctOid = ct[0]!.oid();
  if (ctOid !== sd.eContentType) return result(false, `The signed content-type attribute (${ctOid}) differs from the content actually signed (${sd.eContentType}).`, 'content-type', 'der');
  const md = si.attributes.get(OID.messageDigest);
  if (!md || md.length !== 1) return result(false, 'The signed attributes must hold exactly one message-digest attribute.', 'message-digest', 'der');
  const expected = md[0]!.expect(ASN1.OCTET_STRING, 'messageDigest').octets();
  const actual = digest(digestHash, sd.eContent);
  if (!bytesEqual(expected, actual)) {
    return result(false, `The signed message digest (${digestHash}) does not match the digest of the signed content: the content was changed after signing.`, 'message-digest', 'der');
  }

  // The signature covers the DER of the SET OF attributes, i.e. the '[0]' node re-tagged as
  // SET ('31'). If what was sent is not DER, try the DER re-encoding too (and, leniently, the
  // bytes as sent, which some signers hashed).
  const asSent = retagAsSet(si.signedAttrs.raw);
  const der = retagAsSet(toDer(si.signedAttrs.node, true));
  const wasDer = bytesEqual(asSent, der);
  const first = verifySignature(algorithm, key, der, si.signature);
  if (first.valid) return result(true, `Signature verified (${algorithm.name}) over the signed attributes; content type and message digest match.`, undefined, wasDer ? 'der' : 'der-reencoded');
  if (!wasDer) {
    const second = verifySignature(algorithm, key, asSent, si.signature);
    if (second.valid) return result(true, `Signature verified (${algorithm.name}) over the signed attributes as transmitted (BER, not DER).`, undefined, 'ber-as-sent');
  }
  return result(false, first.detail, 'signature', wasDer ? 'der' : 'der-reencoded');
}

function retagAsSet(encoded: Uint8Array): Uint8Array {
  const out = encoded.slice();
  out[0] = ASN1.SET;
  return out;
}

function readSigningTime(si: SignerInfo): Date | undefined {
  const v = si.attributes.get(OID.signingTime)?.[0];
  if (!v) return undefined;
  try {
    return v.time();
  } catch {
    return undefined;
  }
}
