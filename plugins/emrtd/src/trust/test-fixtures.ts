/**
 * Test fixtures shared by the trust and passive-auth tests: the BSI TR-03105 reference data sets
 * read from the shared data folder, and a BER (indefinite-length) re-encoding of an EF.SOD.
 * Not used at run time.
 */

import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ASN1, concatBytes, derBitString, type DerContext, derInteger, DerNode, derOid, encodeTlv, parseDer } from '@tessera/sdk/emrtd';
import { OID } from './oids.js';

/** What DER reading errors here say: PA_ASN1_MALFORMED, naming the structure. */
const DER: DerContext = { file: 'test fixture', code: 'PA_ASN1_MALFORMED', hint: 'A test fixture is not well-formed DER.' };

export const DATA_DIR = new URL('../../../../../shared/data/', import.meta.url);

export function readData(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, DATA_DIR)));
}

/** EF.SOD and the data-group files (DatagroupN.bin) of a BSI TR-03105 set. */
export function loadBsiSet(year: 2008 | 2013): { sod: Uint8Array; dataGroups: Map<number, Uint8Array> } {
  const dir = `bsi-tr03105-${year}/`;
  const dataGroups = new Map<number, Uint8Array>();
  for (let dg = 1; dg <= 16; dg++) {
    try {
      dataGroups.set(dg, readData(`${dir}Datagroup${dg}.bin`));
    } catch {
      // not in the set
    }
  }
  return { sod: readData(`${dir}EF_SOD.bin`), dataGroups };
}

const EOC = Uint8Array.of(0, 0);
const indefinite = (tag: number, ...parts: Uint8Array[]) => concatBytes(Uint8Array.of(tag, 0x80), ...parts, EOC);

/** Every constructed node in indefinite form (leaves untouched). */
function allIndefinite(node: DerNode): Uint8Array {
  if (!node.constructed) return node.raw;
  return indefinite(node.raw[0]!, ...node.children.map(allIndefinite));
}

/**
 * Re-encodes an EF.SOD the way a BER encoder may: indefinite lengths everywhere except inside the
 * certificates (whose signatures cover their DER), and the eContent as a chunked OCTET STRING.
 */
export function toIndefiniteSod(sod: Uint8Array): Uint8Array {
  const wrapper = parseDer(sod, DER, { allowTrailing: true });
  const ci = wrapper.child(0);
  const sd = ci.child(1).child(0);
  const [version, digestAlgs, encap, ...rest] = sd.children;
  const content = encap!.child(1).child(0).value;
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < content.length; i += 50) chunks.push(encodeTlv(0x04, content.subarray(i, i + 50)));
  const encapBer = indefinite(0x30, encap!.child(0).raw, indefinite(0xa0, indefinite(0x24, ...chunks)));
  const restBer = rest.map((n) => (n.raw[0] === 0xa0 ? n.raw : allIndefinite(n)));
  const sdBer = indefinite(0x30, version!.raw, allIndefinite(digestAlgs!), encapBer, ...restBer);
  return indefinite(0x77, indefinite(0x30, ci.child(0).raw, indefinite(0xa0, sdBer)));
}

// --- a minimal X.509 builder (EC keys, ECDSA with SHA-256), for certificates the SDK test PKI does
// not make: link certificates, and the synthetic master list of the benchmark.

const seq = (...parts: Uint8Array[]) => encodeTlv(ASN1.SEQUENCE, [...parts]);

export function utcTime(d: Date): Uint8Array {
  return encodeTlv(ASN1.UTC_TIME, new TextEncoder().encode(`${d.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`));
}

export function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return seq(derOid(oid), ...(critical ? [encodeTlv(ASN1.BOOLEAN, Uint8Array.of(0xff))] : []), encodeTlv(ASN1.OCTET_STRING, value));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(parseDer(spki, DER).child(1).bits().bytes).digest());
}

export interface CertificateSpec {
  serial: Uint8Array;
  issuerName: Uint8Array;
  subjectName: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo DER of the subject's key. */
  spki: Uint8Array;
  /** Key identifier of the issuing key (authority key identifier). */
  authorityKeyId: Uint8Array;
  /** Default: computed from the SPKI with keyIdentifier(). */
  subjectKeyId?: Uint8Array;
  ca: boolean;
  /** Key usage bits byte, e.g. 0x06 keyCertSign+cRLSign, 0x80 digitalSignature. */
  keyUsage: number;
  extraExtensions?: Uint8Array[];
  /** The issuer's private key (EC). */
  signingKey: KeyObject;
}

export function buildEcCertificate(spec: CertificateSpec): Uint8Array {
  const ecdsaSha256 = seq(derOid(OID.ecdsaWithSha256));
  const unused = spec.keyUsage & 0x01 ? 0 : spec.keyUsage & 0x02 ? 1 : spec.keyUsage & 0x04 ? 2 : spec.keyUsage & 0x08 ? 3 : spec.keyUsage & 0x10 ? 4 : spec.keyUsage & 0x20 ? 5 : spec.keyUsage & 0x40 ? 6 : 7;
  const exts = [
    extension(OID.subjectKeyIdentifier, false, encodeTlv(ASN1.OCTET_STRING, spec.subjectKeyId ?? keyIdentifier(spec.spki))),
    extension(OID.authorityKeyIdentifier, false, seq(encodeTlv(0x80, spec.authorityKeyId))),
    extension(OID.keyUsage, true, encodeTlv(ASN1.BIT_STRING, Uint8Array.of(unused, spec.keyUsage))),
    ...(spec.ca ? [extension(OID.basicConstraints, true, seq(encodeTlv(ASN1.BOOLEAN, Uint8Array.of(0xff)), encodeTlv(ASN1.INTEGER, Uint8Array.of(0))))] : []),
    ...(spec.extraExtensions ?? []),
  ];
  const tbs = seq(
    encodeTlv(0xa0, encodeTlv(ASN1.INTEGER, Uint8Array.of(2))),
    derInteger(spec.serial),
    ecdsaSha256,
    spec.issuerName,
    seq(utcTime(spec.notBefore), utcTime(spec.notAfter)),
    spec.subjectName,
    spec.spki,
    encodeTlv(0xa3, seq(...exts)),
  );
  const signature = new Uint8Array(sign('sha256', tbs, spec.signingKey));
  return seq(tbs, ecdsaSha256, derBitString(signature));
}

/** SPKI DER of a public KeyObject (or the public half of a private one). */
export function spkiOf(key: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }));
}
