/**
 * Certification path from a document signer certificate (DSC) to a CSCA of the trust store:
 * DSC → CSCA, or DSC → link certificate(s) → self-signed CSCA after a CSCA key rollover.
 *
 * Every certificate in the store is trusted (that is what loading a verified master list means),
 * so the path is complete as soon as a store certificate verifies the DSC's signature; link
 * certificates are then followed up to a self-signed CSCA when that CSCA is present, for the
 * report. Checks: signatures, validity at the reference time, key usage, unknown critical
 * extensions, and revocation of every non-anchor certificate from the issuer's verified CRLs.
 */

import { toHex } from '@tessera/sdk/emrtd';
import { type Certificate } from './certificate.js';
import { certificateSignedBy, type RevocationStatus, type TrustEntry, type TrustStore } from './trust-store.js';

export interface PathProblem {
  code: string;
  message: string;
}

export interface PathValidation {
  /**
   * 'valid': chained and all checks passed; 'invalid': a check failed (see problems);
   * 'no-anchor': no CSCA in the store can have issued the DSC.
   */
  status: 'valid' | 'invalid' | 'no-anchor';
  /** DSC first, then the CSCA that issued it, then any CSCAs above a link certificate. */
  path: Certificate[];
  /** The store entry of the CSCA that issued the DSC. */
  issuer: TrustEntry | undefined;
  problems: PathProblem[];
  /** Remarks that do not fail the path. */
  warnings: PathProblem[];
  /** Revocation status of the DSC (and of link certificates) from loaded CRLs. */
  revocation: RevocationStatus;
  detail: string;
}

const MAX_LINKS = 5;

export function validateDocumentSignerPath(dsc: Certificate, store: TrustStore, at: Date): PathValidation {
  const problems: PathProblem[] = [];
  const warnings: PathProblem[] = [];
  const candidates = store.issuerCandidates(dsc);
  const akid = dsc.aki?.keyId;
  const noAnchor = (detail: string): PathValidation => ({
    status: 'no-anchor',
    path: [dsc],
    issuer: undefined,
    problems: [{ code: 'PA_CSCA_NOT_FOUND', message: detail }],
    warnings,
    revocation: { status: 'unknown', detail: 'Not checked: no CSCA.' },
    detail,
  });
  if (!candidates.length) {
    return noAnchor(`No CSCA in the trust store matches the document signer's issuer "${dsc.issuer.text}"${akid ? ` (key identifier ${toHex(akid)})` : ''}; the document cannot be traced to its issuing state's CSCA.`);
  }

  // A CSCA may appear several times with the same key (re-issued with a new validity period):
  // among those that verify, prefer one valid at the reference time.
  const issuerEntry = pickIssuer(
    dsc,
    candidates.map((c) => c.entry),
    at,
  );
  if (!issuerEntry) {
    // Same name but none of the keys verifies. If the DSC names a key we do not hold, the CSCA key
    // that signed it is simply missing from the store; if we hold that very key, the DSC is forged.
    if (akid && !candidates.some((c) => c.keyIdMatch)) {
      return noAnchor(`The trust store holds CSCAs named "${dsc.issuer.text}", but not the key that signed this document signer certificate (key identifier ${toHex(akid)}).`);
    }
    const message = `The document signer certificate's signature does not verify with the key of its CSCA "${dsc.issuer.text}": the certificate was forged or altered.`;
    return {
      status: 'invalid',
      path: [dsc],
      issuer: undefined,
      problems: [{ code: 'PA_CHAIN_SIGNATURE_INVALID', message }],
      warnings,
      revocation: { status: 'unknown', detail: 'Not checked: the chain is broken.' },
      detail: message,
    };
  }

  // Follow link certificates upward to a self-signed CSCA, when the store has it.
  const path: Certificate[] = [dsc, issuerEntry.certificate];
  let top = issuerEntry;
  for (let i = 0; i < MAX_LINKS && top.kind === 'link'; i++) {
    const up = pickIssuer(
      top.certificate,
      store
        .issuerCandidates(top.certificate)
        .map((c) => c.entry)
        .filter((e) => !path.includes(e.certificate)),
      at,
    );
    if (!up) {
      warnings.push({ code: 'PA_LINK_ISSUER_MISSING', message: `The link certificate "${top.certificate.subject.text}" is trusted from the store; the older CSCA that issued it is not loaded.` });
      break;
    }
    path.push(up.certificate);
    top = up;
  }
  if (top.kind === 'csca' && !certificateSignedBy(top.certificate, top.certificate)) {
    warnings.push({ code: 'PA_CSCA_SELF_SIGNATURE_INVALID', message: `The self-signature of the CSCA certificate "${top.certificate.subject.text}" in the trust store does not verify; the store copy may be damaged.` });
  }

  // Validity at the reference time, for every certificate in the path.
  const when = at.toISOString().slice(0, 10);
  path.forEach((cert, i) => {
    const role = i === 0 ? 'DSC' : 'CSCA';
    const name = i === 0 ? 'document signer certificate' : i === 1 ? 'CSCA certificate' : 'CSCA certificate above the link certificate';
    if (at < cert.notBefore) problems.push({ code: `PA_${role}_NOT_YET_VALID`, message: `The ${name} "${cert.subject.text}" is not valid until ${cert.notBefore.toISOString().slice(0, 10)} (checked for ${when}).` });
    else if (at > cert.notAfter) problems.push({ code: `PA_${role}_EXPIRED`, message: `The ${name} "${cert.subject.text}" expired on ${cert.notAfter.toISOString().slice(0, 10)} (checked for ${when}).` });
  });

  // Key usage: the DSC signs documents, the CSCAs sign certificates (ICAO 9303-12 §7.1).
  if (dsc.keyUsage && !dsc.keyUsage.has('digitalSignature')) {
    problems.push({ code: 'PA_DSC_KEY_USAGE', message: 'The document signer certificate does not allow digital signatures (key usage), so it may not sign documents.' });
  }
  if (dsc.basicConstraints?.ca) warnings.push({ code: 'PA_DSC_IS_CA', message: 'The document signer certificate is marked as a CA certificate, which ICAO does not allow.' });
  for (const cert of path.slice(1)) {
    if (cert.keyUsage && !cert.keyUsage.has('keyCertSign')) problems.push({ code: 'PA_CSCA_KEY_USAGE', message: `The CSCA certificate "${cert.subject.text}" does not allow signing certificates (key usage).` });
  }
  for (const cert of path.slice(0, -1)) {
    if (cert.unknownCriticalExtensions.length) {
      problems.push({ code: 'PA_UNKNOWN_CRITICAL_EXTENSION', message: `The certificate "${cert.subject.text}" has critical extensions this system does not understand (${cert.unknownCriticalExtensions.join(', ')}), so it must not be accepted.` });
    }
  }

  // Revocation of the DSC and of link certificates (the anchor itself is trusted from the store).
  const revocation = store.revocationStatus(dsc, at);
  if (revocation.status === 'revoked') problems.push({ code: 'PA_DSC_REVOKED', message: `The document signer certificate has been revoked by its CSCA: ${revocation.detail}` });
  for (const link of path.slice(1, -1)) {
    const r = store.revocationStatus(link, at);
    if (r.status === 'revoked') problems.push({ code: 'PA_CSCA_REVOKED', message: `The link certificate "${link.subject.text}" has been revoked: ${r.detail}` });
  }

  const status = problems.length ? 'invalid' : 'valid';
  const chainText = path.map((c) => `"${c.subject.text}"`).join(' → ');
  return {
    status,
    path,
    issuer: issuerEntry,
    problems,
    warnings,
    revocation,
    detail: status === 'valid' ? `Chain verified from the document signer to the CSCA: ${chainText}.` : problems.map((p) => p.message).join(' '),
  };
}

/** The first candidate whose key verifies `cert`, preferring one valid at `at`. */
function pickIssuer(cert: Certificate, candidates: TrustEntry[], at: Date): TrustEntry | undefined {
  const verifying = candidates.filter((e) => certificateSignedBy(cert, e.certificate));
  return verifying.find((e) => e.certificate.isValidAt(at)) ?? verifying[0];
}
