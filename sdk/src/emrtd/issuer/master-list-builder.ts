/**
 * CSCA master lists like the ICAO PKD and states publish them (ICAO Doc 9303 part 12 §9): CMS
 * SignedData over CscaMasterList { version 0, certList SET OF Certificate }, content type
 * 2.23.136.1.1.2, signed by a Master List Signer whose certificate travels in the CMS. Used to
 * give the trust store a realistic, fully controlled input.
 */

import type { X509Certificate } from '@peculiar/x509';
import type { KeyObject } from 'node:crypto';
import { OID, type HashAlgorithmName } from '../lds/algorithms.js';
import { derInteger, derSequence, derSetOf } from '../lds/der-writer.js';
import type { TestCertificate } from './certificates.js';
import { buildSignedData, type SignerIdentifierChoice } from './cms-signer.js';
import { optionsError, type SignatureScheme } from './keys.js';
import { defaultScheme } from './sod-signer.js';

export type CertificateInput = Uint8Array | X509Certificate | TestCertificate;

export interface BuildMasterListOptions {
  /** The Master List Signer (createMasterListSigner), or its certificate DER with signerKey. */
  signerCert: TestCertificate | Uint8Array;
  /** Default: the signer's own private key. */
  signerKey?: CryptoKey | KeyObject;
  cscas: readonly CertificateInput[];
  /** Default 'SHA-256'. */
  hashAlgorithm?: HashAlgorithmName;
  signatureAlgorithm?: SignatureScheme;
  /** Default 'subjectKeyIdentifier', as e.g. the Netherlands' published lists use. */
  signerIdentifier?: SignerIdentifierChoice;
  /** Certificates to add to the CMS certificates field, typically the CSCA that issued the signer. */
  extraCertificates?: readonly CertificateInput[];
  signingTime?: Date;
}

function certificateDer(input: CertificateInput, what: string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input && typeof input === 'object' && 'der' in input && input.der instanceof Uint8Array) return input.der;
  if (input && typeof input === 'object' && 'rawData' in input) return new Uint8Array((input as X509Certificate).rawData);
  throw optionsError(`buildMasterList: ${what} is not a certificate (DER, X509Certificate or TestCertificate)`);
}

/** The master list file: a DER ContentInfo, without any wrapper. */
export async function buildMasterList(options: BuildMasterListOptions): Promise<Uint8Array> {
  const signer = options?.signerCert;
  const signerDer = certificateDer(signer as CertificateInput, 'signerCert');
  const key = options.signerKey ?? (signer && !(signer instanceof Uint8Array) ? signer.keys.privateKey : undefined);
  if (!key) throw optionsError('buildMasterList: signerKey is required when signerCert is given as DER');
  if (!Array.isArray(options.cscas)) throw optionsError('buildMasterList: cscas must be an array of certificates');
  const certList = options.cscas.map((c, i) => certificateDer(c, `cscas[${i}]`));
  // SET OF in DER order: the same certificates always give the same list, whatever order they came in.
  const eContent = derSequence(derInteger(0), derSetOf(certList));
  return buildSignedData({
    eContentType: OID.cscaMasterList,
    eContent,
    signerCertificate: signerDer,
    signerKey: key,
    digestAlgorithm: options.hashAlgorithm ?? 'SHA-256',
    signatureScheme: options.signatureAlgorithm ?? defaultScheme(key, signer instanceof Uint8Array ? undefined : signer.signatureScheme),
    signerIdentifier: options.signerIdentifier ?? 'subjectKeyIdentifier',
    ...(options.extraCertificates ? { extraCertificates: options.extraCertificates.map((c, i) => certificateDer(c, `extraCertificates[${i}]`)) } : {}),
    ...(options.signingTime ? { signingTime: options.signingTime } : {}),
  });
}
