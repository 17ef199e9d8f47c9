/**
 * Certificates of the test PKI the project generates for its virtual chip and its tests: a
 * Country Signing CA, Document Signers under it, and a Master List Signer, with the essentials
 * of the ICAO Doc 9303 part 12 profiles (§7.1):
 *
 * - all: X.509 v3, C= (PrintableString, the issuing state) and CN= in the names, positive serial
 *   numbers, subject key identifier, private key usage period;
 * - CSCA: self-signed, basic constraints CA with path length 0, key usage keyCertSign + cRLSign
 *   (both critical);
 * - Document Signer: key usage digitalSignature (critical), authority key identifier, and the
 *   ICAO document type list extension (2.23.136.1.1.6.2);
 * - Master List Signer: key usage digitalSignature, extended key usage
 *   id-icao-cscaMasterListSigningKey (2.23.136.1.1.3), as in the master lists states publish.
 *
 * Nothing is cached or written to disk; a P-256 CSCA plus DSC takes a few milliseconds.
 */

import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes } from 'node:crypto';
import { TesseraError } from '../../errors.js';
import { toHex } from '../codec/bytes.js';
import { OID, type HashAlgorithmName } from '../lds/algorithms.js';
import { readCertificateInfo } from '../lds/certificate.js';
import { derGeneralizedTime, derInteger, derContext, derPrintableString, derSequence, derSetOf } from '../lds/der-writer.js';
import {
  bufferSource,
  checkKeyAlgorithm,
  cryptoProvider,
  defaultHashFor,
  generateKeyPair,
  isEcAlgorithm,
  optionsError,
  subtle,
  webSigningKey,
  type SignatureScheme,
  type TestKeyAlgorithm,
} from './keys.js';

export type CertificateRole = 'CSCA' | 'DocumentSigner' | 'MasterListSigner';

export interface TestCertificate {
  role: CertificateRole;
  /** The certificate DER. */
  der: Uint8Array;
  certificate: x509.X509Certificate;
  /** Extractable WebCrypto keys: the private key signs SODs, CRLs or certificates. */
  keys: CryptoKeyPair;
  keyAlgorithm: TestKeyAlgorithm;
  /** How this key signs what it issues (certificates, CRLs, SODs, master lists) unless told otherwise. */
  signatureScheme: SignatureScheme;
  signatureHash: HashAlgorithmName;
  subject: string;
  country: string;
  subjectKeyIdentifier: Uint8Array;
}

export interface Validity {
  /** Default: now (minus a minute, so a certificate made "now" is already valid on a clock a little behind). */
  notBefore?: Date;
  /** Default: notBefore plus the role's usual lifetime. */
  notAfter?: Date;
}

interface CommonOptions {
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  keyAlgorithm?: TestKeyAlgorithm;
  validity?: Validity;
  /** Hex, or the unsigned bytes; default 8 random bytes. */
  serialNumber?: string | Uint8Array;
  /** RSA only: how this key signs what it issues. Default 'RSA-PSS' (ICAO's recommendation). */
  rsaSignatureScheme?: 'RSA-PKCS1' | 'RSA-PSS';
  /** Hash for what this key signs; default SHA-256 (SHA-384 for P-384). */
  signatureHash?: HashAlgorithmName;
}

export interface CreateCscaOptions extends CommonOptions {
  /** ISO 3166-1 alpha-2 code of the issuing state, e.g. 'UT' for the Utopia test state. */
  country: string;
}

export interface CreateDocumentSignerOptions extends CommonOptions {
  /** Default: the CSCA's country (a DSC's country must be its CSCA's). */
  country?: string;
  /** Document types the signer may sign, for the ICAO document type list extension; default ['P']. Empty leaves the extension out. */
  documentTypes?: string[];
}

export type CreateMasterListSignerOptions = CommonOptions & { country?: string };

const DAY = 86_400_000;
const LIFETIME_DAYS: Record<CertificateRole, number> = { CSCA: 15 * 365, DocumentSigner: 10 * 365 + 90, MasterListSigner: 5 * 365 };
/** Private key usage periods: a CSCA signs for ~3–5 years, a DSC for ~3 months, per 9303-12 §5.3. */
const KEY_USAGE_DAYS: Record<CertificateRole, number> = { CSCA: 5 * 365, DocumentSigner: 90, MasterListSigner: 365 };

function checkCountry(country: unknown): string {
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) {
    throw optionsError(`country must be an ISO 3166-1 alpha-2 code in capitals (e.g. 'UT'), got ${JSON.stringify(country)}`);
  }
  return country;
}

function serialHex(serial: string | Uint8Array | undefined): string {
  if (serial === undefined) {
    const bytes = randomBytes(8);
    bytes[0] = (bytes[0] & 0x7f) | 0x01; // positive, and never a leading zero byte
    return toHex(bytes);
  }
  const hex = typeof serial === 'string' ? serial.replace(/[\s:]/g, '') : toHex(serial);
  if (!/^[0-9a-fA-F]{1,40}$/.test(hex) || /^0+$/.test(hex)) throw optionsError(`serialNumber must be 1–20 non-zero bytes of hex, got ${JSON.stringify(serial)}`);
  // A set high bit would make the INTEGER negative; RFC 5280 wants positive serials.
  return (hex.length % 2 ? `0${hex}` : hex).replace(/^([89a-fA-F])/, '00$1');
}

function validityFor(role: CertificateRole, validity: Validity | undefined): { notBefore: Date; notAfter: Date } {
  const notBefore = validity?.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = validity?.notAfter ?? new Date(notBefore.getTime() + LIFETIME_DAYS[role] * DAY);
  if (!(notBefore instanceof Date) || !(notAfter instanceof Date) || Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw optionsError('validity.notBefore and validity.notAfter must be valid Dates');
  }
  if (notAfter <= notBefore) throw optionsError('validity.notAfter must be after validity.notBefore');
  // Whole seconds: X.509 times carry no fractions, and a round trip should compare equal.
  return { notBefore: new Date(Math.floor(notBefore.getTime() / 1000) * 1000), notAfter: new Date(Math.floor(notAfter.getTime() / 1000) * 1000) };
}

function buildName(country: string, opts: CommonOptions, defaultCn: string): x509.Name {
  const parts: x509.JsonNameParams = [{ C: [{ printableString: country }] }];
  if (opts.organization) parts.push({ O: [{ utf8String: opts.organization }] });
  if (opts.organizationalUnit) parts.push({ OU: [{ utf8String: opts.organizationalUnit }] });
  parts.push({ CN: [{ utf8String: opts.commonName ?? defaultCn }] });
  return new x509.Name(parts);
}

function privateKeyUsagePeriod(notBefore: Date, days: number, notAfter: Date): x509.Extension {
  const end = new Date(Math.min(notAfter.getTime(), notBefore.getTime() + days * DAY));
  // PrivateKeyUsagePeriod ::= SEQUENCE { notBefore [0] GeneralizedTime, notAfter [1] GeneralizedTime } (implicit)
  const implicit = (n: number, time: Uint8Array) => derContext(n, time.subarray(2), false);
  return new x509.Extension(OID.privateKeyUsagePeriod, false, bufferSource(derSequence(implicit(0, derGeneralizedTime(notBefore)), implicit(1, derGeneralizedTime(end)))));
}

function documentTypeList(types: readonly string[]): x509.Extension {
  for (const t of types) if (!/^[A-Z<]{1,2}$/.test(t)) throw optionsError(`document type ${JSON.stringify(t)} is not a 1–2 letter MRZ document code`);
  // DocumentTypeListSyntax ::= SEQUENCE { version INTEGER (v0), docTypeList SET OF PrintableString }
  return new x509.Extension(OID.documentTypeList, false, bufferSource(derSequence(derInteger(0), derSetOf(types.map((t) => derPrintableString(t))))));
}

function signingSetup(opts: CommonOptions, alg: TestKeyAlgorithm): { scheme: SignatureScheme; hash: HashAlgorithmName } {
  const scheme: SignatureScheme = isEcAlgorithm(alg) ? 'ECDSA' : (opts.rsaSignatureScheme ?? 'RSA-PSS');
  if (!isEcAlgorithm(alg) && scheme !== 'RSA-PKCS1' && scheme !== 'RSA-PSS') throw optionsError(`rsaSignatureScheme must be 'RSA-PKCS1' or 'RSA-PSS'`);
  return { scheme, hash: opts.signatureHash ?? defaultHashFor(alg) };
}

async function finish(
  role: CertificateRole,
  certificate: x509.X509Certificate,
  keys: CryptoKeyPair,
  keyAlgorithm: TestKeyAlgorithm,
  setup: { scheme: SignatureScheme; hash: HashAlgorithmName },
  country: string,
): Promise<TestCertificate> {
  const der = new Uint8Array(certificate.rawData);
  const info = readCertificateInfo(der);
  return {
    role,
    der,
    certificate,
    keys,
    keyAlgorithm,
    signatureScheme: setup.scheme,
    signatureHash: setup.hash,
    subject: info.subject,
    country,
    subjectKeyIdentifier: info.subjectKeyIdentifier!,
  };
}

export async function createTestCsca(options: CreateCscaOptions): Promise<TestCertificate> {
  const country = checkCountry(options?.country);
  const keyAlgorithm = checkKeyAlgorithm(options.keyAlgorithm ?? 'ECDSA-P256');
  const setup = signingSetup(options, keyAlgorithm);
  const { notBefore, notAfter } = validityFor('CSCA', options.validity);
  const keys = await generateKeyPair(keyAlgorithm);
  const signer = await webSigningKey(keys, keyAlgorithm, setup.scheme, setup.hash);
  const name = buildName(country, options, `CSCA ${country} TEST`);
  const ski = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, cryptoProvider);
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialHex(options.serialNumber),
      subject: name,
      issuer: name,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: signer.key,
      signingAlgorithm: signer.algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        ski,
        new x509.AuthorityKeyIdentifierExtension(ski.keyId),
        privateKeyUsagePeriod(notBefore, KEY_USAGE_DAYS.CSCA, notAfter),
      ],
    },
    cryptoProvider,
  );
  return finish('CSCA', certificate, keys, keyAlgorithm, setup, country);
}

function checkIssuer(csca: TestCertificate): void {
  if (!csca || csca.role !== 'CSCA' || !(csca.der instanceof Uint8Array) || !csca.keys?.privateKey) {
    throw optionsError('The issuer must be a CSCA made by createTestCsca (with its keys)');
  }
}

async function issue(
  role: Exclude<CertificateRole, 'CSCA'>,
  csca: TestCertificate,
  options: CommonOptions & { country?: string },
  defaultCn: (country: string) => string,
  roleExtensions: x509.Extension[],
): Promise<TestCertificate> {
  checkIssuer(csca);
  const country = checkCountry(options.country ?? csca.country);
  if (country !== csca.country) throw optionsError(`A ${role}'s country (${country}) must be its CSCA's (${csca.country})`);
  const keyAlgorithm = checkKeyAlgorithm(options.keyAlgorithm ?? 'ECDSA-P256');
  const setup = signingSetup(options, keyAlgorithm);
  const { notBefore, notAfter } = validityFor(role, options.validity);
  const keys = await generateKeyPair(keyAlgorithm);
  const issuerSigner = await webSigningKey(csca.keys, csca.keyAlgorithm, csca.signatureScheme, csca.signatureHash);
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialHex(options.serialNumber),
      subject: buildName(country, options, defaultCn(country)),
      issuer: csca.certificate.subjectName,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: issuerSigner.key,
      signingAlgorithm: issuerSigner.algorithm,
      extensions: [
        new x509.AuthorityKeyIdentifierExtension(toHex(csca.subjectKeyIdentifier).toLowerCase()),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, cryptoProvider),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        privateKeyUsagePeriod(notBefore, KEY_USAGE_DAYS[role], notAfter),
        ...roleExtensions,
      ],
    },
    cryptoProvider,
  );
  return finish(role, certificate, keys, keyAlgorithm, setup, country);
}

export async function createDocumentSigner(csca: TestCertificate, options: CreateDocumentSignerOptions = {}): Promise<TestCertificate> {
  const types = options.documentTypes ?? ['P'];
  return issue('DocumentSigner', csca, options, (country) => `DS ${country} TEST`, types.length ? [documentTypeList(types)] : []);
}

export async function createMasterListSigner(csca: TestCertificate, options: CreateMasterListSignerOptions = {}): Promise<TestCertificate> {
  return issue('MasterListSigner', csca, options, (country) => `Master List Signer ${country} TEST`, [
    new x509.ExtendedKeyUsageExtension([OID.cscaMasterListSigningKey], true),
  ]);
}

/** Key usage bits a CA certificate of the test PKI can carry (RFC 5280 §4.2.1.3). */
export type CaKeyUsage = 'digitalSignature' | 'keyCertSign' | 'cRLSign';

export interface CreateCaCertificateOptions {
  /** Whose key is certified, and under which name unless `subjectName` says otherwise: a CSCA of the test PKI. */
  subject: TestCertificate;
  /** Another name for the subject's key, as RFC 4514 text ('CN=CSCA XX LEGACY'); the certificate is then self-signed under it. */
  subjectName?: string;
  /** The CSCA that signs: default the subject itself (a re-issue); another CSCA makes a link certificate (ICAO Doc 9303 part 12 §5.1.1). */
  issuer?: TestCertificate;
  validity?: Validity;
  serialNumber?: string | Uint8Array;
  /** Default keyCertSign and cRLSign, as a CSCA's. */
  keyUsage?: readonly CaKeyUsage[];
  /** Default true (cA, path length 0); false leaves the extension out, as some legacy CSCAs do. */
  basicConstraints?: boolean;
}

const KEY_USAGE_FLAGS: Record<CaKeyUsage, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
};

/**
 * Another certificate for the key of an existing CSCA: a link certificate (signed by the CSCA it
 * replaces), a re-issue of the same key with other dates, or a CA certificate that breaks a rule
 * on purpose (no keyCertSign, no basic constraints, no C= in the name) for a trust store's tests.
 * The DER of the certificate; the keys stay the subject's.
 */
export async function createCaCertificate(options: CreateCaCertificateOptions): Promise<Uint8Array> {
  checkIssuer(options.subject);
  if (options.issuer) checkIssuer(options.issuer);
  const signer = options.subjectName === undefined ? (options.issuer ?? options.subject) : options.subject;
  const subjectName = options.subjectName === undefined ? options.subject.certificate.subjectName : new x509.Name(options.subjectName);
  const issuerName = options.subjectName === undefined && options.issuer ? options.issuer.certificate.subjectName : subjectName;
  const { notBefore, notAfter } = validityFor('CSCA', options.validity);
  const usage = options.keyUsage ?? ['keyCertSign', 'cRLSign'];
  if (usage.length === 0 || usage.some((u) => KEY_USAGE_FLAGS[u] === undefined)) throw optionsError(`keyUsage must name some of ${Object.keys(KEY_USAGE_FLAGS).join(', ')}`);
  const signingKey = await webSigningKey(signer.keys, signer.keyAlgorithm, signer.signatureScheme, signer.signatureHash);
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialHex(options.serialNumber),
      subject: subjectName,
      issuer: issuerName,
      notBefore,
      notAfter,
      publicKey: options.subject.keys.publicKey,
      signingKey: signingKey.key,
      signingAlgorithm: signingKey.algorithm,
      extensions: [
        ...(options.basicConstraints === false ? [] : [new x509.BasicConstraintsExtension(true, 0, true)]),
        new x509.KeyUsagesExtension(usage.reduce((flags, u) => flags | KEY_USAGE_FLAGS[u], 0), true),
        new x509.SubjectKeyIdentifierExtension(toHex(options.subject.subjectKeyIdentifier).toLowerCase()),
        new x509.AuthorityKeyIdentifierExtension(toHex(signer.subjectKeyIdentifier).toLowerCase()),
      ],
    },
    cryptoProvider,
  );
  return new Uint8Array(certificate.rawData);
}

export interface LoadTestCertificateOptions {
  /** RSA only: how the key signs what it issues; default 'RSA-PSS', as createTestCsca makes them. */
  rsaSignatureScheme?: 'RSA-PKCS1' | 'RSA-PSS';
  signatureHash?: HashAlgorithmName;
}

/**
 * A certificate of the test PKI read back from its DER and its PKCS #8 private key, as a
 * persisted PKI stores them, so a restarted simulator keeps signing under the same CSCA.
 */
export async function loadTestCertificate(role: CertificateRole, der: Uint8Array, privateKeyPkcs8: Uint8Array, options: LoadTestCertificateOptions = {}): Promise<TestCertificate> {
  if (!(der instanceof Uint8Array) || !(privateKeyPkcs8 instanceof Uint8Array)) throw optionsError('loadTestCertificate: the certificate and the key must be bytes');
  const certificate = new x509.X509Certificate(bufferSource(der));
  const info = readCertificateInfo(der);
  const country = /(?:^|, )C=([A-Z]{2})(?:,|$)/.exec(info.subject)?.[1];
  if (!country) throw optionsError(`loadTestCertificate: the subject ${JSON.stringify(info.subject)} names no country`);
  const publicAlgorithm = certificate.publicKey.algorithm as EcKeyAlgorithm | RsaHashedKeyAlgorithm;
  let keyAlgorithm: TestKeyAlgorithm;
  let importAlgorithm: EcKeyImportParams | RsaHashedImportParams;
  if (publicAlgorithm.name === 'ECDSA' || publicAlgorithm.name === 'EC') {
    const curve = (publicAlgorithm as EcKeyAlgorithm).namedCurve;
    keyAlgorithm = checkKeyAlgorithm(`ECDSA-${curve.replace('-', '')}`);
    importAlgorithm = { name: 'ECDSA', namedCurve: curve };
  } else {
    keyAlgorithm = checkKeyAlgorithm(`RSA-${(publicAlgorithm as RsaHashedKeyAlgorithm).modulusLength}`);
    importAlgorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  }
  const keys: CryptoKeyPair = {
    privateKey: await subtle.importKey('pkcs8', bufferSource(privateKeyPkcs8), importAlgorithm, true, ['sign']),
    publicKey: await subtle.importKey('spki', bufferSource(info.subjectPublicKeyInfo), importAlgorithm, true, ['verify']),
  };
  const setup = signingSetup(options, keyAlgorithm);
  const loaded = await finish(role, certificate, keys, keyAlgorithm, setup, country);
  // A key that is not the certificate's would sign SODs no reader accepts: refuse it here.
  const probe = new Uint8Array(32);
  const signature = await subtle.sign(importAlgorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : importAlgorithm, keys.privateKey, probe);
  if (!(await subtle.verify(importAlgorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : importAlgorithm, keys.publicKey, signature, probe))) {
    throw new TesseraError('EMRTD_ISSUER_KEY_MISMATCH', `loadTestCertificate: the private key does not belong to ${info.subject}`, { hint: 'Store each certificate with its own key.' });
  }
  return loaded;
}
