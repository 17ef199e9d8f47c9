/**
 * Recognising the image formats eMRTDs store (JPEG, JPEG 2000 as a JP2 file or a bare J2K
 * codestream) from their first bytes, and reading the pixel size from the image headers.
 *
 * DG2 declares the type and size in its own header, but issuers get that wrong often enough
 * (and ISO/IEC 39794-5 makes the size optional) that a viewer should trust the image bytes.
 * Every read is bounds-checked and every loop advances, so hostile bytes cannot hang it.
 */

export type ImageContainer = 'jpeg' | 'jp2' | 'j2k' | 'png' | 'unknown';

const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

export function detectImageContainer(bytes: Uint8Array): ImageContainer {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, JP2_SIGNATURE)) return 'jp2';
  if (startsWith(bytes, [0xff, 0x4f, 0xff, 0x51])) return 'j2k';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  return 'unknown';
}

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  let pos = 2;
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) return undefined;
    const marker = b[pos + 1];
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image / start of scan before any frame header
    const length = u16(b, pos + 2);
    if (length < 2) return undefined;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (pos + 9 > b.length) return undefined;
      return { height: u16(b, pos + 5), width: u16(b, pos + 7) };
    }
    pos += 2 + length;
  }
  return undefined;
}

function jp2Size(b: Uint8Array, start: number, end: number, depth: number): { width: number; height: number } | undefined {
  let pos = start;
  while (pos + 8 <= end) {
    let length = u32(b, pos);
    const type = String.fromCharCode(b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]);
    let header = 8;
    if (length === 1) {
      if (pos + 16 > end) return undefined;
      // XLBox: 64-bit length; anything beyond 2^32 cannot fit in a chip file anyway.
      if (u32(b, pos + 8) !== 0) return undefined;
      length = u32(b, pos + 12);
      header = 16;
    } else if (length === 0) {
      length = end - pos;
    }
    if (length < header || pos + length > end) return undefined;
    if (type === 'ihdr' && length >= header + 8) return { height: u32(b, pos + header), width: u32(b, pos + header + 4) };
    if (type === 'jp2h' && depth === 0) return jp2Size(b, pos + header, pos + length, 1);
    if (type === 'jp2c') return j2kSize(b.subarray(pos + header, pos + length));
    pos += length;
  }
  return undefined;
}

function j2kSize(b: Uint8Array): { width: number; height: number } | undefined {
  // SOC (FF4F) then SIZ (FF51): Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz.
  if (b.length < 22 || u16(b, 0) !== 0xff4f || u16(b, 2) !== 0xff51) return undefined;
  const width = u32(b, 8) - u32(b, 16);
  const height = u32(b, 12) - u32(b, 20);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** Pixel size from the image's own headers, or undefined when it cannot be found. */
export function readImageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  switch (detectImageContainer(bytes)) {
    case 'jpeg':
      return jpegSize(bytes);
    case 'jp2':
      return jp2Size(bytes, 0, bytes.length, 0);
    case 'j2k':
      return j2kSize(bytes);
    case 'png':
      return bytes.length >= 24 ? { width: u32(bytes, 16), height: u32(bytes, 20) } : undefined;
    default:
      return undefined;
  }
}
