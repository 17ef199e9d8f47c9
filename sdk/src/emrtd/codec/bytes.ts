/**
 * Small byte helpers shared by the eMRTD modules: concatenation, hex in and out for
 * tests, traces and error messages, and big-endian integer writing.
 */

import { TesseraError } from '../../errors.js';

/** Joins byte arrays into one new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Upper-case hex without separators, the way ICAO Doc 9303 prints its worked examples. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += bytes[i].toString(16).padStart(2, '0');
  return out.toUpperCase();
}

/** Parses hex; spaces, colons and line breaks are ignored so spec listings can be pasted as they are. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new TesseraError('EMRTD_HEX_INVALID', `Not an even-length hex string: ${JSON.stringify(hex.slice(0, 40))}`, {
      hint: 'Give pairs of hex digits; spaces and colons are allowed between them.',
    });
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Byte-wise equality; not constant-time (use constantTimeEqual for secrets). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Writes a non-negative integer big-endian into exactly `size` bytes. */
export function uintToBytes(value: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = value;
  for (let i = size - 1; i >= 0; i--) {
    out[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  return out;
}

/** Writes a non-negative integer big-endian in as few bytes as possible (at least one). */
export function uintToMinimalBytes(value: number): Uint8Array {
  let size = 1;
  for (let v = Math.floor(value / 256); v > 0; v = Math.floor(v / 256)) size++;
  return uintToBytes(value, size);
}

/** Reads an unsigned big-endian integer (at most 6 bytes, so it stays exact in a double). */
export function bytesToUint(bytes: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < bytes.length; i++) value = value * 256 + bytes[i];
  return value;
}
