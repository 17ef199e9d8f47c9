/**
 * Object identifiers used by Passive Authentication (ICAO Doc 9303 parts 10–12, RFC 5280,
 * RFC 5652, RFC 4055, RFC 5758, BSI TR-03111), with the short names reports print.
 */

import { OID as SDK_OID } from '@tessera/sdk/emrtd';

/** The SDK's OIDs (CMS, ICAO, keys, X.509 extensions) and the algorithm OIDs signature checks name one by one. */
export const OID = {
  ...SDK_OID,
  // Hashes
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  // RSA
  sha1WithRSA: '1.2.840.113549.1.1.5',
  sha224WithRSA: '1.2.840.113549.1.1.14',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  // ECDSA (RFC 5758)
  ecdsaWithSha1: '1.2.840.10045.4.1',
  ecdsaWithSha224: '1.2.840.10045.4.3.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  // BSI TR-03111 plain ECDSA (r||s instead of a DER SEQUENCE)
  ecdsaPlainSha1: '0.4.0.127.0.7.1.1.4.1.1',
  ecdsaPlainSha224: '0.4.0.127.0.7.1.1.4.1.2',
  ecdsaPlainSha256: '0.4.0.127.0.7.1.1.4.1.3',
  ecdsaPlainSha384: '0.4.0.127.0.7.1.1.4.1.4',
  ecdsaPlainSha512: '0.4.0.127.0.7.1.1.4.1.5',
  // CRL extensions
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  // Name attributes
  countryName: '2.5.4.6',
} as const;

export type HashName = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export const HASH_BY_OID: Readonly<Record<string, HashName>> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha224]: 'SHA-224',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

/** The digest name node:crypto expects for a hash. */
export const NODE_HASH: Readonly<Record<HashName, string>> = {
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** Short names of distinguished-name attributes, as RFC 4514 and OpenSSL print them (the SDK's table). */
export { NAME_ATTRIBUTES } from '@tessera/sdk/emrtd';
