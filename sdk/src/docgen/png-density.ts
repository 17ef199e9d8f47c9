/**
 * Records a PNG's resolution. sharp's withMetadata() would record it too, but it also converts to
 * sRGB with an ICC profile, which turns a one-channel IR image back into three. A pHYs chunk is all
 * a reader of the image needs to know the dpi.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Inserts a pHYs chunk (pixels per metre) right after IHDR, where the PNG spec wants it. */
export function withPngDensity(png: Buffer, dpi: number): Buffer {
  const IHDR_END = 8 + 4 + 4 + 13 + 4;
  const chunk = Buffer.alloc(4 + 4 + 9 + 4);
  const ppm = Math.round(dpi / 0.0254);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'ascii');
  chunk.writeUInt32BE(ppm, 8);
  chunk.writeUInt32BE(ppm, 12);
  chunk.writeUInt8(1, 16); // unit: metre
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 17)), 17);
  return Buffer.concat([png.subarray(0, IHDR_END), chunk, png.subarray(IHDR_END)]);
}
