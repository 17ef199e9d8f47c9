/**
 * Reading ASN.1 values (OIDs, integers, strings, times, AlgorithmIdentifiers) out of the BER-TLV
 * tree the codec builds. The LDS security structures (SecurityInfos, the LDS security object,
 * CMS SignedData, master lists) are ASN.1 in BER/DER, which is BER-TLV with universal tags, so one
 * decoder serves both the ICAO application templates and the ASN.1 inside them. Working on the
 * tree rather than on a typed ASN.1 library keeps the original bytes at hand (`raw` views), which
 * Passive Authentication needs: signed attributes and certificates must be hashed exactly as sent.
 *
 * Every reader takes a context naming the file and the error code to throw, so a wrong tag deep
 * inside EF.SOD surfaces as EMRTD_SOD_MALFORMED with the path of what was being read.
 */

import { TesseraError, isTesseraError } from '../../errors.js';
import { decodeTlvObject, tagToHex, type TlvNode } from '../codec/ber-tlv.js';
import { concatBytes, toHex } from '../codec/bytes.js';
import { LDS_ERROR_CODES, ldsError, relabel, type LdsErrorCode } from './lds-errors.js';

export interface DerContext {
  /** The file or object being read, for messages: 'EF.SOD', 'DG14', 'master list'. */
  file: string;
  /**
   * The code thrown when the structure is wrong: one of the LDS codes, or a caller's own code
   * (e.g. a trust store's), which then needs its `hint`.
   */
  code: LdsErrorCode | (string & {});
  /** Advice for a code that is not an LDS code (LDS codes carry their own). */
  hint?: string;
}

/** ASN.1 universal tags as single-byte BER tags. */
export const ASN1 = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OCTET_STRING_CONSTRUCTED: 0x24,
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

/** Context-specific tag [n], constructed unless told otherwise (n < 31). */
export function contextTag(n: number, constructed = true): number {
  return (constructed ? 0xa0 : 0x80) | n;
}

function isLdsCode(code: string): code is LdsErrorCode {
  return Object.hasOwn(LDS_ERROR_CODES, code);
}

export function fail(ctx: DerContext, message: string, details: Record<string, unknown> = {}): never {
  const text = `${ctx.file}: ${message}`;
  if (isLdsCode(ctx.code) && ctx.hint === undefined) throw ldsError(ctx.code, text, { details: { file: ctx.file, ...details } });
  throw new TesseraError(ctx.code, text, { hint: ctx.hint ?? 'The data is not well-formed ASN.1 (BER/DER); it may be truncated or not the expected file.', details: { file: ctx.file, ...details } });
}

/**
 * Decodes one ASN.1 object from `bytes`. Trailing bytes are an error unless allowed: in a signed
 * structure they would be unsigned data riding along.
 */
export function decodeDer(bytes: Uint8Array, ctx: DerContext, options: { allowTrailing?: boolean; what?: string } = {}): TlvNode {
  let node: TlvNode;
  try {
    node = decodeTlvObject(bytes, 0, { maxDepth: 64 });
  } catch (error) {
    // The codec's own codes (EMRTD_TLV_*) are kept, with the file named; anything else is a bug surfacing on hostile bytes.
    if (isTesseraError(error)) throw relabel(error, ctx.file, 'EMRTD_LDS_MALFORMED');
    fail(ctx, error instanceof Error ? error.message : String(error));
  }
  if (!options.allowTrailing && node.raw.length !== bytes.length) {
    fail(ctx, `${bytes.length - node.raw.length} unexpected byte(s) after the ${options.what ?? 'ASN.1 object'}`, { offset: node.raw.length });
  }
  return node;
}

export function expectTag(node: TlvNode | undefined, tag: number, ctx: DerContext, what: string): TlvNode {
  if (!node) fail(ctx, `${what} is missing`);
  if (node.tag !== tag) fail(ctx, `${what}: expected tag '${tagToHex(tag)}', found '${tagToHex(node.tag)}'`, { offset: node.offset });
  return node;
}

/** The children of a constructed node, with an optional count check. */
export function childrenOf(node: TlvNode, ctx: DerContext, what: string, count?: { min?: number; max?: number }): TlvNode[] {
  if (!node.constructed || !node.children) fail(ctx, `${what} must be constructed`, { offset: node.offset });
  const kids = node.children;
  if (count?.min !== undefined && kids.length < count.min) fail(ctx, `${what} has ${kids.length} element(s), at least ${count.min} expected`);
  if (count?.max !== undefined && kids.length > count.max) fail(ctx, `${what} has ${kids.length} element(s), at most ${count.max} expected`);
  return kids;
}

export function primitiveValue(node: TlvNode, ctx: DerContext, what: string): Uint8Array {
  if (node.constructed) fail(ctx, `${what} must be primitive`, { offset: node.offset });
  return node.value;
}

// The same few dozen OIDs recur in every certificate of a master list; their text is cached.
const oidCache = new Map<string, string>();
const OID_CACHE_LIMIT = 4096;

/** Dotted form of an OBJECT IDENTIFIER's content octets; rejects non-minimal and cut-off arcs. */
export function decodeOid(value: Uint8Array): string | undefined {
  let key = '';
  for (let i = 0; i < value.length; i++) key += String.fromCharCode(value[i]);
  const hit = oidCache.get(key);
  if (hit !== undefined) return hit;
  const dotted = decodeOidUncached(value);
  if (dotted !== undefined && oidCache.size < OID_CACHE_LIMIT) oidCache.set(key, dotted);
  return dotted;
}

function decodeOidUncached(value: Uint8Array): string | undefined {
  if (value.length === 0) return undefined;
  const arcs: bigint[] = [];
  let current = 0n;
  let inArc = false;
  for (let i = 0; i < value.length; i++) {
    const b = value[i];
    if (!inArc && b === 0x80) return undefined; // leading 0x80 = non-minimal sub-identifier
    current = (current << 7n) | BigInt(b & 0x7f);
    inArc = (b & 0x80) !== 0;
    if (!inArc) {
      arcs.push(current);
      current = 0n;
    }
  }
  if (inArc) return undefined;
  const first = arcs[0];
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

export function readOid(node: TlvNode | undefined, ctx: DerContext, what: string): string {
  const n = expectTag(node, ASN1.OID, ctx, what);
  const oid = decodeOid(primitiveValue(n, ctx, what));
  if (oid === undefined) fail(ctx, `${what}: not a valid OBJECT IDENTIFIER encoding (${toHex(n.value.subarray(0, 16))})`, { offset: n.offset });
  return oid;
}

/** The two's-complement content of an INTEGER. */
export function readIntegerBytes(node: TlvNode | undefined, ctx: DerContext, what: string): Uint8Array {
  const n = expectTag(node, ASN1.INTEGER, ctx, what);
  const v = primitiveValue(n, ctx, what);
  if (v.length === 0) fail(ctx, `${what}: INTEGER with no content octets`, { offset: n.offset });
  return v;
}

/**
 * A small non-negative INTEGER (versions, counts, key references, parameter ids). Anything that
 * does not fit 48 bits is refused rather than silently rounded.
 */
export function readSmallInt(node: TlvNode | undefined, ctx: DerContext, what: string): number {
  const v = readIntegerBytes(node, ctx, what);
  if (v[0] & 0x80) fail(ctx, `${what}: negative INTEGER where a non-negative one is required`);
  let start = 0;
  while (start < v.length - 1 && v[start] === 0) start++;
  if (v.length - start > 6) fail(ctx, `${what}: INTEGER too large (${v.length} bytes)`);
  let value = 0;
  for (let i = start; i < v.length; i++) value = value * 256 + v[i];
  return value;
}

/** The magnitude of a non-negative INTEGER without the sign-padding zero (moduli, serial numbers). */
export function unsignedMagnitude(v: Uint8Array): Uint8Array {
  let start = 0;
  while (start < v.length - 1 && v[start] === 0) start++;
  return v.subarray(start);
}

/** OCTET STRING content; a BER constructed OCTET STRING is reassembled from its segments. */
export function readOctets(node: TlvNode | undefined, ctx: DerContext, what: string): Uint8Array {
  if (!node) fail(ctx, `${what} is missing`);
  if (node.tag === ASN1.OCTET_STRING && !node.constructed) return node.value;
  if (node.tag === ASN1.OCTET_STRING_CONSTRUCTED) {
    const parts = (node.children ?? []).map((child, i) => readOctets(child, ctx, `${what} segment ${i + 1}`));
    return concatBytes(...parts);
  }
  return fail(ctx, `${what}: expected an OCTET STRING, found tag '${tagToHex(node.tag)}'`, { offset: node.offset });
}

/** BIT STRING content without the unused-bits octet (only whole-octet strings are meaningful here). */
export function readBitStringBytes(node: TlvNode | undefined, ctx: DerContext, what: string): Uint8Array {
  return readBitString(node, ctx, what).bytes;
}

/** BIT STRING content and its count of unused bits in the last octet (key usage flags need both). */
export function readBitString(node: TlvNode | undefined, ctx: DerContext, what: string): { bytes: Uint8Array; unusedBits: number } {
  const n = expectTag(node, ASN1.BIT_STRING, ctx, what);
  const v = primitiveValue(n, ctx, what);
  if (v.length === 0 || v[0] > 7 || (v.length === 1 && v[0] !== 0)) fail(ctx, `${what}: invalid BIT STRING`, { offset: n.offset });
  return { bytes: v.subarray(1), unusedBits: v[0] };
}

/** A signed INTEGER of any size, as a bigint. */
export function readBigInt(node: TlvNode | undefined, ctx: DerContext, what: string): bigint {
  const v = readIntegerBytes(node, ctx, what);
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return v[0] & 0x80 ? n - (1n << BigInt(8 * v.length)) : n;
}

export function readBoolean(node: TlvNode | undefined, ctx: DerContext, what: string): boolean {
  const v = primitiveValue(expectTag(node, ASN1.BOOLEAN, ctx, what), ctx, what);
  if (v.length !== 1) fail(ctx, `${what}: BOOLEAN must be one octet`);
  return v[0] !== 0;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Any of the ASN.1 character string types found in certificates and LDS structures. */
export function readString(node: TlvNode | undefined, ctx: DerContext, what: string): string {
  if (!node) fail(ctx, `${what} is missing`);
  const v = primitiveValue(node, ctx, what);
  switch (node.tag) {
    case ASN1.UTF8_STRING:
      try {
        return utf8.decode(v);
      } catch {
        return fail(ctx, `${what}: invalid UTF-8`);
      }
    case ASN1.PRINTABLE_STRING:
    case ASN1.IA5_STRING:
    case ASN1.NUMERIC_STRING:
    case ASN1.VISIBLE_STRING:
    case ASN1.TELETEX_STRING:
      return latin1.decode(v);
    case ASN1.BMP_STRING: {
      if (v.length % 2) fail(ctx, `${what}: BMPString of odd length`);
      let s = '';
      for (let i = 0; i < v.length; i += 2) s += String.fromCharCode((v[i] << 8) | v[i + 1]);
      return s;
    }
    case ASN1.UNIVERSAL_STRING: {
      if (v.length % 4) fail(ctx, `${what}: UniversalString length not a multiple of 4`);
      let s = '';
      for (let i = 0; i < v.length; i += 4) s += String.fromCodePoint(((v[i] << 24) | (v[i + 1] << 16) | (v[i + 2] << 8) | v[i + 3]) >>> 0);
      return s;
    }
    default:
      return fail(ctx, `${what}: expected a character string, found tag '${tagToHex(node.tag)}'`);
  }
}

/**
 * UTCTime (RFC 5280 windowing: YY < 50 is 20YY) or GeneralizedTime, as a Date. `asTag` reads an
 * implicitly tagged time ('[0] IMPLICIT GeneralizedTime' in PrivateKeyUsagePeriod) as that type.
 */
export function readTime(node: TlvNode | undefined, ctx: DerContext, what: string, asTag?: typeof ASN1.UTC_TIME | typeof ASN1.GENERALIZED_TIME): Date {
  if (!node) fail(ctx, `${what} is missing`);
  // Times are a dozen ASCII characters, read in bulk from certificates: a plain loop beats a TextDecoder call.
  const value = primitiveValue(node, ctx, what);
  let text = '';
  for (let i = 0; i < value.length; i++) text += String.fromCharCode(value[i]);
  const tag = asTag ?? node.tag;
  let m: RegExpMatchArray | null;
  let year: number;
  if (tag === ASN1.UTC_TIME) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(text);
    if (!m) fail(ctx, `${what}: invalid UTCTime ${JSON.stringify(text)}`);
    const yy = Number(m[1]);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
  } else if (tag === ASN1.GENERALIZED_TIME) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{4})?$/.exec(text);
    if (!m) fail(ctx, `${what}: invalid GeneralizedTime ${JSON.stringify(text)}`);
    year = Number(m[1]);
  } else {
    return fail(ctx, `${what}: expected a time, found tag '${tagToHex(node.tag)}'`);
  }
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const zone = m[7];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  const date = new Date(ms);
  if (Number.isNaN(date.getTime()) || month < 1 || month > 12 || day < 1 || day > 31) fail(ctx, `${what}: impossible date ${JSON.stringify(text)}`);
  return date;
}

export interface RawAlgorithmIdentifier {
  oid: string;
  /** The DER of the parameters field as sent (absent when the field is omitted). */
  parameters?: Uint8Array;
  /** The parameters' node, for structured reading. */
  parametersNode?: TlvNode;
}

export function readAlgorithmIdentifier(node: TlvNode | undefined, ctx: DerContext, what: string): RawAlgorithmIdentifier {
  const seq = expectTag(node, ASN1.SEQUENCE, ctx, what);
  const kids = childrenOf(seq, ctx, what, { min: 1, max: 2 });
  const oid = readOid(kids[0], ctx, `${what} algorithm`);
  return kids[1] ? { oid, parameters: kids[1].raw, parametersNode: kids[1] } : { oid };
}

/** Short names of distinguished-name attributes, as RFC 4514 and OpenSSL print them. */
export const NAME_ATTRIBUTES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/**
 * A distinguished name as "C=DE, O=..., CN=..." in encoding order, for messages and for matching
 * a SignerInfo to its certificate by eye. Matching in code should compare the DER instead.
 */
export function formatName(node: TlvNode, ctx: DerContext, what: string): string {
  const rdns = childrenOf(expectTag(node, ASN1.SEQUENCE, ctx, what), ctx, what);
  const parts: string[] = [];
  for (const rdn of rdns) {
    for (const atv of childrenOf(expectTag(rdn, ASN1.SET, ctx, `${what} RDN`), ctx, `${what} RDN`)) {
      const [type, value] = childrenOf(expectTag(atv, ASN1.SEQUENCE, ctx, `${what} attribute`), ctx, `${what} attribute`, { min: 2, max: 2 });
      const oid = readOid(type, ctx, `${what} attribute type`);
      let text: string;
      try {
        text = readString(value, ctx, `${what} attribute value`);
      } catch {
        text = `#${toHex(value.raw)}`;
      }
      parts.push(`${NAME_ATTRIBUTES[oid] ?? oid}=${text}`);
    }
  }
  return parts.join(', ');
}

/**
 * One decoded ASN.1 value with the readers above as methods, so code that walks deep X.509 and CMS
 * structures (a trust store reading hundreds of certificates) reads like the ASN.1 it follows:
 * `cert.child(0, 'tbsCertificate').expect(ASN1.SEQUENCE, 'TBSCertificate')`. Every failure is the
 * context's error, naming what was being read. Child wrappers are made on first access.
 */
export class DerNode {
  private kids: DerNode[] | undefined;

  constructor(
    readonly node: TlvNode,
    readonly ctx: DerContext,
  ) {}

  get tag(): number {
    return this.node.tag;
  }
  get constructed(): boolean {
    return this.node.constructed;
  }
  get indefinite(): boolean {
    return this.node.indefinite;
  }
  /** The content octets (for a constructed value: its children's encodings); a view, not a copy. */
  get value(): Uint8Array {
    return this.node.value;
  }
  /** The whole encoding as sent, tag to last byte: what signatures and hashes are computed over. */
  get raw(): Uint8Array {
    return this.node.raw;
  }

  get children(): DerNode[] {
    if (this.kids) return this.kids;
    const kids = this.node.children;
    if (!this.node.constructed || !kids) fail(this.ctx, `tag '${tagToHex(this.node.tag)}' must be constructed`, { offset: this.node.offset });
    this.kids = kids.map((kid) => new DerNode(kid, this.ctx));
    return this.kids;
  }

  child(index: number, what = `element ${index + 1}`): DerNode {
    const kid = this.children[index];
    if (!kid) fail(this.ctx, `${what} is missing (element ${index + 1} of tag '${tagToHex(this.node.tag)}')`, { offset: this.node.offset });
    return kid;
  }

  /** Asserts the tag and returns this node. */
  expect(tag: number, what: string): this {
    expectTag(this.node, tag, this.ctx, what);
    return this;
  }

  oid(what = 'OBJECT IDENTIFIER'): string {
    return readOid(this.node, this.ctx, what);
  }
  /** OCTET STRING content, BER segments joined. */
  octets(what = 'OCTET STRING'): Uint8Array {
    return readOctets(this.node, this.ctx, what);
  }
  bits(what = 'BIT STRING'): { bytes: Uint8Array; unusedBits: number } {
    return readBitString(this.node, this.ctx, what);
  }
  /** INTEGER magnitude without sign-padding zeros (serial numbers, moduli). */
  integerBytes(what = 'INTEGER'): Uint8Array {
    return unsignedMagnitude(readIntegerBytes(this.node, this.ctx, what));
  }
  bigint(what = 'INTEGER'): bigint {
    return readBigInt(this.node, this.ctx, what);
  }
  smallInt(what = 'INTEGER'): number {
    return readSmallInt(this.node, this.ctx, what);
  }
  boolean(what = 'BOOLEAN'): boolean {
    return readBoolean(this.node, this.ctx, what);
  }
  time(what = 'time', asTag?: typeof ASN1.UTC_TIME | typeof ASN1.GENERALIZED_TIME): Date {
    return readTime(this.node, this.ctx, what, asTag);
  }
  text(what = 'string'): string {
    return readString(this.node, this.ctx, what);
  }
}

/** Decodes one complete ASN.1 value (trailing bytes refused unless allowed) as a DerNode. */
export function parseDer(bytes: Uint8Array, ctx: DerContext, options: { allowTrailing?: boolean; what?: string } = {}): DerNode {
  return new DerNode(decodeDer(bytes, ctx, options), ctx);
}
