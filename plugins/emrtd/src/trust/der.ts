/**
 * A small, fast ASN.1 reader (BER in, DER out) for the X.509 and CMS structures Passive
 * Authentication needs: certificates, CRLs, SignedData of EF.SOD and of CSCA master lists.
 *
 * Why not asn1js/pkijs: a master list carries hundreds of certificates and asn1js builds a
 * heavy object per node (and by default refuses more than 10 000 nodes) — parsing the 306
 * certificates of the NL list took ~350 ms there, against a few milliseconds here. Nodes are
 * views into the input (no copies) and only what a caller asks for is decoded.
 *
 * Input comes from chips and downloaded files we do not trust yet, so every length is checked
 * against the bytes actually present, nesting is bounded, and the only error thrown is a
 * TesseraError with code PA_ASN1_MALFORMED (callers re-throw it with a code for their context).
 * BER indefinite lengths ('80' … '00 00') and constructed OCTET STRINGs are accepted.
 */

import { TesseraError } from '@tessera/sdk';

const MAX_DEPTH = 64;
// Decoders are costly to create and names are decoded by the thousand when a list loads.
const UTF8 = new TextDecoder('utf-8');
const UTF16BE = new TextDecoder('utf-16be');

/** Universal tags as the first identifier byte (class and constructed bit included). */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export function asn1Error(message: string): TesseraError {
  return new TesseraError('PA_ASN1_MALFORMED', message, { hint: 'The data is not well-formed ASN.1 (BER/DER); it may be truncated or not the expected file.' });
}

/** One decoded TLV: a window onto the input buffer. */
export class Asn1 {
  private kids: Asn1[] | undefined;

  constructor(
    /** The whole buffer this node lives in. */
    readonly buf: Uint8Array,
    /** Identifier bytes as one integer ('30' → 0x30, 'A0' → 0xa0, '5F1F' → 0x5f1f). */
    readonly tag: number,
    readonly constructed: boolean,
    readonly start: number,
    readonly valueStart: number,
    readonly valueEnd: number,
    /** End of the encoding, after the end-of-contents octets for the indefinite form. */
    readonly end: number,
    readonly indefinite: boolean,
    /** Class bits of the first identifier byte: 0 universal, 0x40 application, 0x80 context, 0xc0 private. */
    readonly tagClass: number,
    private readonly depth: number,
  ) {}

  /** The content octets, as encoded (for a constructed node: its children's encodings). */
  get value(): Uint8Array {
    return this.buf.subarray(this.valueStart, this.valueEnd);
  }

  /** The whole encoding: identifier, length, contents (and end-of-contents if indefinite). */
  get raw(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  get children(): Asn1[] {
    if (this.kids) return this.kids;
    if (!this.constructed) throw asn1Error(`Expected a constructed value, found primitive tag ${hexTag(this.tag)}`);
    const out: Asn1[] = [];
    let offset = this.valueStart;
    while (offset < this.valueEnd) {
      const child = readAsn1(this.buf, offset, this.valueEnd, this.depth + 1);
      out.push(child);
      offset = child.end;
    }
    this.kids = out;
    return out;
  }

  child(index: number, what = 'element'): Asn1 {
    const c = this.children[index];
    if (!c) throw asn1Error(`Missing ${what} (element ${index} of tag ${hexTag(this.tag)})`);
    return c;
  }

  /** Asserts the tag and returns this node, so parsers read like the ASN.1 they follow. */
  expect(tag: number, what: string): this {
    if (this.tag !== tag) throw asn1Error(`Expected ${what} (tag ${hexTag(tag)}), found tag ${hexTag(this.tag)}`);
    return this;
  }

  /**
   * The octets of an OCTET STRING (or any string type): primitive content as is, constructed
   * BER strings (chunked, possibly indefinite) concatenated.
   */
  octets(): Uint8Array {
    if (!this.constructed) return this.value;
    const parts: Uint8Array[] = [];
    for (const c of this.children) parts.push(c.octets());
    return concat(parts);
  }

  /** BIT STRING content without the unused-bits octet (primitive form; constructed form is joined). */
  bits(): { bytes: Uint8Array; unusedBits: number } {
    if (this.constructed) {
      const parts = this.children.map((c) => c.bits());
      return { bytes: concat(parts.map((p) => p.bytes)), unusedBits: parts.length ? parts[parts.length - 1]!.unusedBits : 0 };
    }
    const v = this.value;
    if (v.length < 1 || v[0]! > 7) throw asn1Error('Malformed BIT STRING');
    return { bytes: v.subarray(1), unusedBits: v[0]! };
  }

  oid(): string {
    this.expect(TAG.OID, 'OBJECT IDENTIFIER');
    return decodeOid(this.value);
  }

  /** INTEGER content as unsigned big-endian bytes with redundant leading zeros removed. */
  integerBytes(): Uint8Array {
    const v = this.value;
    if (v.length === 0) throw asn1Error('Empty INTEGER');
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    return v.subarray(i);
  }

  bigint(): bigint {
    const v = this.value;
    if (v.length === 0) throw asn1Error('Empty INTEGER');
    let n = 0n;
    for (const b of v) n = (n << 8n) | BigInt(b);
    if (v[0]! & 0x80) n -= 1n << BigInt(8 * v.length);
    return n;
  }

  smallInt(): number {
    const n = this.bigint();
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) throw asn1Error('INTEGER too large');
    return Number(n);
  }

  boolean(): boolean {
    const v = this.expect(TAG.BOOLEAN, 'BOOLEAN').value;
    if (v.length !== 1) throw asn1Error('Malformed BOOLEAN');
    return v[0] !== 0;
  }

  /** UTCTime or GeneralizedTime as a Date. */
  time(): Date {
    const s = latin1(this.value);
    if (this.tag === TAG.UTC_TIME) {
      const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(s);
      if (!m) throw asn1Error(`Malformed UTCTime "${s}"`);
      const yy = Number(m[1]);
      // RFC 5280: YY >= 50 means 19YY, otherwise 20YY.
      return makeDate(yy >= 50 ? 1900 + yy : 2000 + yy, m[2]!, m[3]!, m[4]!, m[5]!, m[6] ?? '00', '', m[7]!, s);
    }
    if (this.tag === TAG.GENERALIZED_TIME) {
      const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(s);
      if (!m) throw asn1Error(`Malformed GeneralizedTime "${s}"`);
      return makeDate(Number(m[1]), m[2]!, m[3]!, m[4]!, m[5] ?? '00', m[6] ?? '00', m[7] ?? '', m[8] ?? 'Z', s);
    }
    throw asn1Error(`Expected a time, found tag ${hexTag(this.tag)}`);
  }

  /** A directory string of any of the X.520 string types, decoded to text. */
  text(): string {
    return decodeString(this.tag, this.octets());
  }
}

/** Decodes the octets of an X.520 string type to text. */
export function decodeString(tag: number, v: Uint8Array): string {
  switch (tag & ~0x20) {
    case TAG.UTF8_STRING:
      return UTF8.decode(v);
    case TAG.BMP_STRING:
      return UTF16BE.decode(v);
    case TAG.UNIVERSAL_STRING: {
      let s = '';
      for (let i = 0; i + 3 < v.length; i += 4) s += String.fromCodePoint(((v[i]! << 24) | (v[i + 1]! << 16) | (v[i + 2]! << 8) | v[i + 3]!) >>> 0);
      return s;
    }
    default:
      // Printable, IA5, Numeric, Visible are ASCII; Teletex (T.61) is read as Latin-1, which is
      // what the certificates that use it in practice meant.
      return latin1(v);
  }
}

function makeDate(year: number, mo: string, d: string, h: string, mi: string, s: string, frac: string, zone: string, original: string): Date {
  let ms = Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), frac ? Math.round(Number(`0.${frac}`) * 1000) : 0);
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  if (Number.isNaN(ms)) throw asn1Error(`Invalid time "${original}"`);
  return new Date(ms);
}

function latin1(v: Uint8Array): string {
  let s = '';
  for (let i = 0; i < v.length; i++) s += String.fromCharCode(v[i]!);
  return s;
}

export function hexTag(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(2, '0');
}

/** Reads one TLV at `offset`; `limit` is where the enclosing value ends. */
export function readAsn1(buf: Uint8Array, offset = 0, limit = buf.length, depth = 0): Asn1 {
  if (depth > MAX_DEPTH) throw asn1Error('ASN.1 nesting too deep');
  let p = offset;
  if (p >= limit) throw asn1Error('Unexpected end of data (tag expected)');
  const first = buf[p++]!;
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    // High tag number form: continuation bytes with bit 8 set, at most 3 of them here.
    let n = 0;
    do {
      if (p >= limit) throw asn1Error('Unexpected end of data in a tag');
      const b = buf[p++]!;
      tag = tag * 256 + b;
      if (++n > 3) throw asn1Error('Tag too long');
      if (!(b & 0x80)) break;
    } while (true);
  }
  const constructed = (first & 0x20) !== 0;
  if (p >= limit) throw asn1Error('Unexpected end of data (length expected)');
  const lb = buf[p++]!;
  if (lb === 0x80) {
    if (!constructed) throw asn1Error('Indefinite length on a primitive value');
    // Walk the children to find the end-of-contents octets.
    const valueStart = p;
    let q = p;
    for (;;) {
      if (q + 2 > limit) throw asn1Error('Missing end-of-contents octets');
      if (buf[q] === 0 && buf[q + 1] === 0) break;
      q = readAsn1(buf, q, limit, depth + 1).end;
    }
    return new Asn1(buf, tag, constructed, offset, valueStart, q, q + 2, true, first & 0xc0, depth);
  }
  let length = lb;
  if (lb & 0x80) {
    const n = lb & 0x7f;
    if (n > 4) throw asn1Error('Length field too long');
    if (p + n > limit) throw asn1Error('Unexpected end of data in a length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[p++]!;
  }
  if (p + length > limit) throw asn1Error(`Value of tag ${hexTag(tag)} runs past the end of its container (${length} bytes declared, ${limit - p} there)`);
  return new Asn1(buf, tag, constructed, offset, p, p + length, p + length, false, first & 0xc0, depth);
}

/** A TLV header without the node object, for hot loops (names of hundreds of certificates). */
export interface TlvHeader {
  tag: number;
  constructed: boolean;
  valueStart: number;
  valueEnd: number;
  end: number;
}

/** Like readAsn1 but returns only the header (definite lengths; indefinite ones go the slow way). */
export function tlvAt(buf: Uint8Array, offset: number, limit: number): TlvHeader {
  const first = buf[offset];
  let lb = buf[offset + 1];
  if (first === undefined || lb === undefined || offset + 2 > limit || (first & 0x1f) === 0x1f || lb === 0x80) {
    const n = readAsn1(buf, offset, limit, 0);
    return { tag: n.tag, constructed: n.constructed, valueStart: n.valueStart, valueEnd: n.valueEnd, end: n.end };
  }
  let p = offset + 2;
  if (lb > 0x80) {
    const n = lb & 0x7f;
    if (n > 4 || p + n > limit) throw asn1Error('Bad length field');
    lb = 0;
    for (let i = 0; i < n; i++) lb = lb * 256 + buf[p++]!;
  }
  const valueEnd = p + lb;
  if (valueEnd > limit) throw asn1Error(`Value of tag ${hexTag(first)} runs past the end of its container`);
  return { tag: first, constructed: (first & 0x20) !== 0, valueStart: p, valueEnd, end: valueEnd };
}

/** Parses a complete encoding; trailing bytes are allowed only when `allowTrailing` (files padded by readers). */
export function parseAsn1(bytes: Uint8Array, allowTrailing = false): Asn1 {
  const node = readAsn1(bytes, 0, bytes.length, 0);
  if (!allowTrailing && node.end !== bytes.length) throw asn1Error(`${bytes.length - node.end} unexpected byte(s) after the ASN.1 value`);
  return node;
}

const oidCache = new Map<string, string>();

export function decodeOid(v: Uint8Array): string {
  // OIDs repeat constantly across hundreds of certificates; caching the text saves real time.
  let key = '';
  for (let i = 0; i < v.length; i++) key += String.fromCharCode(v[i]!);
  const hit = oidCache.get(key);
  if (hit) return hit;
  if (v.length === 0) throw asn1Error('Empty OBJECT IDENTIFIER');
  const arcs: string[] = [];
  let n = 0n;
  let firstDone = false;
  for (let i = 0; i < v.length; i++) {
    n = (n << 7n) | BigInt(v[i]! & 0x7f);
    if (v[i]! & 0x80) continue;
    if (!firstDone) {
      const x = n < 80n ? n / 40n : 2n;
      arcs.push(String(x), String(n - x * 40n));
      firstDone = true;
    } else arcs.push(String(n));
    n = 0n;
  }
  if (v[v.length - 1]! & 0x80) throw asn1Error('Truncated OBJECT IDENTIFIER');
  const s = arcs.join('.');
  if (oidCache.size < 4096) oidCache.set(key, s);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Encoding: just what is needed to rebuild small structures (SPKI wrappers, DER re-encoding of
// signed attributes, canonical ECDSA signatures).

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function encodeTag(tag: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = tag; v > 0 || bytes.length === 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from(bytes);
}

export function encodeTlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concat(content);
  return concat([encodeTag(tag), encodeLength(body.length), body]);
}

/** An unsigned big-endian magnitude as a DER INTEGER (adds the sign octet when needed). */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  let m = magnitude.subarray(i);
  if (m.length === 0) m = Uint8Array.of(0);
  return m[0]! & 0x80 ? encodeTlv(TAG.INTEGER, Uint8Array.of(0), m) : encodeTlv(TAG.INTEGER, m);
}

export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map((a) => BigInt(a));
  if (arcs.length < 2) throw asn1Error(`Bad OID ${oid}`);
  const out: number[] = [];
  const push = (n: bigint) => {
    const tmp: number[] = [Number(n & 0x7fn)];
    for (let v = n >> 7n; v > 0n; v >>= 7n) tmp.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...tmp);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return encodeTlv(TAG.OID, Uint8Array.from(out));
}

const STRING_TAGS = new Set<number>([TAG.BIT_STRING, TAG.OCTET_STRING, TAG.UTF8_STRING, TAG.NUMERIC_STRING, TAG.PRINTABLE_STRING, TAG.TELETEX_STRING, TAG.IA5_STRING, TAG.VISIBLE_STRING, TAG.UNIVERSAL_STRING, TAG.BMP_STRING, TAG.UTC_TIME, TAG.GENERALIZED_TIME]);

/**
 * Re-encodes a BER value as DER: definite minimal lengths, constructed strings joined into
 * their primitive form, and the elements of every SET sorted by their encodings (X.690 11.6).
 * CMS signs the DER of the signed attributes, whatever encoding the sender transmitted.
 * `asSetOf` forces SET OF sorting for an implicitly tagged SET (the '[0] IMPLICIT' signedAttrs).
 */
export function toDer(node: Asn1, asSetOf = false): Uint8Array {
  if (!node.constructed) return encodeTlv(node.tag, node.value);
  // A constructed universal string (BER only) becomes the primitive form of the same type.
  if (node.tag < 0x40 && STRING_TAGS.has(node.tag & ~0x20)) {
    if ((node.tag & ~0x20) === TAG.BIT_STRING) {
      const b = node.bits();
      return encodeTlv(TAG.BIT_STRING, Uint8Array.of(b.unusedBits), b.bytes);
    }
    return encodeTlv(node.tag & ~0x20, node.octets());
  }
  const parts = node.children.map((c) => toDer(c));
  if (node.tag === TAG.SET || asSetOf) parts.sort(compareBytes);
  return encodeTlv(node.tag, ...parts);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}
