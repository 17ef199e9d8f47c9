/**
 * BER-TLV as ISO/IEC 7816-4 and ICAO Doc 9303 use it: the LDS data groups, EF.COM, EF.SOD's
 * outer wrapper, secure-messaging data objects and the PACE/CA dynamic authentication data.
 *
 * The decoder reads bytes that come off a chip we do not trust yet, so it is defensive: every
 * declared length is checked against the bytes actually there, nesting depth is bounded, each
 * object consumes at least two bytes (so no input can make it loop), and the only thing it
 * throws is a TesseraError. Decoded values are views into the input (no copies), because data
 * groups carry images of tens of kilobytes and are parsed more than once.
 */

import { TesseraError } from '../../errors.js';
import { concatBytes, uintToMinimalBytes } from './bytes.js';

/**
 * A tag is kept as the integer of its bytes, so the spec's notation carries over directly:
 * '5F1F' is 0x5f1f, '7F61' is 0x7f61, '61' is 0x61.
 */
export type TlvTag = number;

export interface TlvHeader {
  tag: TlvTag;
  /** Bit 6 of the first tag byte: the value is itself a sequence of TLV objects. */
  constructed: boolean;
  /** Bytes taken by the tag and the length field. */
  headerLength: number;
  /** Length of the value in bytes; null for the indefinite form ('80' … '00 00'). */
  length: number | null;
}

export interface TlvNode {
  tag: TlvTag;
  constructed: boolean;
  /** True when the object used the indefinite length form. */
  indefinite: boolean;
  /** Offset of the first tag byte within the decoded buffer. */
  offset: number;
  headerLength: number;
  /** Length of `value` (for the indefinite form, without the end-of-contents marker). */
  length: number;
  /** The value bytes; a view into the decoded buffer. */
  value: Uint8Array;
  /** The whole encoding, tag to last byte (end-of-contents included); a view into the decoded buffer. */
  raw: Uint8Array;
  /** Present for constructed objects: the objects inside the value, in order. */
  children?: TlvNode[];
}

export interface TlvDecodeOptions {
  /** Deepest nesting accepted, counting top-level objects as depth 1. Default 32; capped at 256. */
  maxDepth?: number;
}

/** Deep enough for every LDS structure (DG2's biometric templates nest about 5 deep). */
export const DEFAULT_MAX_TLV_DEPTH = 32;
const HARD_MAX_DEPTH = 256;
/** ICAO and ISO 7816-4 never use more than 3 tag bytes; 4 is the most a 32-bit tag number holds. */
const MAX_TAG_BYTES = 4;
/** Lengths beyond 2^32 - 1 cannot describe anything a chip holds. */
const MAX_LENGTH_BYTES = 4;

/** '5F1F'-style display of a tag, for messages. */
export function tagToHex(tag: TlvTag): string {
  const hex = tag.toString(16).toUpperCase();
  return hex.length % 2 === 0 ? hex : `0${hex}`;
}

function truncated(message: string, offset: number): TesseraError {
  return new TesseraError('EMRTD_TLV_TRUNCATED', message, {
    hint: 'The data ends before a declared length says it should; the file was read only in part or is corrupt.',
    details: { offset },
  });
}

function readTag(bytes: Uint8Array, offset: number, end: number): { tag: TlvTag; size: number } {
  if (offset >= end) throw truncated(`TLV tag expected at offset ${offset}, but the data ends there`, offset);
  const first = bytes[offset];
  if ((first & 0x1f) !== 0x1f) return { tag: first, size: 1 };
  let tag = first;
  let size = 1;
  for (;;) {
    if (offset + size >= end) throw truncated(`Multi-byte TLV tag at offset ${offset} is cut off`, offset);
    const b = bytes[offset + size];
    tag = tag * 256 + b;
    size++;
    if ((b & 0x80) === 0) break;
    if (size >= MAX_TAG_BYTES) {
      throw new TesseraError('EMRTD_TLV_TAG_INVALID', `TLV tag at offset ${offset} is longer than ${MAX_TAG_BYTES} bytes`, {
        hint: 'No ICAO or ISO 7816 structure uses such tags; the data is corrupt or not BER-TLV.',
        details: { offset },
      });
    }
  }
  return { tag, size };
}

function readHeaderWithin(bytes: Uint8Array, offset: number, end: number): TlvHeader {
  const { tag, size } = readTag(bytes, offset, end);
  const constructed = (bytes[offset] & 0x20) !== 0;
  const lengthOffset = offset + size;
  if (lengthOffset >= end) throw truncated(`TLV length expected at offset ${lengthOffset}, but the data ends there`, lengthOffset);
  const first = bytes[lengthOffset];
  if (first < 0x80) return { tag, constructed, headerLength: size + 1, length: first };
  if (first === 0x80) {
    if (!constructed) {
      throw new TesseraError('EMRTD_TLV_LENGTH_INVALID', `Primitive TLV '${tagToHex(tag)}' at offset ${offset} uses the indefinite length form`, {
        hint: 'Only constructed objects may use the indefinite form; the data is corrupt.',
        details: { offset, tag },
      });
    }
    return { tag, constructed, headerLength: size + 1, length: null };
  }
  const count = first & 0x7f;
  if (count > MAX_LENGTH_BYTES) {
    throw new TesseraError('EMRTD_TLV_LENGTH_INVALID', `TLV '${tagToHex(tag)}' at offset ${offset} has a ${count}-byte length field`, {
      hint: `Lengths take at most ${MAX_LENGTH_BYTES} bytes here; the data is corrupt or hostile.`,
      details: { offset, tag },
    });
  }
  if (lengthOffset + count >= end) throw truncated(`TLV '${tagToHex(tag)}' at offset ${offset}: its length field is cut off`, offset);
  let length = 0;
  for (let i = 1; i <= count; i++) length = length * 256 + bytes[lengthOffset + i];
  return { tag, constructed, headerLength: size + 1 + count, length };
}

/**
 * Reads only the tag and length of the object at `offset`. The eMRTD reader uses it on the
 * first few bytes of a file to learn how long the whole file is before reading the rest.
 */
export function decodeTlvHeader(bytes: Uint8Array, offset = 0): TlvHeader {
  return readHeaderWithin(bytes, offset, bytes.length);
}

function parseObject(bytes: Uint8Array, offset: number, end: number, depth: number, maxDepth: number): TlvNode {
  if (depth > maxDepth) {
    throw new TesseraError('EMRTD_TLV_TOO_DEEP', `TLV objects nest deeper than ${maxDepth} levels (at offset ${offset})`, {
      hint: 'No genuine eMRTD structure nests this deep; the data is corrupt or hostile.',
      details: { offset, maxDepth },
    });
  }
  if (bytes[offset] === 0x00 && offset + 1 < end && bytes[offset + 1] === 0x00) {
    throw new TesseraError('EMRTD_TLV_TAG_INVALID', `Unexpected end-of-contents marker at offset ${offset}`, {
      hint: "'00 00' may only close an indefinite-length object.",
      details: { offset },
    });
  }
  const header = readHeaderWithin(bytes, offset, end);
  const contentStart = offset + header.headerLength;
  if (header.length !== null) {
    const contentEnd = contentStart + header.length;
    if (contentEnd > end) {
      throw truncated(
        `TLV '${tagToHex(header.tag)}' at offset ${offset} declares ${header.length} value bytes, but only ${end - contentStart} follow`,
        offset,
      );
    }
    const node = new DecodedTlv(bytes, header.tag, header.constructed, false, offset, header.headerLength, header.length, contentEnd);
    if (header.constructed) node.children = parseSequence(bytes, contentStart, contentEnd, depth + 1, maxDepth);
    return node;
  }
  // Indefinite form: the end is only known by parsing the children up to the '00 00' marker.
  const children: TlvNode[] = [];
  let pos = contentStart;
  for (;;) {
    if (pos + 1 < end && bytes[pos] === 0x00 && bytes[pos + 1] === 0x00) break;
    if (pos >= end) throw truncated(`Indefinite-length TLV '${tagToHex(header.tag)}' at offset ${offset} has no end-of-contents marker`, offset);
    const child = parseObject(bytes, pos, end, depth + 1, maxDepth);
    children.push(child);
    pos = endOf(child);
  }
  const node = new DecodedTlv(bytes, header.tag, true, true, offset, header.headerLength, pos - contentStart, pos + 2);
  node.children = children;
  return node;
}

/**
 * A decoded object. `value` and `raw` are views made on first use: a master list decodes to tens
 * of thousands of objects, most of whose bytes are never looked at, and a view costs more to make
 * than the rest of the object.
 */
class DecodedTlv implements TlvNode {
  children?: TlvNode[];
  private valueView: Uint8Array | undefined;
  private rawView: Uint8Array | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    readonly tag: TlvTag,
    readonly constructed: boolean,
    readonly indefinite: boolean,
    readonly offset: number,
    readonly headerLength: number,
    readonly length: number,
    /** Offset just past the encoding (end-of-contents included). */
    readonly end: number,
  ) {}

  get value(): Uint8Array {
    const start = this.offset + this.headerLength;
    return (this.valueView ??= this.bytes.subarray(start, start + this.length));
  }

  get raw(): Uint8Array {
    return (this.rawView ??= this.bytes.subarray(this.offset, this.end));
  }
}

function endOf(node: TlvNode): number {
  return node instanceof DecodedTlv ? node.end : node.offset + node.raw.length;
}

function parseSequence(bytes: Uint8Array, start: number, end: number, depth: number, maxDepth: number): TlvNode[] {
  const nodes: TlvNode[] = [];
  let pos = start;
  while (pos < end) {
    const node = parseObject(bytes, pos, end, depth, maxDepth);
    nodes.push(node);
    pos = endOf(node);
  }
  return nodes;
}

function depthOption(options: TlvDecodeOptions | undefined): number {
  const requested = options?.maxDepth ?? DEFAULT_MAX_TLV_DEPTH;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new TesseraError('EMRTD_TLV_OPTIONS_INVALID', `maxDepth must be a positive integer, got ${String(requested)}`);
  }
  return Math.min(requested, HARD_MAX_DEPTH);
}

/** Decodes every TLV object in `bytes` (a concatenation of objects) into trees. Empty input gives []. */
export function decodeTlv(bytes: Uint8Array, options?: TlvDecodeOptions): TlvNode[] {
  return parseSequence(bytes, 0, bytes.length, 1, depthOption(options));
}

/**
 * Decodes the one object starting at `offset`. Bytes after it are ignored (check
 * `node.offset + node.raw.length` when they matter), since files read with a rounded-up
 * length may carry trailing bytes.
 */
export function decodeTlvObject(bytes: Uint8Array, offset = 0, options?: TlvDecodeOptions): TlvNode {
  return parseObject(bytes, offset, bytes.length, 1, depthOption(options));
}

function* walk(nodes: readonly TlvNode[]): Generator<TlvNode> {
  for (const node of nodes) {
    yield node;
    if (node.children) yield* walk(node.children);
  }
}

/** The first object with `tag`, searching depth-first in document order (the nodes themselves included). */
export function findTlv(nodes: TlvNode | readonly TlvNode[], tag: TlvTag): TlvNode | undefined {
  for (const node of walk(Array.isArray(nodes) ? nodes : [nodes as TlvNode])) if (node.tag === tag) return node;
  return undefined;
}

/** Every object with `tag`, depth-first in document order. */
export function findAllTlv(nodes: TlvNode | readonly TlvNode[], tag: TlvTag): TlvNode[] {
  const found: TlvNode[] = [];
  for (const node of walk(Array.isArray(nodes) ? nodes : [nodes as TlvNode])) if (node.tag === tag) found.push(node);
  return found;
}

function tagInvalid(tag: TlvTag, why: string): TesseraError {
  return new TesseraError('EMRTD_TLV_TAG_INVALID', `Cannot encode tag ${Number.isInteger(tag) && tag >= 0 ? `'${tagToHex(tag)}'` : String(tag)}: ${why}`, {
    hint: "Write tags as the integer of their bytes, e.g. 0x5f1f for '5F1F'.",
  });
}

/** Encodes a tag number into its bytes, checking that the bytes form one well-formed BER tag. */
export function encodeTag(tag: TlvTag): Uint8Array {
  if (!Number.isInteger(tag) || tag <= 0 || tag > 0xffffffff) throw tagInvalid(tag, 'not an integer in 1..FFFFFFFF');
  const bytes = uintToMinimalBytes(tag);
  const multiByte = (bytes[0] & 0x1f) === 0x1f;
  if (bytes.length === 1) {
    if (multiByte) throw tagInvalid(tag, 'the first byte announces further tag bytes');
    return bytes;
  }
  if (!multiByte) throw tagInvalid(tag, 'the first byte does not announce further tag bytes');
  for (let i = 1; i < bytes.length; i++) {
    const more = (bytes[i] & 0x80) !== 0;
    if (more !== (i < bytes.length - 1)) throw tagInvalid(tag, 'bit 8 of the subsequent bytes must be set on all but the last');
  }
  return bytes;
}

/** Encodes a definite length in the shortest form (short form below 128, else '81'…'84'). */
export function encodeLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
    throw new TesseraError('EMRTD_TLV_LENGTH_INVALID', `Cannot encode TLV length ${String(length)}`, {
      hint: 'Lengths are integers from 0 to 2^32 - 1.',
    });
  }
  if (length < 0x80) return Uint8Array.of(length);
  const bytes = uintToMinimalBytes(length);
  return concatBytes(Uint8Array.of(0x80 | bytes.length), bytes);
}

/**
 * Encodes one TLV object in definite form. Pass the value bytes, or for a constructed tag the
 * children: already encoded objects (Uint8Array) or decoded nodes (their raw bytes are reused).
 */
export function encodeTlv(tag: TlvTag, content: Uint8Array | readonly (Uint8Array | TlvNode)[]): Uint8Array {
  const tagBytes = encodeTag(tag);
  let value: Uint8Array;
  if (content instanceof Uint8Array) {
    value = content;
  } else {
    if ((tagBytes[0] & 0x20) === 0) throw tagInvalid(tag, 'children given for a primitive tag');
    value = concatBytes(...content.map((c) => (c instanceof Uint8Array ? c : c.raw)));
  }
  return concatBytes(tagBytes, encodeLength(value.length), value);
}
