/**
 * A minimal DER writer for the structures this library builds (LDS security object, CMS
 * SignedData, master lists, X.509 extensions). Built on the BER-TLV codec's definite-length
 * encoder, so already-encoded DER (certificates, names) is spliced in byte for byte instead of
 * being parsed and re-encoded — a re-encoding could silently change what a signature covers.
 */

import { encodeTlv, type TlvNode } from '../codec/ber-tlv.js';
import { concatBytes } from '../codec/bytes.js';
import { ldsError } from './lds-errors.js';
import { ASN1 } from './der-reader.js';

export function derSequence(...items: Uint8Array[]): Uint8Array {
  return encodeTlv(ASN1.SEQUENCE, concatBytes(...items));
}

/** A SET whose elements are given in the order they must appear (e.g. a single element). */
export function derSet(...items: Uint8Array[]): Uint8Array {
  return encodeTlv(ASN1.SET, concatBytes(...items));
}

/** Byte-wise order of two encodings, shorter first on a common prefix (the DER SET OF order). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** SET OF in DER order (X.690 §11.6: ascending by encoding), as signed attributes and master lists require. */
export function derSetOf(items: readonly Uint8Array[]): Uint8Array {
  return encodeTlv(ASN1.SET, concatBytes(...[...items].sort(compareBytes)));
}

/** [n] with constructed content (explicit tagging or an implicitly tagged SEQUENCE/SET). */
export function derContext(n: number, content: Uint8Array, constructed = true): Uint8Array {
  return encodeTlv((constructed ? 0xa0 : 0x80) | n, content);
}

/** INTEGER from a non-negative number, bigint, or an unsigned big-endian magnitude. */
export function derInteger(value: number | bigint | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    bytes = value.length ? value.subarray(start) : Uint8Array.of(0);
  } else {
    let v = BigInt(value);
    if (v < 0n) throw ldsError('EMRTD_LDS_BUILD_INVALID', `Cannot encode negative INTEGER ${v}`);
    const out: number[] = [];
    do {
      out.unshift(Number(v & 0xffn));
      v >>= 8n;
    } while (v > 0n);
    bytes = Uint8Array.from(out);
  }
  if (bytes[0] & 0x80) bytes = concatBytes(Uint8Array.of(0), bytes);
  return encodeTlv(ASN1.INTEGER, bytes);
}

/** The content octets of a DER OBJECT IDENTIFIER (no tag or length), as PACE's DO'80' carries an OID. */
export function oidContent(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((s) => {
    if (!/^\d+$/.test(s)) throw ldsError('EMRTD_LDS_BUILD_INVALID', `Not an OID: ${JSON.stringify(dotted)}`);
    return BigInt(s);
  });
  if (arcs.length < 2 || arcs[0] > 2n || (arcs[0] < 2n && arcs[1] > 39n)) throw ldsError('EMRTD_LDS_BUILD_INVALID', `Not an OID: ${JSON.stringify(dotted)}`);
  const subs = [arcs[0] * 40n + arcs[1], ...arcs.slice(2)];
  const out: number[] = [];
  for (const sub of subs) {
    const chunk: number[] = [Number(sub & 0x7fn)];
    for (let v = sub >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return Uint8Array.from(out);
}

export function derOid(dotted: string): Uint8Array {
  return encodeTlv(ASN1.OID, oidContent(dotted));
}

export function derOctetString(bytes: Uint8Array): Uint8Array {
  return encodeTlv(ASN1.OCTET_STRING, bytes);
}

export function derBitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return encodeTlv(ASN1.BIT_STRING, concatBytes(Uint8Array.of(unusedBits), bytes));
}

export function derNull(): Uint8Array {
  return Uint8Array.of(ASN1.NULL, 0);
}

export function derBoolean(value: boolean): Uint8Array {
  return Uint8Array.of(ASN1.BOOLEAN, 1, value ? 0xff : 0);
}

export function derPrintableString(text: string): Uint8Array {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw ldsError('EMRTD_LDS_BUILD_INVALID', `Not a PrintableString: ${JSON.stringify(text)}`);
  return encodeTlv(ASN1.PRINTABLE_STRING, new TextEncoder().encode(text));
}

export function derUtf8String(text: string): Uint8Array {
  return encodeTlv(ASN1.UTF8_STRING, new TextEncoder().encode(text));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** GeneralizedTime in the DER form RFC 5280 asks for: YYYYMMDDHHMMSSZ. */
export function derGeneralizedTime(date: Date): Uint8Array {
  const s = `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  return encodeTlv(ASN1.GENERALIZED_TIME, new TextEncoder().encode(s));
}

/** UTCTime (years 1950–2049) as CMS signingTime requires for those years. */
export function derUtcTime(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  if (y < 1950 || y > 2049) return derGeneralizedTime(date);
  const s = `${pad(y % 100)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  return encodeTlv(ASN1.UTC_TIME, new TextEncoder().encode(s));
}

/** AlgorithmIdentifier; pass `null` parameters for an explicit NULL, omit them to leave the field out. */
export function derAlgorithmIdentifier(oid: string, parameters?: Uint8Array | null): Uint8Array {
  if (parameters === undefined) return derSequence(derOid(oid));
  return derSequence(derOid(oid), parameters === null ? derNull() : parameters);
}

/** Universal string types (and BIT STRING) that BER may send in constructed, segmented form. */
const SEGMENTABLE = new Set<number>([0x03, 0x04, 0x0c, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1c, 0x1e]);

/**
 * Re-encodes a BER value as DER: definite minimal lengths, segmented strings joined into their
 * primitive form, and the elements of every SET sorted (X.690 §11.6). CMS signs the DER of the
 * signed attributes, whatever encoding the sender transmitted. `asSetOf` sorts an implicitly
 * tagged SET (the '[0] IMPLICIT' signedAttrs) as well.
 */
export function toDer(node: TlvNode, asSetOf = false): Uint8Array {
  if (!node.constructed) return encodeTlv(node.tag, node.value);
  const universal = node.tag & ~0x20;
  if (node.tag < 0x40 && SEGMENTABLE.has(universal)) {
    if (universal === 0x03) {
      // Each primitive segment starts with its unused-bits octet; only the last one's counts.
      const segments = primitiveSegments(node);
      return derBitString(concatBytes(...segments.map((seg) => seg.subarray(1))), segments.at(-1)?.[0] ?? 0);
    }
    return encodeTlv(universal, concatBytes(...primitiveSegments(node)));
  }
  const parts = (node.children ?? []).map((c) => toDer(c));
  if (node.tag === 0x31 || asSetOf) parts.sort(compareBytes);
  return encodeTlv(node.tag, concatBytes(...parts));
}

function primitiveSegments(node: TlvNode): Uint8Array[] {
  return node.constructed ? (node.children ?? []).flatMap(primitiveSegments) : [node.value];
}
