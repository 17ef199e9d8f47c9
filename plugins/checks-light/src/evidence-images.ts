/**
 * The pictures the light checks leave for the officer and the PDF report: the MRZ band under white
 * light above the same band under IR, and a thumbnail of the UV page. Kept small (a few tens of kB)
 * because they are stored inside the inspection record as data: URLs.
 */
import type { Evidence, PageImage } from '@tessera/sdk';
import { fromPixels, openPage, type Pixels } from './page-images.js';

/** Wide enough to read each MRZ character in the report, small enough to store with every inspection. */
const BAND_WIDTH = 880;
const THUMBNAIL_WIDTH = 360;
const GAP = 8;

/** The white band above the IR band, both scaled to the same width, on a white strip. */
export async function bandComparison(white: Pixels, ir: Pixels, label: string): Promise<Evidence> {
  const width = Math.min(BAND_WIDTH, white.width);
  const [top, bottom] = await Promise.all([white, ir].map((p) => fromPixels(p).resize({ width }).png().toBuffer({ resolveWithObject: true })));
  const data = await fromPixels({ data: Buffer.alloc(width * (top!.info.height + GAP + bottom!.info.height), 255), width, height: top!.info.height + GAP + bottom!.info.height, channels: 1 })
    .composite([
      { input: top!.data, top: 0, left: 0 },
      { input: bottom!.data, top: top!.info.height + GAP, left: 0 },
    ])
    // Sixteen grey levels keep every stroke and make the file several times smaller.
    .png({ compressionLevel: 9, palette: true, colours: 16 })
    .toBuffer();
  return { kind: 'image', label, mediaType: 'image/png', data: new Uint8Array(data) };
}

/** The whole page, small, in its own colours (JPEG: a photograph-like UV glow compresses badly as PNG). */
export async function pageThumbnail(page: PageImage, label: string): Promise<Evidence> {
  const data = await openPage(page).flatten({ background: '#000000' }).resize({ width: Math.min(THUMBNAIL_WIDTH, page.width) }).jpeg({ quality: 80 }).toBuffer();
  return { kind: 'image', label, mediaType: 'image/jpeg', data: new Uint8Array(data) };
}
