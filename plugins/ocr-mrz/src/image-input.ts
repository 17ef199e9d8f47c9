/**
 * Decodes a page image into 8-bit pixels as stored (grey or RGB), with the bounds that keep a hostile or broken
 * file from costing unbounded time or memory: the size is read from the header before any
 * pixel is decoded, and a truncated or corrupt file is an error rather than a half-grey page.
 */
import sharp from 'sharp';
import { TesseraError } from '@tessera/sdk';

/** 40 megapixels: a full A4 page at 600 dpi is 35 MP; a passport page at 600 dpi about 6 MP. */
export const MAX_INPUT_PIXELS = 40_000_000;

export interface GreyImage {
  width: number;
  height: number;
  /** One byte per pixel, row-major. */
  data: Uint8Array;
}

/**
 * A decoded page: `channels` interleaved bytes per pixel (1 grey, 2 grey + a leftover band,
 * 3 RGB, 4 RGB + a leftover band). It is not turned grey as a whole: the detector makes its small
 * grey copy straight from it and only the MRZ band is ever made grey at full resolution.
 */
export interface PageRaster {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

function unreadable(reason: string, cause?: unknown): TesseraError {
  return new TesseraError('OCR_MRZ_IMAGE_UNREADABLE', `The image could not be decoded: ${reason}.`, {
    hint: 'Pass a complete PNG or JPEG page image (the file may be truncated or not an image at all).',
    cause,
  });
}

export async function decodePage(bytes: Uint8Array): Promise<PageRaster> {
  if (bytes.length === 0) throw unreadable('the file is empty');
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(input, { limitInputPixels: false }).metadata()); // the header only; the size is judged below
  } catch (error) {
    throw unreadable((error as Error).message.replace(/\.$/, ''), error);
  }
  if (!width || !height) throw unreadable('the header gives no image size');
  if (width * height > MAX_INPUT_PIXELS) {
    throw new TesseraError('OCR_MRZ_IMAGE_TOO_LARGE', `The image is ${width}×${height} pixels; at most ${MAX_INPUT_PIXELS / 1e6} megapixels are read.`, {
      hint: 'Scan the page at 300–600 dpi, or crop it to the document, and try again.',
    });
  }
  try {
    // Decoded as stored (RGB for most scans): libvips' own greyscale conversion goes through a
    // device-independent colour space and costs more than the decode; luma is taken per region later.
    const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' })
      .rotate() // honour an EXIF orientation, as a viewer would show the photo
      .flatten({ background: '#ffffff' }) // a transparent scan is paper, not black
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    throw unreadable((error as Error).message.replace(/\.$/, ''), error);
  }
}
