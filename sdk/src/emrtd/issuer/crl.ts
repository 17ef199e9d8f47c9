/**
 * CSCA certificate revocation lists for the test PKI, with the ICAO Doc 9303 part 12 §7.1.4 CRL
 * profile essentials: version 2, issuer exactly the CSCA's subject, thisUpdate and nextUpdate,
 * authority key identifier and CRL number extensions, revoked serials with revocation dates.
 *
 * Encoded with the LDS DER writer rather than @peculiar/x509: its CRL generator (2.2.0) writes an
 * empty crlEntryExtensions SEQUENCE for every entry, which RFC 5280 forbids (SIZE 1..MAX) and
 * which pkijs refuses to read.
 */

import type { KeyObject } from 'node:crypto';
import { TesseraError } from '../../errors.js';
import { encodeTlv } from '../codec/ber-tlv.js';
import { fromHex } from '../codec/bytes.js';
import { OID } from '../lds/algorithms.js';
import { readCertificateInfo } from '../lds/certificate.js';
import { derBitString, derContext, derInteger, derOctetString, derOid, derSequence, derUtcTime } from '../lds/der-writer.js';
import type { TestCertificate } from './certificates.js';
import { signatureAlgorithmIdentifier } from './cms-signer.js';
import { optionsError, signForCms, verifyForCms } from './keys.js';

/** RFC 5280 CRLReason codes (7 is unused). */
export type CrlReason = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 8 | 9 | 10;

export interface RevokedEntry {
  /** Serial number: hex string, the INTEGER's bytes (e.g. CertificateInfo.serialNumber), or a positive integer. */
  serial: string | Uint8Array | bigint | number;
  date: Date;
  /** Left out by default: RFC 5280 asks not to write 'unspecified'. */
  reason?: CrlReason;
}

export interface CreateCrlOptions {
  /** Default: now. */
  thisUpdate?: Date;
  /** Default: thisUpdate + 90 days (ICAO asks for a CRL at least every 90 days). */
  nextUpdate?: Date;
  /** Default 1. */
  crlNumber?: number | bigint;
}

const CRL_NUMBER = '2.5.29.20';
const REASON_CODE = '2.5.29.21';
const DAY = 86_400_000;

function serialBytes(serial: RevokedEntry['serial'], index: number): Uint8Array {
  if (serial instanceof Uint8Array && serial.length > 0) return serial;
  if (typeof serial === 'string' && /^[0-9a-fA-F]+$/.test(serial.replace(/[\s:]/g, ''))) {
    const hex = serial.replace(/[\s:]/g, '');
    return fromHex(hex.length % 2 ? `0${hex}` : hex);
  }
  if ((typeof serial === 'number' && Number.isSafeInteger(serial) && serial > 0) || (typeof serial === 'bigint' && serial > 0n)) {
    const hex = serial.toString(16);
    return fromHex(hex.length % 2 ? `0${hex}` : hex);
  }
  throw optionsError(`createCrl: revoked[${index}].serial is not a positive serial number`);
}

function extension(oid: string, value: Uint8Array): Uint8Array {
  return derSequence(derOid(oid), derOctetString(value));
}

/** A DER CRL signed by the CSCA (with `cscaKey`, default the CSCA's own private key). */
export async function createCrl(
  csca: TestCertificate,
  cscaKey?: CryptoKey | KeyObject,
  revoked: readonly RevokedEntry[] = [],
  options: CreateCrlOptions = {},
): Promise<Uint8Array> {
  if (!csca || csca.role !== 'CSCA') throw optionsError('createCrl: the issuer must be a CSCA made by createTestCsca');
  const thisUpdate = options.thisUpdate ?? new Date();
  const nextUpdate = options.nextUpdate ?? new Date(thisUpdate.getTime() + 90 * DAY);
  if (!(thisUpdate instanceof Date) || !(nextUpdate instanceof Date) || !(nextUpdate > thisUpdate)) throw optionsError('createCrl: nextUpdate must be a Date after thisUpdate');
  const entries = revoked.map((entry, i) => {
    if (!(entry?.date instanceof Date) || Number.isNaN(entry.date.getTime())) throw optionsError(`createCrl: revoked[${i}].date must be a Date`);
    const parts = [derInteger(serialBytes(entry.serial, i)), derUtcTime(entry.date)];
    if (entry.reason !== undefined) {
      if (![0, 1, 2, 3, 4, 5, 6, 8, 9, 10].includes(entry.reason)) throw optionsError(`createCrl: revoked[${i}].reason ${entry.reason} is not a CRLReason`);
      parts.push(derSequence(extension(REASON_CODE, encodeTlv(0x0a, Uint8Array.of(entry.reason)))));
    }
    return derSequence(...parts);
  });

  const cert = readCertificateInfo(csca.der);
  const algorithm = signatureAlgorithmIdentifier(csca.signatureScheme, csca.signatureHash);
  const tbs = derSequence(
    derInteger(1), // v2
    algorithm,
    cert.subjectDer,
    derUtcTime(thisUpdate),
    derUtcTime(nextUpdate),
    ...(entries.length ? [derSequence(...entries)] : []), // an empty list is left out, not written empty
    derContext(
      0,
      derSequence(
        extension(OID.authorityKeyIdentifier, derSequence(encodeTlv(0x80, csca.subjectKeyIdentifier))),
        extension(CRL_NUMBER, derInteger(BigInt(options.crlNumber ?? 1))),
      ),
    ),
  );
  const key = cscaKey ?? csca.keys.privateKey;
  const signature = signForCms(key, csca.signatureScheme, csca.signatureHash, tbs);
  let valid = false;
  try {
    valid = verifyForCms(cert.subjectPublicKeyInfo, csca.signatureScheme, csca.signatureHash, tbs, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new TesseraError('EMRTD_ISSUER_KEY_MISMATCH', "The key given does not belong to the CSCA's certificate", { hint: 'Pass the CSCA private key (csca.keys.privateKey).' });
  return derSequence(tbs, algorithm, derBitString(signature));
}
