/**
 * Signing an EF.SOD for the virtual chip: hash the data groups, encode the LDS security object,
 * sign it as CMS SignedData with the Document Signer and wrap it in the '77' template — what a
 * personalisation system does, so the reader side can run Passive Authentication end to end.
 */

import type { KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';
import { OID, hashByName, type HashAlgorithmName } from '../lds/algorithms.js';
import { dataGroupTag } from '../lds/file-ids.js';
import { encodeLdsSecurityObject, wrapSod, type LdsVersionInfo } from '../lds/sod.js';
import type { TestCertificate } from './certificates.js';
import { buildSignedData, type SignerIdentifierChoice } from './cms-signer.js';
import { optionsError, toKeyObject, unsupportedAlgorithm, type SignatureScheme } from './keys.js';

export interface SignSodOptions {
  /** The Document Signer: from createDocumentSigner, or a certificate DER (then dscKey is required). */
  dsc: TestCertificate | Uint8Array;
  /** Default: the DSC's own private key. */
  dscKey?: CryptoKey | KeyObject;
  /** Data-group hash algorithm, also the CMS digest algorithm. Default 'SHA-256'. */
  hashAlgorithm?: HashAlgorithmName;
  /** Data-group number → the file's bytes exactly as the chip will return them. */
  dataGroups?: ReadonlyMap<number, Uint8Array>;
  /**
   * Precomputed hashes instead of (or on top of) dataGroups: lets tests sign an SOD whose hashes
   * deliberately do not match the files.
   */
  dataGroupHashes?: ReadonlyMap<number, Uint8Array>;
  /** Default: ECDSA for EC keys; for RSA the DSC's scheme (RSA-PSS unless it was made otherwise). */
  signatureAlgorithm?: SignatureScheme;
  /** Hash inside the signature; default hashAlgorithm. */
  signatureHash?: HashAlgorithmName;
  /** LDS 1.8 version info; makes the security object version 1. */
  ldsVersionInfo?: LdsVersionInfo;
  /** Default 'issuerAndSerialNumber', what most issuers use. */
  signerIdentifier?: SignerIdentifierChoice;
  signingTime?: Date;
  /** More certificates for the CMS certificates field (the DSC is always included). */
  extraCertificates?: readonly Uint8Array[];
}

function isTestCertificate(value: unknown): value is TestCertificate {
  return typeof value === 'object' && value !== null && 'der' in value && 'keys' in value;
}

export function defaultScheme(key: CryptoKey | KeyObject, fallbackRsa: SignatureScheme | undefined): SignatureScheme {
  const type = toKeyObject(key).asymmetricKeyType;
  if (type === 'ec') return 'ECDSA';
  if (type === 'rsa' || type === 'rsa-pss') return fallbackRsa === 'RSA-PKCS1' ? 'RSA-PKCS1' : 'RSA-PSS';
  throw unsupportedAlgorithm(`Cannot sign with a ${String(type)} key`);
}

/** EF.SOD bytes ('77' … CMS SignedData over the LDS security object). */
export async function signSod(options: SignSodOptions): Promise<Uint8Array> {
  const dsc = options?.dsc;
  const certificate = isTestCertificate(dsc) ? dsc.der : dsc;
  if (!(certificate instanceof Uint8Array)) throw optionsError('signSod: dsc must be a TestCertificate or a certificate DER');
  const key = options.dscKey ?? (isTestCertificate(dsc) ? dsc.keys.privateKey : undefined);
  if (!key) throw optionsError('signSod: dscKey is required when dsc is given as DER');
  const hashAlgorithm = options.hashAlgorithm ?? 'SHA-256';
  const hash = hashByName(hashAlgorithm);
  if (!hash) throw unsupportedAlgorithm(`signSod: unknown hash algorithm ${JSON.stringify(hashAlgorithm)}`);

  const hashes = new Map<number, Uint8Array>();
  for (const [dg, bytes] of options.dataGroups ?? []) {
    const tag = dataGroupTag(dg);
    if (tag === undefined) throw optionsError(`signSod: ${dg} is not a data-group number (1–16)`);
    if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw optionsError(`signSod: DG${dg} must be non-empty bytes`);
    // A DG filed under the wrong number would sign, then fail every inspection; catch it at the source.
    if (bytes[0] !== tag) throw optionsError(`signSod: the bytes given as DG${dg} start with tag ${bytes[0].toString(16)}, DG${dg} starts with ${tag.toString(16)}`);
    hashes.set(dg, createHash(hash.nodeName).update(bytes).digest());
  }
  for (const [dg, digest] of options.dataGroupHashes ?? []) hashes.set(dg, digest);
  if (hashes.size === 0) throw optionsError('signSod: give dataGroups (or dataGroupHashes) to sign');

  const eContent = encodeLdsSecurityObject({ hashAlgorithm, dataGroupHashes: hashes, ...(options.ldsVersionInfo ? { ldsVersionInfo: options.ldsVersionInfo } : {}) });
  const contentInfo = buildSignedData({
    eContentType: OID.ldsSecurityObject,
    eContent,
    signerCertificate: certificate,
    signerKey: key,
    digestAlgorithm: hashAlgorithm,
    signatureScheme: options.signatureAlgorithm ?? defaultScheme(key, isTestCertificate(dsc) ? dsc.signatureScheme : undefined),
    signatureHash: options.signatureHash ?? hashAlgorithm,
    ...(options.signerIdentifier ? { signerIdentifier: options.signerIdentifier } : {}),
    ...(options.extraCertificates ? { extraCertificates: options.extraCertificates } : {}),
    ...(options.signingTime ? { signingTime: options.signingTime } : {}),
  });
  return wrapSod(contentInfo);
}
