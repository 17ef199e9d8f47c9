/**
 * The simulator's test PKI: a CSCA of Utopia ('UT'), a Document Signer under it, a Master List
 * Signer, a foreign CSCA ('ZZ') that the master list also carries, the signed master list and an
 * empty CRL — issued with the SDK's test PKI (@tessera/sdk/emrtd/issuer). What this module adds is
 * persistence: generated once per plugin data folder and kept in <dataDir>/test-pki/ so a
 * workstation's trust store (the default host configuration loads the master list and CRL from
 * there) keeps trusting the same CSCA across restarts; in memory when there is no folder.
 * Everything here is test material, never for real documents.
 */
import { KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TesseraError } from '@tessera/sdk';
import {
  buildMasterList,
  createCrl,
  createDocumentSigner,
  createMasterListSigner,
  createTestCsca,
  loadTestCertificate,
  type CertificateRole,
  type TestCertificate,
} from '@tessera/sdk/emrtd/issuer';

const YEAR_MS = 365.25 * 86_400_000;
export const PKI_DIR_NAME = 'test-pki';
export const MASTER_LIST_FILE = 'UTO-masterlist.ml';
export const CRL_FILE = 'UTO-crl.crl';
/** MRZ document codes the Document Signer may sign: passports, ID cards and visas of the specimen catalogue. */
const DOCUMENT_TYPES = ['P', 'I', 'A', 'C', 'V'];

export interface TestPki {
  csca: TestCertificate;
  dsc: TestCertificate;
  masterListSigner: TestCertificate;
  foreignCsca: TestCertificate;
  masterList: Uint8Array;
  crl: Uint8Array;
  /** True when this PKI was read back from disk rather than generated now. */
  loaded: boolean;
}

/** A CSCA for `country` (alpha-2), valid `years` from `notBefore`. */
export function createCsca(country: string, organization: string, notBefore: Date, years: number): Promise<TestCertificate> {
  return createTestCsca({ country, organization, commonName: `${organization} CSCA`, validity: { notBefore, notAfter: new Date(notBefore.getTime() + years * YEAR_MS) } });
}

/** A Document Signer under `csca` (the CSCA's country). */
export function createSigner(csca: TestCertificate, validity: { notBefore: Date; notAfter: Date }): Promise<TestCertificate> {
  return createDocumentSigner(csca, { organization: 'Tessera test PKI', documentTypes: DOCUMENT_TYPES, validity });
}

/** Generates a fresh PKI valid around `now`. */
export async function generateTestPki(now: Date): Promise<TestPki> {
  const start = new Date(now.getTime() - 15 * YEAR_MS);
  const until = new Date(now.getTime() + 12 * YEAR_MS);
  const csca = await createCsca('UT', 'Republic of Utopia', start, 30);
  const dsc = await createSigner(csca, { notBefore: start, notAfter: until });
  const masterListSigner = await createMasterListSigner(csca, { organization: 'Tessera test PKI', validity: { notBefore: start, notAfter: until } });
  const foreignCsca = await createCsca('ZZ', 'Zanzibaria', start, 30);
  const masterList = await buildMasterList({ signerCert: masterListSigner, cscas: [csca, foreignCsca] });
  const crl = await createCrl(csca, undefined, [], { thisUpdate: now });
  return { csca, dsc, masterListSigner, foreignCsca, masterList, crl, loaded: false };
}

const CREDENTIALS = ['csca', 'dsc', 'masterListSigner', 'foreignCsca'] as const;
type CredentialName = (typeof CREDENTIALS)[number];
const FILE_STEM: Record<CredentialName, string> = { csca: 'UTO-csca', dsc: 'UTO-dsc', masterListSigner: 'UTO-mls', foreignCsca: 'ZZ-csca' };
const ROLE: Record<CredentialName, CertificateRole> = { csca: 'CSCA', dsc: 'DocumentSigner', masterListSigner: 'MasterListSigner', foreignCsca: 'CSCA' };

async function loadPki(dir: string): Promise<TestPki | null> {
  try {
    const read = (file: string) => readFile(join(dir, file)).then((b) => new Uint8Array(b));
    const creds = {} as Record<CredentialName, TestCertificate>;
    for (const c of CREDENTIALS) creds[c] = await loadTestCertificate(ROLE[c], await read(`${FILE_STEM[c]}.cer`), await read(`${FILE_STEM[c]}.key`));
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
    await put(`${FILE_STEM[c]}.key`, new Uint8Array(KeyObject.from(pki[c].keys.privateKey).export({ type: 'pkcs8', format: 'der' })));
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
