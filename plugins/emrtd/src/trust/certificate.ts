/**
 * X.509 certificates as Passive Authentication sees them: CSCAs, link certificates, document
 * signers and master-list signers. Parsing reads only the fields PKI decisions use (names,
 * validity, keys, the RFC 5280 / ICAO 9303-12 extensions); the public key is turned into a
 * usable key object lazily, because a master list holds hundreds of CSCAs and most of them are
 * never used in a session.
 */

import { createHash } from 'node:crypto';
import { TesseraError } from '@tessera/sdk';
import { ASN1, bytesEqual, decodeOid, type DerContext, DerNode, parseDer, readString, toHex, unsignedMagnitude, type TlvNode } from '@tessera/sdk/emrtd';
import { NAME_ATTRIBUTES, OID } from './oids.js';
import { loadPublicKey, type PublicKeyHandle } from './signature.js';

/** What DER reading errors here say: PA_ASN1_MALFORMED, naming the structure. */
const DER: DerContext = { file: 'X.509 certificate', code: 'PA_ASN1_MALFORMED', hint: 'The bytes may be truncated or not a DER X.509 certificate.' };

/**
 * A distinguished name. Only the encoding is kept at parse time; the readable form and the
 * comparison key are computed on first use (a master list has hundreds of names, most never shown).
 */
export class DistinguishedName {
  private parsed: { rdns: { type: string; value: string }[][]; text: string; country: string | undefined } | undefined;
  private cmpKey: string | undefined;

  /** `der`: the Name as encoded in the certificate; `decoded`: its tree, when the caller has it already. */
  constructor(
    readonly der: Uint8Array,
    private readonly decoded?: DerNode,
  ) {}

  private tree(): DerNode {
    return this.decoded ?? parseDer(this.der, DER);
  }

  /**
   * Comparison key: RFC 5280 §7.1 style matching (case-insensitive, whitespace folded, RDN order
   * kept), so an issuer written as PrintableString matches a subject written as UTF8String.
   */
  get key(): string {
    if (this.cmpKey === undefined) this.cmpKey = nameKey(this.tree().node);
    return this.cmpKey;
  }

  /** RDNs in encoded order (most significant first, e.g. C before CN). */
  get rdns(): { type: string; value: string }[][] {
    return this.parse().rdns;
  }

  /** Readable form, "C=NL, O=Kingdom of the Netherlands, CN=CSCA NL". */
  get text(): string {
    return this.parse().text;
  }

  /** The countryName attribute, upper-case, if present. */
  get country(): string | undefined {
    return this.parse().country;
  }

  private parse() {
    if (this.parsed) return this.parsed;
    const rdns: { type: string; value: string }[][] = [];
    for (const rdn of this.tree().expect(ASN1.SEQUENCE, 'Name').children) {
      rdn.expect(ASN1.SET, 'RelativeDistinguishedName');
      rdns.push(rdn.children.map((atv) => ({ type: atv.child(0).oid(), value: attributeText(atv.child(1).node) })));
    }
    const text = rdns.map((r) => r.map((a) => `${NAME_ATTRIBUTES[a.type] ?? a.type}=${a.value}`).join(' + ')).join(', ');
    const c = rdns.flat().find((a) => a.type === OID.countryName)?.value.trim().toUpperCase();
    this.parsed = { rdns, text, country: c || undefined };
    return this.parsed;
  }
}

function attributeText(v: TlvNode): string {
  // Non-string values (rare) are shown as their hex encoding, RFC 4514 style.
  return v.tag === ASN1.SEQUENCE || v.tag === ASN1.SET ? `#${toHex(v.raw)}` : readString(v, DER, 'name attribute');
}

/** The comparison key, computed once per name straight from the decoded tree (hot while a master list loads). */
function nameKey(name: TlvNode): string {
  const rdnKeys: string[] = [];
  for (const rdn of name.children ?? []) {
    const atvs = (rdn.children ?? []).map((atv) => {
      const [type, value] = atv.children ?? [];
      const oid = type ? decodeOid(type.value) : undefined;
      const text = value ? attributeText(value) : '';
      return `${oid}=${text.trim().replace(/\s+/g, ' ').toLowerCase()}`;
    });
    rdnKeys.push(atvs.length > 1 ? atvs.sort().join('+') : (atvs[0] ?? ''));
  }
  return rdnKeys.join(',');
}

export interface AuthorityKeyIdentifier {
  keyId?: Uint8Array;
  serialHex?: string;
}

export type KeyUsageName = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';
const KEY_USAGE_BITS: KeyUsageName[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

/** Extensions this module understands; any other critical one is reported by path validation. */
const KNOWN_EXTENSIONS = new Set<string>([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.privateKeyUsagePeriod,
  OID.basicConstraints,
  OID.authorityKeyIdentifier,
  OID.extKeyUsage,
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.32', // certificatePolicies
  OID.documentTypeList,
]);

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** Serial number, upper-case hex. */
  serial: string;
  notBefore: string;
  notAfter: string;
}

export class Certificate {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly version: number;
  readonly serial: Uint8Array;
  readonly serialHex: string;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Uint8Array;
  readonly keyAlgorithmOid: string;
  /** The outer signatureAlgorithm AlgorithmIdentifier (the one that must be used to verify). */
  readonly signatureAlgorithm: DerNode;
  readonly signatureValue: Uint8Array;
  readonly ski: Uint8Array | undefined;
  readonly aki: AuthorityKeyIdentifier | undefined;
  /** undefined when the certificate has no key usage extension (RFC 5280: any use). */
  readonly keyUsage: ReadonlySet<KeyUsageName> | undefined;
  readonly basicConstraints: { ca: boolean; pathLen?: number } | undefined;
  readonly extKeyUsage: readonly string[] | undefined;
  readonly privateKeyUsagePeriod: { notBefore?: Date; notAfter?: Date } | undefined;
  readonly unknownCriticalExtensions: readonly string[];
  private fp: string | undefined;
  private key: PublicKeyHandle | TesseraError | undefined;
  /** Cache of verifications of this certificate's signature, keyed by the issuer's fingerprint. */
  readonly verifiedBy = new Map<string, boolean>();

  /** `decoded`: the certificate's tree when the caller decoded it already (a master list's certList). */
  constructor(der: Uint8Array, decoded?: DerNode) {
    this.der = der;
    const cert = (decoded ?? parseDer(der, DER)).expect(ASN1.SEQUENCE, 'Certificate');
    const tbs = cert.child(0, 'tbsCertificate').expect(ASN1.SEQUENCE, 'TBSCertificate');
    this.tbs = tbs.raw;
    this.signatureAlgorithm = cert.child(1, 'signatureAlgorithm').expect(ASN1.SEQUENCE, 'AlgorithmIdentifier');
    const sig = cert.child(2, 'signatureValue').expect(ASN1.BIT_STRING, 'signature BIT STRING').bits();
    this.signatureValue = sig.bytes;

    const f = tbs.children;
    let i = 0;
    this.version = 1;
    if (f[0]?.tag === 0xa0) {
      this.version = f[0].child(0, 'version').smallInt() + 1;
      i = 1;
    }
    const serial = tbs.child(i++, 'serialNumber').expect(ASN1.INTEGER, 'serialNumber');
    this.serial = serial.integerBytes();
    this.serialHex = toHex(this.serial);
    i++; // tbs signature AlgorithmIdentifier (the outer one is authoritative)
    this.issuer = parseName(tbs.child(i++, 'issuer'));
    const validity = tbs.child(i++, 'validity').expect(ASN1.SEQUENCE, 'Validity');
    this.notBefore = validity.child(0, 'notBefore').time();
    this.notAfter = validity.child(1, 'notAfter').time();
    this.subject = parseName(tbs.child(i++, 'subject'));
    const spki = tbs.child(i++, 'subjectPublicKeyInfo').expect(ASN1.SEQUENCE, 'SubjectPublicKeyInfo');
    this.spki = spki.raw;
    this.keyAlgorithmOid = spki.child(0).child(0).oid();

    let ski: Uint8Array | undefined;
    let aki: AuthorityKeyIdentifier | undefined;
    let keyUsage: Set<KeyUsageName> | undefined;
    let bc: { ca: boolean; pathLen?: number } | undefined;
    let eku: string[] | undefined;
    let pkup: { notBefore?: Date; notAfter?: Date } | undefined;
    const unknownCritical: string[] = [];
    const extsWrapper = f.slice(i).find((n) => n.tag === 0xa3);
    if (extsWrapper) {
      for (const ext of extsWrapper.child(0, 'Extensions').expect(ASN1.SEQUENCE, 'Extensions').children) {
        const id = ext.child(0).oid();
        const critical = ext.children.length > 2 ? ext.child(1).boolean() : false;
        const value = ext.child(ext.children.length - 1).expect(ASN1.OCTET_STRING, 'extnValue').value;
        if (critical && !KNOWN_EXTENSIONS.has(id)) unknownCritical.push(id);
        switch (id) {
          case OID.subjectKeyIdentifier:
            ski = parseDer(value, DER).expect(ASN1.OCTET_STRING, 'SubjectKeyIdentifier').value;
            break;
          case OID.authorityKeyIdentifier: {
            aki = {};
            for (const c of parseDer(value, DER).expect(ASN1.SEQUENCE, 'AuthorityKeyIdentifier').children) {
              if (c.tag === 0x80) aki.keyId = c.value;
              else if (c.tag === 0x82) aki.serialHex = toHex(unsignedMagnitude(c.value)); // [2] IMPLICIT INTEGER
            }
            break;
          }
          case OID.keyUsage: {
            const bits = parseDer(value, DER).expect(ASN1.BIT_STRING, 'KeyUsage').bits().bytes;
            keyUsage = new Set();
            KEY_USAGE_BITS.forEach((name, bit) => {
              const byte = bits[bit >> 3];
              if (byte !== undefined && byte & (0x80 >> (bit & 7))) keyUsage!.add(name);
            });
            break;
          }
          case OID.basicConstraints: {
            const seq = parseDer(value, DER).expect(ASN1.SEQUENCE, 'BasicConstraints');
            bc = { ca: false };
            for (const c of seq.children) {
              if (c.tag === ASN1.BOOLEAN) bc.ca = c.boolean();
              else if (c.tag === ASN1.INTEGER) bc.pathLen = c.smallInt();
            }
            break;
          }
          case OID.extKeyUsage:
            eku = parseDer(value, DER).expect(ASN1.SEQUENCE, 'ExtKeyUsage').children.map((c) => c.oid());
            break;
          case OID.privateKeyUsagePeriod: {
            pkup = {};
            for (const c of parseDer(value, DER).expect(ASN1.SEQUENCE, 'PrivateKeyUsagePeriod').children) {
              // [0]/[1] IMPLICIT GeneralizedTime.
              const t = c.time('privateKeyUsagePeriod', ASN1.GENERALIZED_TIME);
              if (c.tag === 0x80) pkup.notBefore = t;
              else if (c.tag === 0x81) pkup.notAfter = t;
            }
            break;
          }
        }
      }
    }
    this.ski = ski;
    this.aki = aki;
    this.keyUsage = keyUsage;
    this.basicConstraints = bc;
    this.extKeyUsage = eku;
    this.privateKeyUsagePeriod = pkup;
    this.unknownCriticalExtensions = unknownCritical;
  }

  /** SHA-256 of the DER, upper-case hex: the identity used for de-duplication. */
  get fingerprint(): string {
    if (!this.fp) this.fp = createHash('sha256').update(this.der).digest('hex').toUpperCase();
    return this.fp;
  }

  /** The subject public key, loaded on first use; throws PA_UNSUPPORTED_KEY if it cannot be used. */
  get publicKey(): PublicKeyHandle {
    if (this.key === undefined) {
      try {
        this.key = loadPublicKey(this.spki);
      } catch (e) {
        this.key = e instanceof TesseraError ? e : new TesseraError('PA_UNSUPPORTED_KEY', `The public key of ${this.subject.text} cannot be used: ${(e as Error).message}`);
      }
    }
    if (this.key instanceof TesseraError) throw this.key;
    return this.key;
  }

  /** Subject and issuer are the same name (a self-signed CSCA or a link certificate between two CSCA keys). */
  get selfIssued(): boolean {
    return bytesEqual(this.subject.der, this.issuer.der) || this.subject.key === this.issuer.key;
  }

  /** Self-issued and, when both key identifiers are present, issued by its own key (not a link certificate). */
  get selfSigned(): boolean {
    if (!this.selfIssued) return false;
    if (this.ski && this.aki?.keyId) return toHex(this.ski) === toHex(this.aki.keyId);
    return true;
  }

  isValidAt(at: Date): boolean {
    return at.getTime() >= this.notBefore.getTime() && at.getTime() <= this.notAfter.getTime();
  }

  summary(): CertificateSummary {
    return { subject: this.subject.text, issuer: this.issuer.text, serial: this.serialHex, notBefore: this.notBefore.toISOString(), notAfter: this.notAfter.toISOString() };
  }
}

/** Parses a DER certificate; throws PA_CERT_MALFORMED with the reason. */
export function parseCertificate(der: Uint8Array, decoded?: DerNode): Certificate {
  try {
    return new Certificate(der, decoded);
  } catch (e) {
    throw new TesseraError('PA_CERT_MALFORMED', `Not a readable X.509 certificate: ${(e as Error).message}`, {
      hint: 'Certificates must be DER (or PEM) X.509 v3; the bytes may be truncated or something else.',
      cause: e,
    });
  }
}

export function parseName(node: DerNode): DistinguishedName {
  return new DistinguishedName(node.expect(ASN1.SEQUENCE, 'Name').raw, node);
}

/** Accepts DER or PEM ("-----BEGIN CERTIFICATE-----"); returns every certificate found. */
export function decodeCertificateInput(input: Uint8Array | string): Uint8Array[] {
  const text = typeof input === 'string' ? input : looksLikePem(input) ? new TextDecoder().decode(input) : undefined;
  if (text === undefined) return [input as Uint8Array];
  const out: Uint8Array[] = [];
  const re = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
  if (!out.length) {
    throw new TesseraError('PA_CERT_MALFORMED', 'The text holds no PEM certificate block.', { hint: 'Expected "-----BEGIN CERTIFICATE-----" … "-----END CERTIFICATE-----", or DER bytes.' });
  }
  return out;
}

export function looksLikePem(bytes: Uint8Array): boolean {
  // DER starts with 0x30; PEM starts with '-----' (possibly after whitespace or a BOM).
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('-----BEGIN');
}
