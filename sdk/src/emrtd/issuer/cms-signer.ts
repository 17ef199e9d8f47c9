/**
 * Building CMS SignedData (RFC 5652) the way ICAO issuers do for EF.SOD and master lists:
 * version 3, one SignerInfo, signed attributes content-type + message-digest (+ signing time on
 * request), the signer's certificate included, everything DER. Written with the LDS DER writer
 * so the output is byte-exact and deterministic apart from the signature itself.
 */

import type { KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';
import { TesseraError } from '../../errors.js';
import { OID, hashByName, type HashAlgorithmName } from '../lds/algorithms.js';
import { readCertificateInfo } from '../lds/certificate.js';
import { derAlgorithmIdentifier, derContext, derInteger, derOctetString, derOid, derSequence, derSet, derSetOf, derUtcTime } from '../lds/der-writer.js';
import { concatBytes } from '../codec/bytes.js';
import { encodeTlv } from '../codec/ber-tlv.js';
import { signForCms, unsupportedAlgorithm, verifyForCms, type SignatureScheme } from './keys.js';

export type SignerIdentifierChoice = 'issuerAndSerialNumber' | 'subjectKeyIdentifier';

export interface CmsSignerInput {
  eContentType: string;
  eContent: Uint8Array;
  /** The signer's certificate DER. */
  signerCertificate: Uint8Array;
  signerKey: CryptoKey | KeyObject;
  /** Digest of the content and of the signed attributes. */
  digestAlgorithm: HashAlgorithmName;
  signatureScheme: SignatureScheme;
  /** Hash inside the signature; default the digest algorithm. */
  signatureHash?: HashAlgorithmName;
  signerIdentifier?: SignerIdentifierChoice;
  /** Certificates for the certificates field besides the signer's (e.g. the CSCA). */
  extraCertificates?: readonly Uint8Array[];
  signingTime?: Date;
}

const SIGNATURE_OIDS: Record<'ECDSA' | 'RSA-PKCS1', Partial<Record<HashAlgorithmName, string>>> = {
  ECDSA: {
    'SHA-1': '1.2.840.10045.4.1',
    'SHA-224': '1.2.840.10045.4.3.1',
    'SHA-256': '1.2.840.10045.4.3.2',
    'SHA-384': '1.2.840.10045.4.3.3',
    'SHA-512': '1.2.840.10045.4.3.4',
  },
  'RSA-PKCS1': {
    'SHA-1': '1.2.840.113549.1.1.5',
    'SHA-224': '1.2.840.113549.1.1.14',
    'SHA-256': '1.2.840.113549.1.1.11',
    'SHA-384': '1.2.840.113549.1.1.12',
    'SHA-512': '1.2.840.113549.1.1.13',
  },
};

/** The SignerInfo signatureAlgorithm: ECDSA without parameters (RFC 5758), PKCS #1 with NULL, PSS with its parameters. */
export function signatureAlgorithmIdentifier(scheme: SignatureScheme, hash: HashAlgorithmName): Uint8Array {
  const info = hashByName(hash);
  if (!info) throw unsupportedAlgorithm(`Unknown hash ${JSON.stringify(hash)}`);
  if (scheme === 'ECDSA') return derAlgorithmIdentifier(SIGNATURE_OIDS.ECDSA[hash]!);
  if (scheme === 'RSA-PKCS1') return derAlgorithmIdentifier(SIGNATURE_OIDS['RSA-PKCS1'][hash]!, null);
  // RSASSA-PSS-params: DER leaves out fields equal to their defaults (SHA-1, MGF1-SHA-1, salt 20, trailer 1).
  const hashId = derAlgorithmIdentifier(info.oid, null);
  const fields: Uint8Array[] = [];
  if (hash !== 'SHA-1') {
    fields.push(derContext(0, hashId));
    fields.push(derContext(1, derSequence(derOid(OID.mgf1), hashId)));
  }
  if (info.length !== 20) fields.push(derContext(2, derInteger(info.length)));
  return derAlgorithmIdentifier(OID.rsassaPss, derSequence(...fields));
}

function attribute(type: string, value: Uint8Array): Uint8Array {
  return derSequence(derOid(type), derSet(value));
}

/** A ContentInfo holding the SignedData, DER. */
export function buildSignedData(input: CmsSignerInput): Uint8Array {
  const digest = hashByName(input.digestAlgorithm);
  if (!digest) throw unsupportedAlgorithm(`Unknown digest algorithm ${JSON.stringify(input.digestAlgorithm)}`);
  const signatureHash = input.signatureHash ?? input.digestAlgorithm;
  const cert = readCertificateInfo(input.signerCertificate);

  const messageDigest = createHash(digest.nodeName).update(input.eContent).digest();
  const attributes = [attribute(OID.contentType, derOid(input.eContentType)), attribute(OID.messageDigest, derOctetString(messageDigest))];
  if (input.signingTime) attributes.push(attribute(OID.signingTime, derUtcTime(input.signingTime)));
  // The signature covers the attributes as a DER SET OF; in the SignerInfo the same bytes carry tag [0].
  const signedAttrsSet = derSetOf(attributes);
  const signature = signForCms(input.signerKey, input.signatureScheme, signatureHash, signedAttrsSet);
  if (!safeVerify(cert.subjectPublicKeyInfo, input.signatureScheme, signatureHash, signedAttrsSet, signature)) {
    throw new TesseraError('EMRTD_ISSUER_KEY_MISMATCH', "The signing key does not belong to the signer's certificate", {
      hint: 'Pass the private key of the certificate given as signer (e.g. dsc.keys.privateKey).',
    });
  }

  const useSki = (input.signerIdentifier ?? 'issuerAndSerialNumber') === 'subjectKeyIdentifier';
  let sid: Uint8Array;
  if (useSki) {
    if (!cert.subjectKeyIdentifier) throw new TesseraError('EMRTD_ISSUER_OPTIONS_INVALID', 'The signer certificate has no subject key identifier to name it by');
    sid = encodeTlv(0x80, cert.subjectKeyIdentifier);
  } else {
    sid = derSequence(cert.issuerDer, encodeTlv(0x02, cert.serialNumber));
  }
  const signerInfo = derSequence(
    derInteger(useSki ? 3 : 1),
    sid,
    derAlgorithmIdentifier(digest.oid),
    concatBytes(Uint8Array.of(0xa0), signedAttrsSet.subarray(1)),
    signatureAlgorithmIdentifier(input.signatureScheme, signatureHash),
    derOctetString(signature),
  );
  const certificates = [input.signerCertificate, ...(input.extraCertificates ?? [])];
  const signedData = derSequence(
    derInteger(3),
    derSet(derAlgorithmIdentifier(digest.oid)),
    derSequence(derOid(input.eContentType), derContext(0, derOctetString(input.eContent))),
    concatBytes(Uint8Array.of(0xa0), derSetOf(certificates).subarray(1)),
    derSet(signerInfo),
  );
  return derSequence(derOid(OID.signedData), derContext(0, signedData));
}

function safeVerify(spki: Uint8Array, scheme: SignatureScheme, hash: HashAlgorithmName, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verifyForCms(spki, scheme, hash, data, signature);
  } catch {
    return false;
  }
}
