/**
 * Minimal DER writing for the virtual chip's files (SecurityInfos, public keys, CMS), on top of the
 * SDK's BER-TLV encoder. Only what the card side needs; parsing stays in @tessera/sdk/emrtd.
 */
import { concatBytes, encodeTlv } from '@tessera/sdk/emrtd';

export const seq = (...items: Uint8Array[]): Uint8Array => encodeTlv(0x30, items);
export const set = (...items: Uint8Array[]): Uint8Array => encodeTlv(0x31, items);
export const ctx = (n: number, content: Uint8Array | Uint8Array[], constructed = true): Uint8Array =>
  constructed ? encodeTlv(0xa0 | n, Array.isArray(content) ? content : [content]) : encodeTlv(0x80 | n, Array.isArray(content) ? concatBytes(...content) : content);
export const octets = (bytes: Uint8Array): Uint8Array => encodeTlv(0x04, bytes);
export const bitString = (bytes: Uint8Array, unusedBits = 0): Uint8Array => encodeTlv(0x03, concatBytes(Uint8Array.of(unusedBits), bytes));
export const utf8 = (text: string): Uint8Array => encodeTlv(0x0c, new TextEncoder().encode(text));
export const printable = (text: string): Uint8Array => encodeTlv(0x13, new TextEncoder().encode(text));

/** SET OF in DER order (elements sorted by their encodings). */
export function setOf(items: readonly Uint8Array[]): Uint8Array {
  const sorted = [...items].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  });
  return encodeTlv(0x31, sorted);
}

export function integer(value: number | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (typeof value === 'number') {
    const out: number[] = [];
    let v = value;
    do {
      out.unshift(v & 0xff);
      v = Math.floor(v / 256);
    } while (v > 0);
    bytes = Uint8Array.from(out);
  } else {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    bytes = value.subarray(start);
  }
  if (bytes[0] & 0x80) bytes = Uint8Array.of(0, ...bytes);
  return encodeTlv(0x02, bytes);
}

export function oidValue(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const out: number[] = [];
  const first = arcs[0] * 40n + arcs[1];
  for (const arc of [first, ...arcs.slice(2)]) {
    const chunk: number[] = [];
    let v = arc;
    do {
      chunk.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  return Uint8Array.from(out);
}

export const oid = (dotted: string): Uint8Array => encodeTlv(0x06, oidValue(dotted));
export const algorithm = (dotted: string, parameters?: Uint8Array): Uint8Array => (parameters ? seq(oid(dotted), parameters) : seq(oid(dotted)));
