/**
 * The simulator's test PKI: a CSCA of Utopia ('UT'), a Document Signer under it, a Master List
 * Signer, a foreign CSCA ('ZZ') that the master list also carries, the signed master list and an
 * empty CRL. Generated once per plugin data folder and persisted in <dataDir>/test-pki/ so a
 * workstation's trust store keeps trusting the same CSCA across restarts; in memory when there is
 * no folder. Everything here is test material, never for real documents.
 *
 * Local (hand-built X.509 and CMS over Node crypto) until the SDK's issuer module (createTestCsca, createDocumentSigner,
 * signSod, buildMasterList, createCrl) is exported from @tessera/sdk/emrtd.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TesseraError } from '@tessera/sdk';
import { decodeTlvObject, encodeTlv } from '@tessera/sdk/emrtd';
import { algorithm, bitString, ctx, integer, octets, oid, printable, seq, set, setOf, utf8 } from './der.js';
import { OIDS, encodeLdsSecurityObject } from './lds-files.js';

const YEAR_MS = 365.25 * 86_400_000;
export const PKI_DIR_NAME = 'test-pki';
export const MASTER_LIST_FILE = 'UTO-masterlist.ml';
export const CRL_FILE = 'UTO-crl.crl';

export interface PkiCredential {
  /** DER of the certificate. */
  der: Uint8Array;
  privateKey: KeyObject;
  /** DER of the subject and issuer Names, and the serial number's content bytes. */
  subject: Uint8Array;
  issuer: Uint8Array;
  serial: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

export interface TestPki {
  csca: PkiCredential;
  dsc: PkiCredential;
  masterListSigner: PkiCredential;
  foreignCsca: PkiCredential;
  masterList: Uint8Array;
  crl: Uint8Array;
  /** True when this PKI was read back from disk rather than generated now. */
  loaded: boolean;
}

function newKey(): { privateKey: KeyObject; spki: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })) };
}

function spkiOf(privateKey: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
}

/** SHA-1 of the subjectPublicKey bits (RFC 5280 method 1). */
function keyIdentifier(spki: Uint8Array): Uint8Array {
  const bits = decodeTlvObject(spki).children![1].value.subarray(1);
  return new Uint8Array(createHash('sha1').update(bits).digest());
}

function name(country: string, organisation: string, common: string): Uint8Array {
  const rdn = (type: string, value: Uint8Array) => set(seq(oid(type), value));
  return seq(rdn('2.5.4.6', printable(country)), rdn('2.5.4.10', utf8(organisation)), rdn('2.5.4.3', utf8(common)));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
function time(date: Date): Uint8Array {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const year = date.getUTCFullYear();
  return year < 2050 && year >= 1950 ? encodeTlv(0x17, new TextEncoder().encode(`${iso.slice(2)}Z`)) : encodeTlv(0x18, new TextEncoder().encode(`${iso}Z`));
}

const ecdsaSha256 = () => algorithm(OIDS.ecdsaWithSha256);
const signDer = (key: KeyObject, data: Uint8Array) => new Uint8Array(sign('sha256', data, key));

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(id), encodeTlv(0x01, Uint8Array.of(0xff)), octets(value)) : seq(oid(id), octets(value));
}

interface CertificateRequest {
  subject: Uint8Array;
  issuer: Uint8Array;
  issuerSpki: Uint8Array;
  issuerKey: KeyObject;
  spki: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  extendedKeyUsage?: string;
}

function certificate(req: CertificateRequest): { der: Uint8Array; serial: Uint8Array } {
  const serialBytes = randomBytes(8);
  serialBytes[0] = (serialBytes[0] & 0x7f) | 0x01;
  const serial = new Uint8Array(serialBytes);
  const exts = [
    extension('2.5.29.15', true, req.ca ? bitString(Uint8Array.of(0x06), 1) : bitString(Uint8Array.of(0x80), 7)),
    extension('2.5.29.14', false, octets(keyIdentifier(req.spki))),
  ];
  if (req.ca) exts.push(extension('2.5.29.19', true, seq(encodeTlv(0x01, Uint8Array.of(0xff)), integer(0))));
  else exts.push(extension('2.5.29.35', false, seq(encodeTlv(0x80, keyIdentifier(req.issuerSpki)))));
  if (req.extendedKeyUsage) exts.push(extension('2.5.29.37', true, seq(oid(req.extendedKeyUsage))));
  const tbs = seq(ctx(0, integer(2)), integer(serial), ecdsaSha256(), req.issuer, seq(time(req.notBefore), time(req.notAfter)), req.subject, req.spki, ctx(3, seq(...exts)));
  return { der: seq(tbs, ecdsaSha256(), bitString(signDer(req.issuerKey, tbs))), serial };
}

/** A self-signed CSCA certificate for `country` (alpha-2). */
export function createCsca(country: string, organisation: string, notBefore: Date, years: number): PkiCredential {
  const key = newKey();
  const subject = name(country, organisation, `${organisation} CSCA`);
  const notAfter = new Date(notBefore.getTime() + years * YEAR_MS);
  const cert = certificate({ subject, issuer: subject, issuerSpki: key.spki, issuerKey: key.privateKey, spki: key.spki, notBefore, notAfter, ca: true });
  return { der: cert.der, privateKey: key.privateKey, subject, issuer: subject, serial: cert.serial, notBefore, notAfter };
}

/** An end-entity certificate (Document Signer or Master List Signer) under `issuer`. */
export function issueSigner(issuer: PkiCredential, role: 'Document Signer' | 'Master List Signer', validity: { notBefore: Date; notAfter: Date }, country = 'UT'): PkiCredential {
  const key = newKey();
  const subject = name(country, 'Tessera test PKI', `${role} ${validity.notBefore.toISOString().slice(0, 10)}`);
  const cert = certificate({
    subject,
    issuer: issuer.subject,
    issuerSpki: spkiOf(issuer.privateKey),
    issuerKey: issuer.privateKey,
    spki: key.spki,
    ...validity,
    ca: false,
    // id-icao-mrtd-security-cscaMasterListSigningKey
    ...(role === 'Master List Signer' ? { extendedKeyUsage: '2.23.136.1.1.3' } : {}),
  });
  return { der: cert.der, privateKey: key.privateKey, subject, issuer: issuer.subject, serial: cert.serial, ...validity };
}

/** CMS SignedData (ContentInfo) over `content`, ECDSA-SHA256, signer identified by issuer and serial. */
export function signContent(eContentType: string, content: Uint8Array, signer: PkiCredential): Uint8Array {
  const digest = new Uint8Array(createHash('sha256').update(content).digest());
  const attributes = [
    seq(oid('1.2.840.113549.1.9.3'), set(oid(eContentType))),
    seq(oid('1.2.840.113549.1.9.4'), set(octets(digest))),
  ];
  const signedAttrsForSigning = setOf(attributes);
  const signature = signDer(signer.privateKey, signedAttrsForSigning);
  const signerInfo = seq(
    integer(1),
    seq(signer.issuer, integer(signer.serial)),
    algorithm(OIDS.sha256),
    // [0] IMPLICIT: the same SET content under tag A0.
    encodeTlv(0xa0, signedAttrsForSigning.subarray(signedAttrsForSigning[1] & 0x80 ? 2 + (signedAttrsForSigning[1] & 0x7f) : 2)),
    algorithm(OIDS.ecdsaWithSha256),
    octets(signature),
  );
  const signedData = seq(
    integer(3),
    set(algorithm(OIDS.sha256)),
    seq(oid(eContentType), ctx(0, octets(content))),
    encodeTlv(0xa0, signer.der),
    set(signerInfo),
  );
  return seq(oid('1.2.840.113549.1.7.2'), ctx(0, signedData));
}

/** EF.SOD: the '77' template around a SignedData over the LDS security object of `hashes`. */
export function signSod(hashes: ReadonlyMap<number, Uint8Array>, signer: PkiCredential): Uint8Array {
  return encodeTlv(0x77, signContent(OIDS.ldsSecurityObject, encodeLdsSecurityObject(hashes), signer));
}

export function buildMasterList(cscas: readonly PkiCredential[], signer: PkiCredential): Uint8Array {
  return signContent(OIDS.cscaMasterList, seq(integer(0), setOf(cscas.map((c) => c.der))), signer);
}

function createCrl(csca: PkiCredential, now: Date): Uint8Array {
  const tbs = seq(integer(1), ecdsaSha256(), csca.subject, time(now), time(new Date(now.getTime() + 90 * 86_400_000)));
  return seq(tbs, ecdsaSha256(), bitString(signDer(csca.privateKey, tbs)));
}

/** Generates a fresh PKI valid around `now`. */
export async function generateTestPki(now: Date): Promise<TestPki> {
  const start = new Date(now.getTime() - 15 * YEAR_MS);
  const csca = createCsca('UT', 'Republic of Utopia', start, 30);
  const dsc = issueSigner(csca, 'Document Signer', { notBefore: start, notAfter: new Date(now.getTime() + 12 * YEAR_MS) });
  const masterListSigner = issueSigner(csca, 'Master List Signer', { notBefore: start, notAfter: new Date(now.getTime() + 12 * YEAR_MS) });
  const foreignCsca = createCsca('ZZ', 'Zanzibaria', start, 30);
  const masterList = buildMasterList([csca, foreignCsca], masterListSigner);
  const crl = createCrl(csca, now);
  return { csca, dsc, masterListSigner, foreignCsca, masterList, crl, loaded: false };
}

const CREDENTIALS = ['csca', 'dsc', 'masterListSigner', 'foreignCsca'] as const;
const FILE_STEM: Record<(typeof CREDENTIALS)[number], string> = { csca: 'UTO-csca', dsc: 'UTO-dsc', masterListSigner: 'UTO-mls', foreignCsca: 'ZZ-csca' };

/** Reads back what certificate() wrote: serial, issuer, validity and subject from the TBSCertificate. */
export function credentialFromDer(der: Uint8Array, privateKey: KeyObject): PkiCredential {
  const tbs = decodeTlvObject(der).children![0].children!;
  const [serialNode, , issuerNode, validityNode, subjectNode] = tbs.slice(1);
  const readTime = (raw: Uint8Array) => {
    const text = new TextDecoder().decode(raw);
    const full = text.length === 13 ? `${Number(text.slice(0, 2)) < 50 ? '20' : '19'}${text}` : text;
    return new Date(`${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`);
  };
  return {
    der,
    privateKey,
    serial: serialNode.value.slice(),
    issuer: issuerNode.raw.slice(),
    subject: subjectNode.raw.slice(),
    notBefore: readTime(validityNode.children![0].value),
    notAfter: readTime(validityNode.children![1].value),
  };
}

async function loadPki(dir: string): Promise<TestPki | null> {
  try {
    const read = (file: string) => readFile(join(dir, file)).then((b) => new Uint8Array(b));
    const creds = {} as Record<(typeof CREDENTIALS)[number], PkiCredential>;
    for (const c of CREDENTIALS) {
      const key = createPrivateKey({ key: Buffer.from(await read(`${FILE_STEM[c]}.key`)), format: 'der', type: 'pkcs8' });
      creds[c] = credentialFromDer(await read(`${FILE_STEM[c]}.cer`), key);
    }
    return { ...creds, masterList: await read(MASTER_LIST_FILE), crl: await read(CRL_FILE), loaded: true };
  } catch {
    return null; // missing or damaged: generate afresh
  }
}

async function savePki(dir: string, pki: TestPki): Promise<void> {
  await mkdir(dir, { recursive: true });
  const put = async (file: string, data: Uint8Array) => {
    const temp = join(dir, `${file}.${process.pid}.tmp`);
    await writeFile(temp, data, { mode: file.endsWith('.key') ? 0o600 : 0o644 });
    await rename(temp, join(dir, file));
  };
  for (const c of CREDENTIALS) {
    await put(`${FILE_STEM[c]}.key`, new Uint8Array(pki[c].privateKey.export({ type: 'pkcs8', format: 'der' })));
    await put(`${FILE_STEM[c]}.cer`, pki[c].der);
  }
  await put(CRL_FILE, pki.crl);
  // The master list last: its presence marks a complete set.
  await put(MASTER_LIST_FILE, pki.masterList);
}

/**
 * The PKI of `dir` (read back, or generated and written there), or a fresh in-memory one when
 * `dir` is null. A PKI that cannot be written is still served from memory.
 */
export async function loadOrCreateTestPki(dir: string | null, now: Date = new Date()): Promise<TestPki> {
  if (dir) {
    const existing = await loadPki(dir);
    if (existing) return existing;
  }
  const pki = await generateTestPki(now);
  if (dir) {
    try {
      await savePki(dir, pki);
    } catch {
      // Read-only or full disk: the chips still work, only the trust store cannot pick the CSCA up.
    }
  }
  return pki;
}

export function pkiError(message: string, cause: unknown): TesseraError {
  return new TesseraError('TSR_SIMULATOR_PKI_FAILED', message, { hint: 'Delete the test-pki folder in the plugin data folder to regenerate it.', cause });
}
