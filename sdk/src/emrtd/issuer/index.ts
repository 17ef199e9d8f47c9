/**
 * The test PKI the project generates: a CSCA, Document Signers and a Master List Signer, signed
 * EF.SODs, CSCA master lists and CRLs. For the reader simulator's virtual chip and for tests; the
 * keys live in memory only and nothing here is meant for real documents.
 */

export {
  createTestCsca,
  createDocumentSigner,
  createMasterListSigner,
  createCaCertificate,
  loadTestCertificate,
  type CreateCaCertificateOptions,
  type CaKeyUsage,
  type LoadTestCertificateOptions,
  type TestCertificate,
  type CertificateRole,
  type Validity,
  type CreateCscaOptions,
  type CreateDocumentSignerOptions,
  type CreateMasterListSignerOptions,
} from './certificates.js';
export { signSod, type SignSodOptions } from './sod-signer.js';
export { buildMasterList, type BuildMasterListOptions, type CertificateInput } from './master-list-builder.js';
export { createCrl, type RevokedEntry, type CreateCrlOptions, type CrlReason } from './crl.js';
export { buildSignedData, signatureAlgorithmIdentifier, type CmsSignerInput, type SignerIdentifierChoice } from './cms-signer.js';
export { TEST_KEY_ALGORITHMS, type TestKeyAlgorithm, type SignatureScheme } from './keys.js';
export { ISSUER_ERROR_CODES } from './issuer-errors.js';
