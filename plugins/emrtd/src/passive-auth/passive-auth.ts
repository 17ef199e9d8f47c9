/**
 * Passive Authentication (ICAO Doc 9303 part 11 §5.1): proves that the data groups read from a
 * chip are the ones the issuing state signed, by checking
 *   1. the CMS signature of EF.SOD with the document signer certificate (DSC) it carries,
 *   2. the DSC's certification path to a CSCA of the trust store (and its revocation status),
 *   3. that the CSCA belongs to the state named in the MRZ,
 *   4. the hash of every data group read against the hash the SOD lists for it.
 *
 * Verdicts:
 *   'invalid' — something was proven wrong: a data-group hash mismatch, a data group the SOD does
 *               not cover, a failing SOD signature or message digest, a broken chain signature, a
 *               certificate outside its validity at the reference time or used against its key
 *               usage, a revoked DSC, a CSCA of another country than the MRZ says, a malformed SOD.
 *   'unknown' — nothing was proven wrong, but authenticity could not be established: no CSCA for
 *               the DSC in the trust store, DSC missing from the SOD, an algorithm this system does
 *               not support — and, only with `revocation: 'require'`, no current CRL for the DSC.
 *   'valid'   — every check passed.
 *
 * Revocation: by default ('best-effort') a missing or overdue CRL is a warning, not a change of
 * verdict — many states' CRLs are not loaded at a given border post, and an 'unknown' on every such
 * document would teach officers to ignore 'unknown'. A DSC that a loaded CRL revokes is 'invalid'.
 *
 * Reference time: certificates are checked for validity at `at` when given (the caller may pass
 * the document's date of issue, or the inspection time), otherwise at the SOD's signingTime
 * attribute when the SOD carries one, otherwise now. ICAO sizes DSC validity as key-usage period
 * plus document validity, so "now" is right for documents in their validity period; an expired
 * DSC at that time yields 'invalid' with PA_DSC_EXPIRED, whose hint explains passing `at`.
 */

import { createHash } from 'node:crypto';
import { parseSod, toHex } from '@tessera/sdk/emrtd';
import { Certificate, parseCertificate, type CertificateSummary } from '../trust/certificate.js';
import { validateDocumentSignerPath, type PathValidation } from '../trust/certificate-path.js';
import { describeSid, findSignerCertificate, signerDigestHash, verifySignerInfo, type SignedData } from '../trust/cms.js';
import { NODE_HASH, OID, type HashName } from '../trust/oids.js';
import { signatureAlgorithmOf } from '../trust/signature.js';
import type { TrustStore } from '../trust/trust-store.js';
import { lookupIssuingState } from './country-codes.js';

export interface PassiveAuthInput {
  /** EF.SOD as read from the chip (with or without its '77' wrapper). */
  sod: Uint8Array;
  /** Data groups read, by number (1–16), each the complete file as read. */
  dataGroups: Map<number, Uint8Array>;
  trustStore: TrustStore;
  /** MRZ issuing state (alpha-3, "D" or "D<<" for Germany). Omitted: country not checked. */
  issuingState?: string;
  /** Reference time for certificate validity (see the module comment). */
  at?: Date;
  /** 'best-effort' (default): no CRL is a warning; 'require': no current CRL makes the verdict 'unknown'. */
  revocation?: 'best-effort' | 'require';
}

export interface PaMessage {
  code: string;
  message: string;
}

export interface HashCheck {
  dg: number;
  /** Hash listed in the SOD, upper-case hex; null when the SOD has none for this data group. */
  expected: string | null;
  /** Hash of the data group read; null when it was not read. */
  actual: string | null;
  /** null: not checked (listed in the SOD but not read). */
  valid: boolean | null;
  status: 'match' | 'mismatch' | 'not-in-sod' | 'not-read';
}

export interface CertificateInfo extends CertificateSummary {
  /** C= of the subject, if any. */
  country: string | null;
  /** "RSA 2048", "EC brainpoolP256r1", … (null if the key cannot be read). */
  publicKey: string | null;
  keyUsage: string[] | null;
}

export interface PassiveAuthResult {
  verdict: 'valid' | 'invalid' | 'unknown';
  signature: {
    valid: boolean;
    /** The SignerInfo's signature algorithm, e.g. "RSASSA-PSS (SHA-256, MGF1 SHA-256, salt 32)". */
    algorithm: string;
    detail: string;
    /** SignerInfo digest algorithm and the LDS hash algorithm. */
    digestAlgorithm: HashName | null;
    ldsHashAlgorithm: HashName | null;
  };
  chain: {
    valid: boolean;
    status: 'valid' | 'invalid' | 'no-anchor' | 'not-checked';
    /** DSC first, then the CSCA (and CSCAs above a link certificate). */
    path: CertificateSummary[];
    detail: string;
    revocation: { status: 'good' | 'revoked' | 'unknown'; detail: string };
  };
  hashes: HashCheck[];
  dsc: CertificateInfo | null;
  csca: (CertificateInfo & { kind: 'csca' | 'link'; sources: string[] }) | null;
  country: {
    status: 'match' | 'mismatch' | 'cannot-compare' | 'not-checked';
    issuingState: string | null;
    expected: string | null;
    cscaCountry: string | null;
    detail: string;
  };
  /** The time certificate validity was judged at, and where it came from. */
  referenceTime: { at: string; source: 'at' | 'signing-time' | 'now' };
  errors: PaMessage[];
  warnings: PaMessage[];
}

/** Codes that prove the document wrong; every other error only prevents a 'valid'. */
const INVALIDATING = new Set([
  'PA_SOD_MALFORMED',
  'PA_SOD_CONTENT_TYPE',
  'PA_SOD_DIGEST_MISMATCH',
  'PA_SIGNATURE_INVALID',
  'PA_DG_HASH_MISMATCH',
  'PA_DG_NOT_IN_SOD',
  'PA_CHAIN_SIGNATURE_INVALID',
  'PA_DSC_EXPIRED',
  'PA_DSC_NOT_YET_VALID',
  'PA_CSCA_EXPIRED',
  'PA_CSCA_NOT_YET_VALID',
  'PA_DSC_KEY_USAGE',
  'PA_CSCA_KEY_USAGE',
  'PA_UNKNOWN_CRITICAL_EXTENSION',
  'PA_DSC_REVOKED',
  'PA_CSCA_REVOKED',
  'PA_COUNTRY_MISMATCH',
]);

/** What a changed data group means, for the officer. */
const DG_MEANING: Record<number, string> = {
  1: 'the MRZ data stored in the chip was altered',
  2: 'the face image was altered or replaced',
  3: 'the fingerprint data was altered or replaced',
  4: 'the iris data was altered or replaced',
  5: 'the displayed portrait was altered or replaced',
  6: 'reserved data was altered',
  7: 'the displayed signature was altered or replaced',
  8: 'data features were altered',
  9: 'structure features were altered',
  10: 'substance features were altered',
  11: 'the additional personal details were altered',
  12: 'the additional document details were altered',
  13: 'the optional details were altered',
  14: 'the chip security options (Chip Authentication keys) were altered',
  15: 'the Active Authentication public key was altered, so a cloned chip could pass Active Authentication',
  16: 'the persons to notify were altered',
};

export function verifyPassiveAuthentication(input: PassiveAuthInput): PassiveAuthResult {
  const errors: (PaMessage & { effect: 'invalid' | 'unknown' })[] = [];
  const warnings: PaMessage[] = [];
  const fail = (code: string, message: string) => errors.push({ code, message, effect: INVALIDATING.has(code) ? 'invalid' : 'unknown' });
  const now = new Date();

  const result: PassiveAuthResult = {
    verdict: 'unknown',
    signature: { valid: false, algorithm: '', detail: 'Not checked.', digestAlgorithm: null, ldsHashAlgorithm: null },
    chain: { valid: false, status: 'not-checked', path: [], detail: 'Not checked.', revocation: { status: 'unknown', detail: 'Not checked.' } },
    hashes: [],
    dsc: null,
    csca: null,
    country: { status: 'not-checked', issuingState: input.issuingState ?? null, expected: null, cscaCountry: null, detail: 'Not checked.' },
    referenceTime: { at: (input.at ?? now).toISOString(), source: input.at ? 'at' : 'now' },
    errors: [],
    warnings,
  };
  const finish = (): PassiveAuthResult => {
    result.errors = errors.map(({ code, message }) => ({ code, message }));
    result.verdict = errors.some((e) => e.effect === 'invalid') ? 'invalid' : errors.length ? 'unknown' : 'valid';
    return result;
  };

  // 1. EF.SOD: the LDS security object and the CMS structure around it, read once by the SDK, so
  // the hashes checked are exactly the content whose signature is checked.
  let lds: { hashAlgorithm: HashName; dataGroupHashes: Map<number, Uint8Array> };
  let sd: SignedData;
  try {
    const sod = parseSod(input.sod);
    lds = sod.lds;
    sd = sod;
  } catch (e) {
    fail('PA_SOD_MALFORMED', `The document security object (EF.SOD) cannot be read, so nothing on the chip can be authenticated: ${(e as Error).message}`);
    return finish();
  }
  result.signature.ldsHashAlgorithm = lds.hashAlgorithm;
  if (sd.eContentType !== OID.ldsSecurityObject) {
    fail('PA_SOD_CONTENT_TYPE', `EF.SOD signs content of type ${sd.eContentType}, not an LDS security object; it is not a valid document security object.`);
  }

  // 2. Data-group hashes: independent of the signature, so always reported.
  result.hashes = checkHashes(lds, input.dataGroups, fail);

  // 3. The document signer certificate and the CMS signature.
  const si = sd.signerInfos[0];
  if (!si) {
    fail('PA_SOD_MALFORMED', 'EF.SOD carries no signature (no SignerInfo).');
    return finish();
  }
  if (sd.signerInfos.length > 1) warnings.push({ code: 'PA_SOD_MULTIPLE_SIGNERS', message: `EF.SOD has ${sd.signerInfos.length} signatures; ICAO allows one. Only the first was checked.` });
  try {
    result.signature.digestAlgorithm = signerDigestHash(si);
    result.signature.algorithm = signatureAlgorithmOf(si.signatureAlgorithm, result.signature.digestAlgorithm).name;
  } catch {
    // Reported by the verification below.
  }
  const embedded: Certificate[] = [];
  for (const der of sd.certificates) {
    try {
      embedded.push(parseCertificate(der));
    } catch (e) {
      warnings.push({ code: 'PA_SOD_CERTIFICATE_UNREADABLE', message: `A certificate in EF.SOD cannot be read and was ignored: ${(e as Error).message}` });
    }
  }
  const dsc = findSignerCertificate(embedded, si.sid);
  if (!dsc) {
    const message = `The document signer certificate (${describeSid(si.sid)}) is not included in EF.SOD, so the signature cannot be checked.`;
    result.signature.detail = message;
    fail('PA_DSC_NOT_FOUND', message);
    return finish();
  }
  result.dsc = certificateInfo(dsc);
  let signatureChecked = false;
  try {
    const v = verifySignerInfo(sd, si, dsc.publicKey);
    signatureChecked = true;
    result.signature.valid = v.valid;
    result.signature.algorithm = v.algorithm || result.signature.algorithm;
    result.signature.detail = v.detail;
    if (v.signingTime && !input.at) result.referenceTime = { at: v.signingTime.toISOString(), source: 'signing-time' };
    if (v.signedAttrsEncoding === 'ber-as-sent') warnings.push({ code: 'PA_SIGNED_ATTRS_NOT_DER', message: 'The SOD signature was computed over BER-encoded signed attributes instead of DER; accepted, but the issuer deviates from CMS.' });
    if (!si.signedAttributes) warnings.push({ code: 'PA_SIGNED_ATTRS_MISSING', message: 'The SOD signature has no signed attributes, which ICAO Doc 9303 requires.' });
    if (!v.valid) {
      if (v.failure === 'unsupported-algorithm') fail('PA_UNSUPPORTED_ALGORITHM', `The SOD signature uses an algorithm this system cannot check: ${v.detail}`);
      else if (v.failure === 'content-type') fail('PA_SOD_CONTENT_TYPE', `The document security object's signed content type is wrong: ${v.detail}`);
      else if (v.failure === 'message-digest') fail('PA_SOD_DIGEST_MISMATCH', `The list of data-group hashes in EF.SOD is not the one that was signed: it was altered after signing. (${v.detail})`);
      else fail('PA_SIGNATURE_INVALID', `The signature on the document security object is not valid: the chip's data was not signed by this document signer, or was altered. (${v.detail})`);
    }
  } catch (e) {
    const message = `The document signer's public key cannot be used: ${(e as Error).message}`;
    result.signature.detail = message;
    fail('PA_UNSUPPORTED_ALGORITHM', message);
  }
  if (!signatureChecked) return finish();

  // 4. The chain to a CSCA, at the reference time.
  const at = new Date(result.referenceTime.at);
  const path = validateDocumentSignerPath(dsc, input.trustStore, at);
  applyPath(result, path, input, fail, warnings);

  // 5. The CSCA's country against the MRZ issuing state.
  if (path.issuer) checkCountry(result, path.issuer.certificate, input.issuingState, fail, warnings);

  return finish();
}

function checkHashes(
  lds: { hashAlgorithm: HashName; dataGroupHashes: Map<number, Uint8Array> },
  dataGroups: Map<number, Uint8Array>,
  fail: (code: string, message: string) => void,
): HashCheck[] {
  const out: HashCheck[] = [];
  const numbers = [...new Set([...lds.dataGroupHashes.keys(), ...dataGroups.keys()])].sort((a, b) => a - b);
  for (const dg of numbers) {
    const listed = lds.dataGroupHashes.get(dg);
    const content = dataGroups.get(dg);
    const expected = listed ? toHex(listed) : null;
    if (!content) {
      out.push({ dg, expected, actual: null, valid: null, status: 'not-read' });
      continue;
    }
    const actual = createHash(NODE_HASH[lds.hashAlgorithm]).update(content).digest('hex').toUpperCase();
    if (!expected) {
      out.push({ dg, expected, actual, valid: false, status: 'not-in-sod' });
      fail('PA_DG_NOT_IN_SOD', `Data group ${dg} was read from the chip but the document security object does not list it: it was added to the chip and is not covered by the issuer's signature.`);
      continue;
    }
    const valid = expected === actual;
    out.push({ dg, expected, actual, valid, status: valid ? 'match' : 'mismatch' });
    if (!valid) fail('PA_DG_HASH_MISMATCH', `Data group ${dg} hash does not match the document security object: ${DG_MEANING[dg] ?? 'its content was altered'}.`);
  }
  return out;
}

function applyPath(result: PassiveAuthResult, path: PathValidation, input: PassiveAuthInput, fail: (code: string, message: string) => void, warnings: PaMessage[]): void {
  result.chain = {
    valid: path.status === 'valid',
    status: path.status,
    path: path.path.map((c) => c.summary()),
    detail: path.detail,
    revocation: { status: path.revocation.status, detail: path.revocation.detail },
  };
  if (path.issuer) {
    const c = path.issuer.certificate;
    result.csca = { ...certificateInfo(c), kind: path.issuer.kind, sources: [...path.issuer.sources] };
  }
  for (const p of path.problems) {
    if (p.code === 'PA_DSC_EXPIRED' && result.referenceTime.source !== 'at') {
      fail(p.code, `${p.message} If the document was issued while it was valid, this does not by itself mean forgery; check the document's own validity and pass its date of issue as the reference time.`);
    } else fail(p.code, p.message);
  }
  warnings.push(...path.warnings);
  if (path.status !== 'no-anchor' && path.revocation.status === 'unknown') {
    if (input.revocation === 'require') fail('PA_REVOCATION_UNKNOWN', `The revocation status of the document signer certificate could not be determined: ${path.revocation.detail}`);
    else warnings.push({ code: 'PA_REVOCATION_UNKNOWN', message: path.revocation.detail });
  }
}

function checkCountry(result: PassiveAuthResult, csca: Certificate, issuingState: string | undefined, fail: (code: string, message: string) => void, warnings: PaMessage[]): void {
  const cscaCountry = csca.subject.country ?? null;
  result.country.cscaCountry = cscaCountry;
  if (!issuingState) {
    result.country.detail = 'No MRZ issuing state was given; the CSCA country was not compared.';
    return;
  }
  const state = lookupIssuingState(issuingState);
  result.country.issuingState = state.alpha3;
  const cannotCompare = (detail: string) => {
    result.country.status = 'cannot-compare';
    result.country.detail = detail;
    warnings.push({ code: 'PA_COUNTRY_NOT_COMPARABLE', message: detail });
  };
  if (state.kind === 'organisation') return cannotCompare(`The issuing state ${state.alpha3} (${state.name}) is not a country, so the CSCA's country (${cscaCountry ?? 'none'}) cannot be compared with it.`);
  if (state.kind === 'unknown') return cannotCompare(`The issuing state code ${state.alpha3} is not a known ICAO/ISO code, so the CSCA's country cannot be compared with it.`);
  result.country.expected = state.alpha2;
  if (!cscaCountry) return cannotCompare(`The CSCA "${csca.subject.text}" names no country, so it cannot be compared with the issuing state ${state.alpha3}.`);
  if (cscaCountry === state.alpha2) {
    result.country.status = 'match';
    result.country.detail = `The CSCA belongs to ${cscaCountry}, the issuing state in the MRZ (${state.alpha3}).`;
    return;
  }
  result.country.status = 'mismatch';
  result.country.detail = `The document claims issuing state ${state.alpha3} (${state.alpha2}) but was signed under the CSCA of ${cscaCountry}.`;
  fail('PA_COUNTRY_MISMATCH', `The document says it was issued by ${state.alpha3}, but its chip was signed under the CSCA of another country (${cscaCountry}): the chip or the data page does not belong to this document.`);
}

function certificateInfo(c: Certificate): CertificateInfo {
  let publicKey: string | null = null;
  try {
    publicKey = c.publicKey.description;
  } catch {
    publicKey = null;
  }
  return { ...c.summary(), country: c.subject.country ?? null, publicKey, keyUsage: c.keyUsage ? [...c.keyUsage] : null };
}

