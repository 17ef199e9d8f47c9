/**
 * The CSCA trust store: the country signing CA certificates Passive Authentication trusts, and
 * the CRLs they published.
 *
 * Sources:
 *  - CSCA master lists (.ml/.mls: CMS SignedData with eContentType id-icao-cscaMasterList), as
 *    the ICAO PKD and national authorities publish them. A list is accepted only as a whole:
 *    its CMS signature must verify and its signer certificate must chain to a CSCA contained in
 *    the list (or already in the store); otherwise nothing from it is added. Note that a list
 *    proving its own signer is only self-consistent — its authenticity still rests on where it
 *    was downloaded from (pass `signerAnchors` to pin the CSCA the signer must chain to).
 *  - individual CSCA certificates (DER or PEM), trusted as given by the operator;
 *  - CRLs, accepted only when signed by a CSCA in the store. A CRL whose issuer is not (yet) in
 *    the store is kept aside as 'unverified' — never used — and re-examined when CSCAs are added.
 *
 * What is kept: every CA certificate (self-signed CSCAs and link certificates), indexed by
 * subject key identifier and by subject name. Expired CSCAs are kept on purpose: a document
 * signed while its CSCA was valid stays verifiable, and Passive Authentication judges validity at
 * the document's reference time (see passive-auth.ts), not at load time. Each certificate that
 * is not kept is reported with the reason (malformed, duplicate, not a CA, …).
 *
 * Loading is cheap: certificates are parsed with a light DER reader, public keys are built and
 * self-signatures checked only when a certificate is actually used in a path.
 */

import { TesseraError } from '@tessera/sdk';
import { Certificate, decodeCertificateInput, looksLikePem, parseCertificate, type CertificateSummary } from './certificate.js';
import { describeSid, findSignerCertificate, parseSignedData, verifySignerInfo } from './cms.js';
import { parseCrl, type Crl, type RevokedEntry } from './crl.js';
import { ASN1, type DerContext, type DerNode, parseDer, toHex } from '@tessera/sdk/emrtd';
import { OID } from './oids.js';
import { identifySignatureAlgorithm, verifySignature } from './signature.js';

/** What DER reading errors here say: PA_ASN1_MALFORMED, naming the structure. */
const DER: DerContext = { file: 'CSCA master list', code: 'PA_ASN1_MALFORMED', hint: 'The master list is truncated or not a CscaMasterList.' };

export type TrustEntryKind = 'csca' | 'link';

export interface TrustEntry {
  certificate: Certificate;
  /** 'csca': self-signed; 'link': signed by another CSCA key (key rollover or name change). */
  kind: TrustEntryKind;
  /** Where it came from (file names or labels given when loading). */
  sources: string[];
  /** Remarks that did not stop it from being kept (expired, no basic constraints, …). */
  notes: string[];
}

export interface SkippedCertificate {
  /** Position in the master list (0-based), or in the input for individual certificates. */
  index: number;
  subject?: string;
  code: 'PA_CERT_MALFORMED' | 'PA_CERT_DUPLICATE' | 'PA_CERT_NOT_CA' | 'PA_CERT_NO_KEY_CERT_SIGN' | 'PA_CERT_UNSUPPORTED_KEY';
  reason: string;
}

export interface LoadReport {
  source: string;
  kind: 'master-list' | 'certificates';
  /** For master lists: who signed it, when, with what, and which CSCA vouches for the signer. */
  signer?: CertificateSummary & { algorithm: string; signingTime?: string; chainedTo: string; chainedToSource: 'list' | 'store' | 'pinned' };
  /** Certificates in the input. */
  total: number;
  added: number;
  skipped: SkippedCertificate[];
  /** Kept certificates with remarks, e.g. expired ones. */
  notes: { index: number; subject: string; note: string }[];
  /** Pending CRLs that became verifiable thanks to the new CSCAs. */
  crlsVerified: number;
  /** Pending CRLs whose CSCA arrived and whose signature then failed: dropped, never used. */
  crlsRejected: string[];
}

export interface CrlReport {
  source: string;
  /** 'verified': signed by a CSCA in the store and used; 'unverified': issuer not in the store, ignored. */
  status: 'verified' | 'unverified';
  issuer: string;
  thisUpdate: string;
  nextUpdate?: string;
  revokedCount: number;
  /** Why it is (not) used, in a sentence. */
  reason: string;
  verifiedBy?: string;
}

export interface RevocationStatus {
  /** 'good': a current CRL from the issuer does not list it; 'unknown': no usable CRL. */
  status: 'good' | 'revoked' | 'unknown';
  detail: string;
  entry?: RevokedEntry;
  crl?: { issuer: string; thisUpdate: string; nextUpdate?: string; source: string };
}

interface StoredCrl {
  crl: Crl;
  source: string;
  verifiedBy?: Certificate;
}

const MASTER_LIST_HINT = 'Download the master list again from its publisher (ICAO PKD or the national authority); do not use a list whose signature fails.';

export class TrustStore {
  private readonly byFingerprint = new Map<string, TrustEntry>();
  private readonly bySki = new Map<string, TrustEntry[]>();
  private readonly bySubject = new Map<string, TrustEntry[]>();
  private readonly crls: StoredCrl[] = [];
  private readonly pendingCrls: StoredCrl[] = [];

  /** Number of distinct CA certificates held. */
  get size(): number {
    return this.byFingerprint.size;
  }

  entries(): TrustEntry[] {
    return [...this.byFingerprint.values()];
  }

  /** CSCAs (and link certificates) whose subject key identifier is `keyId`. */
  findByKeyId(keyId: Uint8Array): TrustEntry[] {
    return this.bySki.get(toHex(keyId)) ?? [];
  }

  /** CSCAs whose subject name matches `nameKey` (DistinguishedName.key). */
  findBySubject(nameKey: string): TrustEntry[] {
    return this.bySubject.get(nameKey) ?? [];
  }

  /** The entry holding exactly this certificate, if any. */
  entryFor(cert: Certificate): TrustEntry | undefined {
    return this.byFingerprint.get(cert.fingerprint);
  }

  /**
   * Store certificates that may have issued `cert`: those whose key identifier matches its
   * authority key identifier first, then those with the issuer's name.
   */
  issuerCandidates(cert: Certificate): { entry: TrustEntry; keyIdMatch: boolean; nameMatch: boolean }[] {
    const out = new Map<TrustEntry, { entry: TrustEntry; keyIdMatch: boolean; nameMatch: boolean }>();
    const akid = cert.aki?.keyId;
    if (akid) for (const e of this.findByKeyId(akid)) out.set(e, { entry: e, keyIdMatch: true, nameMatch: e.certificate.subject.key === cert.issuer.key });
    for (const e of this.findBySubject(cert.issuer.key)) if (!out.has(e)) out.set(e, { entry: e, keyIdMatch: false, nameMatch: true });
    return [...out.values()].sort((a, b) => score(b) - score(a));
  }

  // -------------------------------------------------------------------------------------------
  // Loading

  /**
   * Adds the CSCAs of a CMS-signed master list (DER, or PEM "CMS"/"PKCS7"). Throws
   * PA_MASTER_LIST_MALFORMED, PA_MASTER_LIST_SIGNATURE_INVALID or PA_MASTER_LIST_SIGNER_UNTRUSTED,
   * and then nothing is added.
   *
   * Options: `source` labels the entries and messages (e.g. the file name); `at` is when the
   * signer certificate must be valid (default: the list's signingTime, else now);
   * `signerAnchors` pins the CSCA(s) the signer must chain to, instead of any CSCA in the list or
   * already in the store.
   */
  addMasterList(input: Uint8Array | string, options: { source?: string; at?: Date; signerAnchors?: (Uint8Array | string)[] } = {}): LoadReport {
    const source = options.source ?? 'master list';
    const bytes = decodeMasterListInput(input, source);
    let sd;
    try {
      sd = parseSignedData(bytes);
    } catch (e) {
      throw new TesseraError('PA_MASTER_LIST_MALFORMED', `${source}: not a readable CMS master list (${(e as Error).message}).`, { hint: MASTER_LIST_HINT, cause: e });
    }
    if (sd.eContentType !== OID.cscaMasterList) {
      throw new TesseraError('PA_MASTER_LIST_MALFORMED', `${source}: the signed content is ${sd.eContentType}, not a CSCA master list (${OID.cscaMasterList}).`, { hint: 'Pass a CSCA master list (.ml/.mls), not another CMS object.' });
    }
    if (!sd.eContent) throw new TesseraError('PA_MASTER_LIST_MALFORMED', `${source}: the master list has no content.`, { hint: MASTER_LIST_HINT });

    // The list content: CscaMasterList ::= SEQUENCE { version, certList SET OF Certificate }.
    let certNodes: DerNode[];
    try {
      const list = parseDer(sd.eContent, DER).expect(ASN1.SEQUENCE, 'CscaMasterList');
      certNodes = list.child(1, 'certList').expect(ASN1.SET, 'certList').children;
    } catch (e) {
      throw new TesseraError('PA_MASTER_LIST_MALFORMED', `${source}: the certificate list cannot be read (${(e as Error).message}).`, { hint: MASTER_LIST_HINT, cause: e });
    }
    const parsed: (Certificate | TesseraError)[] = certNodes.map((node) => {
      try {
        // Already decoded with the list: each certificate is read from its subtree, not decoded again.
        return parseCertificate(node.raw, node);
      } catch (e) {
        return e as TesseraError;
      }
    });
    const listCerts = parsed.filter((c): c is Certificate => c instanceof Certificate);

    // 1. The CMS signature.
    const si = sd.signerInfos[0];
    if (!si) throw new TesseraError('PA_MASTER_LIST_SIGNATURE_INVALID', `${source}: the master list carries no signature.`, { hint: MASTER_LIST_HINT });
    const embedded = sd.certificates.flatMap((der) => {
      try {
        return [parseCertificate(der)];
      } catch {
        return [];
      }
    });
    const signer = findSignerCertificate(embedded, si.sid) ?? findSignerCertificate(listCerts, si.sid);
    if (!signer) {
      throw new TesseraError('PA_MASTER_LIST_SIGNATURE_INVALID', `${source}: the master list signer certificate (${describeSid(si.sid)}) is not included, so its signature cannot be checked.`, { hint: MASTER_LIST_HINT });
    }
    let signerKey;
    try {
      signerKey = signer.publicKey;
    } catch (e) {
      throw new TesseraError('PA_MASTER_LIST_SIGNATURE_INVALID', `${source}: the master list signer key cannot be used (${(e as Error).message}).`, { hint: MASTER_LIST_HINT, cause: e });
    }
    const verification = verifySignerInfo(sd, si, signerKey);
    if (!verification.valid) {
      throw new TesseraError('PA_MASTER_LIST_SIGNATURE_INVALID', `${source}: the master list signature is not valid — ${verification.detail}`, { hint: MASTER_LIST_HINT, details: { failure: verification.failure } });
    }

    // 2. The signer certificate must be issued by a CSCA of the list (or pinned / already trusted).
    const checkTime = options.at ?? verification.signingTime ?? new Date();
    const pinned = (options.signerAnchors ?? []).flatMap((a) => decodeCertificateInput(a)).map((der) => parseCertificate(der));
    const issuerPool: { cert: Certificate; from: 'list' | 'store' | 'pinned' }[] = pinned.length
      ? pinned.map((cert) => ({ cert, from: 'pinned' as const }))
      : [...listCerts.map((cert) => ({ cert, from: 'list' as const })), ...this.entries().map((e) => ({ cert: e.certificate, from: 'store' as const }))];
    const issuer = issuerPool.find(
      ({ cert }) =>
        cert !== signer &&
        cert.subject.key === signer.issuer.key &&
        (!signer.aki?.keyId || !cert.ski || toHex(cert.ski) === toHex(signer.aki.keyId)) &&
        certificateSignedBy(signer, cert),
    );
    if (!issuer) {
      throw new TesseraError(
        'PA_MASTER_LIST_SIGNER_UNTRUSTED',
        `${source}: the master list signer "${signer.subject.text}" is not certified by ${pinned.length ? 'the pinned CSCA' : 'any CSCA in the list'} ("${signer.issuer.text}" not found or its signature does not verify).`,
        { hint: MASTER_LIST_HINT },
      );
    }
    const problems: string[] = [];
    if (!signer.isValidAt(checkTime)) problems.push(`it is not valid on ${checkTime.toISOString()} (valid ${signer.notBefore.toISOString()} – ${signer.notAfter.toISOString()})`);
    if (signer.keyUsage && !signer.keyUsage.has('digitalSignature')) problems.push('its key usage does not allow digital signatures');
    if (signer.extKeyUsage && !signer.extKeyUsage.includes(OID.cscaMasterListSigningKey)) problems.push('its extended key usage is not master-list signing (2.23.136.1.1.3)');
    if (problems.length) {
      throw new TesseraError('PA_MASTER_LIST_SIGNER_UNTRUSTED', `${source}: the master list signer "${signer.subject.text}" cannot sign master lists: ${problems.join('; ')}.`, { hint: MASTER_LIST_HINT });
    }

    // 3. Everything checks out: add the CSCAs.
    const report: LoadReport = {
      source,
      kind: 'master-list',
      signer: {
        ...signer.summary(),
        algorithm: verification.algorithm,
        ...(verification.signingTime ? { signingTime: verification.signingTime.toISOString() } : {}),
        chainedTo: issuer.cert.subject.text,
        chainedToSource: issuer.from,
      },
      total: certNodes.length,
      added: 0,
      skipped: [],
      notes: [],
      crlsVerified: 0,
      crlsRejected: [],
    };
    parsed.forEach((c, index) => this.addOne(c, index, source, report));
    this.retryPendingCrls(report);
    return report;
  }

  /**
   * Adds individual CSCA certificates (DER, PEM with one or more blocks), trusted as given.
   * Certificates that are not CA certificates are skipped and reported, not thrown.
   */
  addCertificates(inputs: Uint8Array | string | (Uint8Array | string)[], options: { source?: string } = {}): LoadReport {
    const source = options.source ?? 'certificates';
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const report: LoadReport = { source, kind: 'certificates', total: 0, added: 0, skipped: [], notes: [], crlsVerified: 0, crlsRejected: [] };
    let index = 0;
    for (const input of list) {
      let ders: Uint8Array[];
      try {
        ders = decodeCertificateInput(input);
      } catch (e) {
        report.total++;
        report.skipped.push({ index: index++, code: 'PA_CERT_MALFORMED', reason: (e as Error).message });
        continue;
      }
      for (const der of ders) {
        report.total++;
        let cert: Certificate | TesseraError;
        try {
          cert = parseCertificate(der);
        } catch (e) {
          cert = e as TesseraError;
        }
        this.addOne(cert, index++, source, report);
      }
    }
    this.retryPendingCrls(report);
    return report;
  }

  private addOne(cert: Certificate | TesseraError, index: number, source: string, report: LoadReport): void {
    if (!(cert instanceof Certificate)) {
      report.skipped.push({ index, code: 'PA_CERT_MALFORMED', reason: cert.message });
      return;
    }
    const subject = cert.subject.text;
    const existing = this.byFingerprint.get(cert.fingerprint);
    if (existing) {
      if (!existing.sources.includes(source)) existing.sources.push(source);
      report.skipped.push({ index, subject, code: 'PA_CERT_DUPLICATE', reason: 'Already in the trust store (same certificate).' });
      return;
    }
    if (cert.basicConstraints && !cert.basicConstraints.ca) {
      report.skipped.push({ index, subject, code: 'PA_CERT_NOT_CA', reason: 'Not a CA certificate (basic constraints cA is false) — a CSCA must be a CA.' });
      return;
    }
    if (!cert.basicConstraints && !cert.selfIssued) {
      // Legacy self-signed CSCAs without the extension are tolerated (noted below); a certificate
      // issued to someone else with no CA marking is an end-entity certificate (e.g. a DSC).
      report.skipped.push({ index, subject, code: 'PA_CERT_NOT_CA', reason: 'Not marked as a CA certificate (no basic constraints) and issued by another authority — this looks like a document signer, not a CSCA.' });
      return;
    }
    if (cert.keyUsage && !cert.keyUsage.has('keyCertSign')) {
      report.skipped.push({ index, subject, code: 'PA_CERT_NO_KEY_CERT_SIGN', reason: 'Its key usage does not allow signing certificates (keyCertSign), so it cannot have issued document signers.' });
      return;
    }
    if (cert.keyAlgorithmOid !== OID.rsaEncryption && cert.keyAlgorithmOid !== OID.rsassaPss && cert.keyAlgorithmOid !== OID.ecPublicKey) {
      report.skipped.push({ index, subject, code: 'PA_CERT_UNSUPPORTED_KEY', reason: `Unsupported public key algorithm ${cert.keyAlgorithmOid}.` });
      return;
    }
    const notes: string[] = [];
    const now = new Date();
    if (cert.notAfter < now) notes.push(`expired on ${cert.notAfter.toISOString().slice(0, 10)} (kept: documents are judged at their own reference time)`);
    if (!cert.basicConstraints) notes.push('no basic constraints extension');
    if (!cert.subject.country) notes.push('no country (C=) in the subject name');
    const entry: TrustEntry = { certificate: cert, kind: cert.selfSigned ? 'csca' : 'link', sources: [source], notes };
    this.byFingerprint.set(cert.fingerprint, entry);
    if (cert.ski) push(this.bySki, toHex(cert.ski), entry);
    push(this.bySubject, cert.subject.key, entry);
    report.added++;
    for (const note of notes) report.notes.push({ index, subject, note });
  }

  // -------------------------------------------------------------------------------------------
  // CRLs

  /**
   * Adds a CRL. It is used only if a CSCA in the store signed it ('verified'); if its issuer is
   * not in the store it is reported 'unverified' and ignored (re-examined when CSCAs are added).
   * Throws PA_CRL_MALFORMED, or PA_CRL_SIGNATURE_INVALID when its CSCA is present but the
   * signature does not verify (a forged or damaged CRL is never kept).
   */
  addCrl(input: Uint8Array | string, options: { source?: string } = {}): CrlReport {
    const source = options.source ?? 'CRL';
    const crl = parseCrl(input);
    const stored: StoredCrl = { crl, source };
    const outcome = this.verifyCrl(stored);
    if (outcome === 'invalid') {
      throw new TesseraError('PA_CRL_SIGNATURE_INVALID', `${source}: the CRL of "${crl.issuer.text}" is not validly signed by that CSCA; it was rejected.`, {
        hint: 'Download the CRL again from the issuing state or the ICAO PKD.',
      });
    }
    if (outcome === 'unverified') this.pendingCrls.push(stored);
    else this.crls.push(stored);
    return crlReport(stored, outcome);
  }

  /** Reports on every CRL given so far, verified or not. */
  crlReports(): CrlReport[] {
    return [...this.crls.map((c) => crlReport(c, 'verified')), ...this.pendingCrls.map((c) => crlReport(c, 'unverified'))];
  }

  private verifyCrl(stored: StoredCrl): 'verified' | 'unverified' | 'invalid' {
    const { crl } = stored;
    const candidates = [
      ...(crl.authorityKeyId ? this.findByKeyId(crl.authorityKeyId) : []),
      ...this.findBySubject(crl.issuer.key),
    ].filter((e, i, all) => all.indexOf(e) === i && e.certificate.subject.key === crl.issuer.key);
    if (!candidates.length) return 'unverified';
    // Same name, but the CRL names a signing key we do not hold (a newer CSCA key): unverifiable, not forged.
    const akid = crl.authorityKeyId ? toHex(crl.authorityKeyId) : undefined;
    if (akid && !candidates.some((e) => e.certificate.ski && toHex(e.certificate.ski) === akid)) return 'unverified';
    for (const { certificate } of candidates) {
      if (certificate.keyUsage && !certificate.keyUsage.has('cRLSign')) continue;
      try {
        const alg = identifySignatureAlgorithm(crl.signatureAlgorithm);
        if (verifySignature(alg, certificate.publicKey, crl.tbs, crl.signatureValue).valid) {
          stored.verifiedBy = certificate;
          return 'verified';
        }
      } catch {
        // Unsupported algorithm or key: try the next candidate.
      }
    }
    return 'invalid';
  }

  private retryPendingCrls(report: LoadReport): void {
    for (let i = this.pendingCrls.length - 1; i >= 0; i--) {
      const outcome = this.verifyCrl(this.pendingCrls[i]!);
      if (outcome === 'unverified') continue;
      const [stored] = this.pendingCrls.splice(i, 1);
      // A pending CRL that turns out forged once its CSCA arrives is dropped, never used.
      if (outcome === 'verified') {
        this.crls.push(stored!);
        report.crlsVerified++;
      } else report.crlsRejected.push(`${stored!.source}: CRL of "${stored!.crl.issuer.text}" is not validly signed by that CSCA`);
    }
  }

  /**
   * Revocation status of `cert` (issued by a CSCA named `cert.issuer`) at `at`, from the verified
   * CRLs of that CSCA. 'unknown' when no CRL of the issuer is loaded or the newest is overdue.
   */
  revocationStatus(cert: Certificate, at: Date): RevocationStatus {
    const mine = this.crls.filter((c) => c.crl.issuer.key === cert.issuer.key);
    if (!mine.length) return { status: 'unknown', detail: `No CRL of "${cert.issuer.text}" is loaded, so revocation could not be checked.` };
    for (const c of mine) {
      const entry = c.crl.revoked.get(cert.serialHex);
      if (entry) {
        return {
          status: 'revoked',
          detail: `Certificate ${cert.serialHex} was revoked on ${entry.date.toISOString().slice(0, 10)}${entry.reason ? ` (${entry.reason})` : ''} according to the CRL of "${c.crl.issuer.text}" issued ${c.crl.thisUpdate.toISOString().slice(0, 10)}.`,
          entry,
          crl: crlInfo(c),
        };
      }
    }
    const newest = mine.reduce((a, b) => (b.crl.thisUpdate > a.crl.thisUpdate ? b : a));
    if (newest.crl.nextUpdate && newest.crl.nextUpdate < at) {
      return {
        status: 'unknown',
        detail: `The newest CRL of "${newest.crl.issuer.text}" was due for renewal on ${newest.crl.nextUpdate.toISOString().slice(0, 10)}; revocation after that cannot be ruled out.`,
        crl: crlInfo(newest),
      };
    }
    return { status: 'good', detail: `Not listed in the CRL of "${newest.crl.issuer.text}" issued ${newest.crl.thisUpdate.toISOString().slice(0, 10)}.`, crl: crlInfo(newest) };
  }
}

/** Checks `cert`'s signature with `issuer`'s key (cached per pair). */
export function certificateSignedBy(cert: Certificate, issuer: Certificate): boolean {
  const cached = cert.verifiedBy.get(issuer.fingerprint);
  if (cached !== undefined) return cached;
  let ok = false;
  try {
    ok = verifySignature(identifySignatureAlgorithm(cert.signatureAlgorithm), issuer.publicKey, cert.tbs, cert.signatureValue).valid;
  } catch {
    ok = false;
  }
  cert.verifiedBy.set(issuer.fingerprint, ok);
  return ok;
}

function score(c: { keyIdMatch: boolean; nameMatch: boolean; entry: TrustEntry }): number {
  return (c.keyIdMatch ? 4 : 0) + (c.nameMatch ? 2 : 0) + (c.entry.kind === 'csca' ? 1 : 0);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function crlInfo(c: StoredCrl): RevocationStatus['crl'] {
  return { issuer: c.crl.issuer.text, thisUpdate: c.crl.thisUpdate.toISOString(), ...(c.crl.nextUpdate ? { nextUpdate: c.crl.nextUpdate.toISOString() } : {}), source: c.source };
}

function crlReport(c: StoredCrl, status: 'verified' | 'unverified'): CrlReport {
  return {
    source: c.source,
    status,
    issuer: c.crl.issuer.text,
    thisUpdate: c.crl.thisUpdate.toISOString(),
    ...(c.crl.nextUpdate ? { nextUpdate: c.crl.nextUpdate.toISOString() } : {}),
    revokedCount: c.crl.revoked.size,
    reason:
      status === 'verified'
        ? `Signed by "${c.verifiedBy!.subject.text}" in the trust store; used for revocation checks.`
        : `Its issuer "${c.crl.issuer.text}"${c.crl.authorityKeyId ? ` (key identifier ${toHex(c.crl.authorityKeyId)})` : ''} is not in the trust store, so the CRL cannot be authenticated; it is ignored until that CSCA is loaded.`,
    ...(c.verifiedBy ? { verifiedBy: c.verifiedBy.subject.text } : {}),
  };
}

function decodeMasterListInput(input: Uint8Array | string, source: string): Uint8Array {
  if (typeof input !== 'string' && !looksLikePem(input)) return input;
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const m = /-----BEGIN (?:CMS|PKCS7)-----([\s\S]*?)-----END (?:CMS|PKCS7)-----/.exec(text);
  if (!m) throw new TesseraError('PA_MASTER_LIST_MALFORMED', `${source}: neither DER nor a PEM CMS block.`, { hint: MASTER_LIST_HINT });
  return new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}
