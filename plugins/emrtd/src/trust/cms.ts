/**
 * Verification of CMS SignedData (RFC 5652) as ICAO uses it for EF.SOD, CSCA master lists and
 * EF.CardSecurity: one SignerInfo's content-type and message-digest signed attributes, then the
 * signature over the DER of the signed attributes with the algorithm named in the SignerInfo.
 * The structure itself is read by the SDK's CMS reader (BER indefinite lengths and chunked
 * OCTET STRINGs accepted); this module only adds what a verifier needs on top of it.
 */

import { TesseraError } from '@tessera/sdk';
import {
  bytesEqual,
  decodeDer,
  parseCmsSignedData,
  parseDer,
  toDer,
  toHex,
  unsignedMagnitude,
  type CmsSignedData,
  type DerContext,
  type SignerInfoSummary,
} from '@tessera/sdk/emrtd';
import { parseName, type Certificate } from './certificate.js';
import { HASH_BY_OID, type HashName } from './oids.js';
import { digest, signatureAlgorithmOf, verifySignature, type PublicKeyHandle, type SignatureAlgorithm } from './signature.js';

/** What reading errors here say: PA_ASN1_MALFORMED, naming the structure. */
const DER: DerContext = { file: 'CMS SignedData', code: 'PA_ASN1_MALFORMED', hint: 'Expected a CMS ContentInfo with SignedData (EF.SOD or a CSCA master list).' };

/** SignedData as the SDK reads it: content, certificates, CRLs and each SignerInfo's parts as sent. */
export type SignedData = CmsSignedData;
export type SignerInfo = SignerInfoSummary;
export type SignerIdentifier = SignerInfoSummary['sid'];

/**
 * Parses a ContentInfo holding SignedData. An EF.SOD application wrapper ('77') is unwrapped,
 * and bytes after the structure (file padding) are ignored. Throws PA_CMS_MALFORMED.
 */
export function parseSignedData(bytes: Uint8Array): SignedData {
  try {
    return parseCmsSignedData(bytes, DER);
  } catch (e) {
    throw new TesseraError('PA_CMS_MALFORMED', `The CMS SignedData structure cannot be read: ${(e as Error).message}`, {
      hint: 'Expected a CMS ContentInfo with SignedData (EF.SOD or a CSCA master list).',
      cause: e,
    });
  }
}

/** The certificate a SignerInfo names, among `candidates`. */
export function findSignerCertificate(candidates: readonly Certificate[], sid: SignerIdentifier): Certificate | undefined {
  if (sid.type === 'subjectKeyIdentifier') return candidates.find((c) => c.ski && bytesEqual(c.ski, sid.keyIdentifier));
  const serialHex = toHex(unsignedMagnitude(sid.serialNumber));
  const issuerKey = parseName(parseDer(sid.issuerDer, DER)).key;
  return candidates.find((c) => c.serialHex === serialHex && c.issuer.key === issuerKey);
}

export function describeSid(sid: SignerIdentifier): string {
  return sid.type === 'subjectKeyIdentifier' ? `subject key identifier ${toHex(sid.keyIdentifier)}` : `issuer "${sid.issuer}", serial ${toHex(unsignedMagnitude(sid.serialNumber))}`;
}

/** The SignerInfo's digest algorithm, as a hash this module can compute; throws PA_UNSUPPORTED_ALGORITHM. */
export function signerDigestHash(si: SignerInfo): HashName {
  const hash = HASH_BY_OID[si.digestAlgorithm.oid];
  if (!hash) throw new TesseraError('PA_UNSUPPORTED_ALGORITHM', `Unsupported digest algorithm ${si.digestAlgorithm.oid}.`, { hint: 'Supported: SHA-1/224/256/384/512.' });
  return hash;
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
  const base = { signingTime: si.signedAttributes?.signingTime };
  let digestHash: HashName;
  let algorithm: SignatureAlgorithm;
  try {
    digestHash = signerDigestHash(si);
    algorithm = signatureAlgorithmOf(si.signatureAlgorithm, digestHash);
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

  const attrs = si.signedAttributes;
  if (!attrs) {
    // RFC 5652 allows signing the content directly; ICAO requires signed attributes, but the
    // signature is still checked so the report says precisely what is wrong.
    const v = verifySignature(algorithm, key, sd.eContent, si.signature);
    return v.valid ? result(true, 'Signature verified over the content (no signed attributes).', undefined, 'none') : result(false, v.detail, 'signature', 'none');
  }

  // The reader has already required exactly one content-type and one message-digest attribute.
  if (attrs.contentType !== sd.eContentType) return result(false, `The signed content-type attribute (${attrs.contentType}) differs from the content actually signed (${sd.eContentType}).`, 'content-type', 'der');
  if (!bytesEqual(attrs.messageDigest, digest(digestHash, sd.eContent))) {
    return result(false, `The signed message digest (${digestHash}) does not match the digest of the signed content: the content was changed after signing.`, 'message-digest', 'der');
  }

  // The signature covers the DER of the SET OF attributes (the reader gives them re-tagged as SET,
  // as sent). If what was sent is not DER, try the DER re-encoding too (and, leniently, the bytes
  // as sent, which some signers hashed).
  const asSent = attrs.der;
  const der = toDer(decodeDer(asSent, DER, { what: 'signed attributes' }), true);
  const wasDer = bytesEqual(asSent, der);
  const first = verifySignature(algorithm, key, der, si.signature);
  if (first.valid) return result(true, `Signature verified (${algorithm.name}) over the signed attributes; content type and message digest match.`, undefined, wasDer ? 'der' : 'der-reencoded');
  if (!wasDer) {
    const second = verifySignature(algorithm, key, asSent, si.signature);
    if (second.valid) return result(true, `Signature verified (${algorithm.name}) over the signed attributes as transmitted (BER, not DER).`, undefined, 'ber-as-sent');
  }
  return result(false, first.detail, 'signature', wasDer ? 'der' : 'der-reencoded');
}
