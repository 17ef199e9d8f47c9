/**
 * The CSCA trust store and the PKI pieces Passive Authentication is built on: certificates,
 * CRLs, CMS SignedData verification and certification paths to a CSCA.
 */

export { TrustStore, certificateSignedBy, type TrustEntry, type TrustEntryKind, type LoadReport, type SkippedCertificate, type CrlReport, type RevocationStatus } from './trust-store.js';
export { Certificate, DistinguishedName, parseCertificate, decodeCertificateInput, type CertificateSummary, type KeyUsageName, type AuthorityKeyIdentifier } from './certificate.js';
export { parseCrl, type Crl, type RevokedEntry } from './crl.js';
export { parseSignedData, verifySignerInfo, findSignerCertificate, type SignedData, type SignerInfo, type SignerIdentifier, type SignerVerification } from './cms.js';
export { validateDocumentSignerPath, type PathValidation, type PathProblem } from './certificate-path.js';
export { identifySignatureAlgorithm, loadPublicKey, verifySignature, type SignatureAlgorithm, type PublicKeyHandle, type VerifyOutcome } from './signature.js';
export type { HashName } from './oids.js';
