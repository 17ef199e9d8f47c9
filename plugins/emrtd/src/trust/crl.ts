/**
 * X.509 v2 CRLs (RFC 5280 §5) as CSCAs publish them: who issued it, when it was produced and
 * when the next one is due, which document-signer (or link) certificates it revokes. Parsing
 * only; the trust store decides whether a CRL is authentic (signed by its CSCA).
 */

import { TesseraError } from '@tessera/sdk';
import { ASN1, type DerContext, DerNode, parseDer, toHex } from '@tessera/sdk/emrtd';
import { parseName, type DistinguishedName } from './certificate.js';
import { OID } from './oids.js';

/** What DER reading errors here say: PA_ASN1_MALFORMED, naming the structure. */
const DER: DerContext = { file: 'CRL', code: 'PA_ASN1_MALFORMED', hint: 'Expected a DER X.509 v2 certificate revocation list.' };

export interface RevokedEntry {
  /** Serial number, upper-case hex. */
  serial: string;
  date: Date;
  /** RFC 5280 CRLReason name, when the entry carries one. */
  reason?: string;
}

export interface Crl {
  der: Uint8Array;
  tbs: Uint8Array;
  issuer: DistinguishedName;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  /** Authority key identifier: the SKI of the CSCA key that signed it. */
  authorityKeyId: Uint8Array | undefined;
  crlNumber: string | undefined;
  revoked: Map<string, RevokedEntry>;
  signatureAlgorithm: DerNode;
  signatureValue: Uint8Array;
}

const REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', '7', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];

/** Parses a DER (or PEM "X509 CRL") CRL; throws PA_CRL_MALFORMED. */
export function parseCrl(input: Uint8Array | string): Crl {
  try {
    const der = decodeCrlInput(input);
    const root = parseDer(der, DER).expect(ASN1.SEQUENCE, 'CertificateList');
    const tbs = root.child(0, 'tbsCertList').expect(ASN1.SEQUENCE, 'TBSCertList');
    const signatureAlgorithm = root.child(1, 'signatureAlgorithm').expect(ASN1.SEQUENCE, 'AlgorithmIdentifier');
    const signatureValue = root.child(2, 'signatureValue').expect(ASN1.BIT_STRING, 'signature').bits().bytes;
    let i = 0;
    if (tbs.child(0).tag === ASN1.INTEGER) i++; // version
    i++; // inner signature AlgorithmIdentifier
    const issuer = parseName(tbs.child(i++, 'issuer'));
    const thisUpdate = tbs.child(i++, 'thisUpdate').time();
    let nextUpdate: Date | undefined;
    const next = tbs.children[i];
    if (next && (next.tag === ASN1.UTC_TIME || next.tag === ASN1.GENERALIZED_TIME)) {
      nextUpdate = next.time();
      i++;
    }
    const revoked = new Map<string, RevokedEntry>();
    let authorityKeyId: Uint8Array | undefined;
    let crlNumber: string | undefined;
    for (const node of tbs.children.slice(i)) {
      if (node.tag === ASN1.SEQUENCE) {
        for (const entry of node.children) {
          const serial = toHex(entry.child(0).expect(ASN1.INTEGER, 'userCertificate').integerBytes());
          const e: RevokedEntry = { serial, date: entry.child(1, 'revocationDate').time() };
          const exts = entry.children[2];
          if (exts) {
            for (const ext of exts.children) {
              if (ext.child(0).oid() === OID.crlReason) {
                const code = parseDer(ext.child(ext.children.length - 1).value, DER).value[0] ?? 0;
                e.reason = REASONS[code] ?? String(code);
              }
            }
          }
          revoked.set(serial, e);
        }
      } else if (node.tag === 0xa0) {
        for (const ext of node.child(0).children) {
          const id = ext.child(0).oid();
          const value = ext.child(ext.children.length - 1).expect(ASN1.OCTET_STRING, 'extnValue').value;
          if (id === OID.authorityKeyIdentifier) authorityKeyId = parseDer(value, DER).children.find((c) => c.tag === 0x80)?.value;
          else if (id === OID.crlNumber) crlNumber = parseDer(value, DER).bigint().toString();
        }
      }
    }
    return { der, tbs: tbs.raw, issuer, thisUpdate, nextUpdate, authorityKeyId, crlNumber, revoked, signatureAlgorithm, signatureValue };
  } catch (e) {
    if (e instanceof TesseraError && e.code === 'PA_CRL_MALFORMED') throw e;
    throw new TesseraError('PA_CRL_MALFORMED', `Not a readable X.509 CRL: ${(e as Error).message}`, { hint: 'Expected a DER or PEM X.509 v2 certificate revocation list.', cause: e });
  }
}

function decodeCrlInput(input: Uint8Array | string): Uint8Array {
  const text = typeof input === 'string' ? input : input[0] === 0x30 ? undefined : new TextDecoder().decode(input);
  if (text === undefined) return input as Uint8Array;
  const m = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text);
  if (!m) throw new TesseraError('PA_CRL_MALFORMED', 'The input is neither DER nor a PEM "X509 CRL" block.', { hint: 'Give the CRL as DER bytes or PEM text.' });
  return new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}
