/**
 * EF.CardSecurity's authenticity: its CMS signature (content type id-SecurityObject) and its
 * signer's certification path to a trusted CSCA, with the building blocks Passive Authentication
 * uses for EF.SOD. PACE-CAM relies on it: the chip's static key counts only if the issuer signed it.
 * Kept apart from pace-cam.ts so a chip read never loads the X.509 code.
 */
import { OID } from '@tessera/sdk/emrtd';
import { parseCertificate, type Certificate } from '../trust/certificate.js';
import { validateDocumentSignerPath } from '../trust/certificate-path.js';
import { describeSid, findSignerCertificate, parseSignedData, verifySignerInfo } from '../trust/cms.js';
import type { TrustStore } from '../trust/trust-store.js';

export interface CardSecurityVerification {
  /** 'valid': signed and chained to a trusted CSCA; 'invalid': something proven wrong; 'unknown': no anchor, or not checkable. */
  verdict: 'valid' | 'invalid' | 'unknown';
  detail: string;
  /** The document signer, e.g. 'CN=DS UTO TEST, C=UTO'. */
  signer?: string;
}

/** EF.CardSecurity's CMS signature (content type id-SecurityObject) and its signer's path to a CSCA of `store` at `at`. */
export function verifyCardSecurity(bytes: Uint8Array, store: TrustStore, at: Date = new Date()): CardSecurityVerification {
  let sd;
  try {
    sd = parseSignedData(bytes);
  } catch (error) {
    return { verdict: 'invalid', detail: `EF.CardSecurity is not a readable CMS SignedData: ${(error as Error).message}` };
  }
  if (sd.eContentType !== OID.securityObject) return { verdict: 'invalid', detail: `EF.CardSecurity signs content of type ${sd.eContentType}, not id-SecurityObject` };
  const si = sd.signerInfos[0];
  if (!si) return { verdict: 'invalid', detail: 'EF.CardSecurity carries no signature (no SignerInfo)' };
  const embedded: Certificate[] = [];
  for (const der of sd.certificates) {
    try {
      embedded.push(parseCertificate(der));
    } catch {
      // An unreadable extra certificate does not matter unless it was the signer's, reported below.
    }
  }
  const dsc = findSignerCertificate(embedded, si.sid);
  if (!dsc) return { verdict: 'unknown', detail: `The signer of EF.CardSecurity (${describeSid(si.sid)}) is not included in it, so its signature cannot be checked` };
  const signer = dsc.subject.text;
  let signature;
  try {
    signature = verifySignerInfo(sd, si, dsc.publicKey);
  } catch (error) {
    return { verdict: 'unknown', detail: `The signer's public key of EF.CardSecurity cannot be used: ${(error as Error).message}`, signer };
  }
  if (!signature.valid) {
    return { verdict: signature.failure === 'unsupported-algorithm' ? 'unknown' : 'invalid', detail: `The signature on EF.CardSecurity does not verify: ${signature.detail}`, signer };
  }
  const path = validateDocumentSignerPath(dsc, store, signature.signingTime ?? at);
  if (path.status === 'valid') return { verdict: 'valid', detail: `EF.CardSecurity is signed by ${signer} (${signature.algorithm}), which chains to a trusted CSCA.`, signer };
  if (path.status === 'no-anchor') return { verdict: 'unknown', detail: `EF.CardSecurity is signed by ${signer}, but no trusted CSCA issued that certificate: ${path.detail}`, signer };
  return { verdict: 'invalid', detail: `EF.CardSecurity's signer ${signer} does not chain to a CSCA: ${path.problems.map((p) => p.message).join('; ') || path.detail}`, signer };
}

