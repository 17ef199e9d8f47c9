/**
 * Decodes a page image into 8-bit grey pixels, with the bounds that keep a hostile or broken
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

function unreadable(reason: string, cause?: unknown): TesseraError {
  return new TesseraError('OCR_MRZ_IMAGE_UNREADABLE', `The image could not be decoded: ${reason}.`, {
    hint: 'Pass a complete PNG or JPEG page image (the file may be truncated or not an image at all).',
    cause,
  });
}

export async function decodeGrey(bytes: Uint8Array): Promise<GreyImage> {
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
    const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' })
      .rotate() // honour an EXIF orientation, as a viewer would show the photo
      .flatten({ background: '#ffffff' }) // a transparent scan is paper, not black
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    throw unreadable((error as Error).message.replace(/\.$/, ''), error);
  }
}
