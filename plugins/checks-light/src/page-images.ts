/**
 * The page images a light check works on: finding the page under a given light in a scan, and
 * decoding it with sharp into greyscale or colour pixels, bounded in size. Anything sharp cannot
 * decode becomes LIGHT_IMAGE_UNREADABLE naming the page, so a check reports an error, not a crash.
 */
import sharp, { type Sharp } from 'sharp';
import type { LightSource, PageImage, ScanResult } from '@tessera/sdk';
import { unreadableImage } from './light-errors.js';

/**
 * Larger inputs are refused before decoding: a TD3 page imaged at 1200 dpi is about 25 MP, so
 * 40 MP leaves room for any reader while keeping memory bounded (a 20000×20000 image is 400 MP).
 */
export const MAX_PAGE_PIXELS = 40_000_000;

/** Raw pixels, `channels` bytes each, row by row. */
export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** The page under `light`, preferring the same page as `like` (a reader may image several pages). */
export function pageUnder(scan: ScanResult, light: LightSource, like?: PageImage): PageImage | undefined {
  const under = scan.pages.filter((p) => p.light === light);
  return under.find((p) => p.page === (like?.page ?? 'data-page')) ?? under[0];
}

export function describePage(page: PageImage): string {
  const names: Record<LightSource, string> = { white: 'white-light', ir: 'infrared', uv: 'ultraviolet' };
  return `${names[page.light]} image of the ${page.page}`;
}

export function openPage(page: PageImage): Sharp {
  return sharp(page.data, { limitInputPixels: MAX_PAGE_PIXELS });
}

/** Runs a sharp pipeline on `page`; a decoding failure becomes LIGHT_IMAGE_UNREADABLE. */
export async function decode(page: PageImage, pipeline: (image: Sharp) => Sharp): Promise<Pixels> {
  try {
    const { data, info } = await pipeline(openPage(page)).raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw unreadableImage(describePage(page), error);
  }
}

/** One grey channel: transparency flattened onto white (as paper), colour dropped. */
export function grey(image: Sharp): Sharp {
  return image.flatten({ background: '#ffffff' }).greyscale();
}

/** Wraps raw pixels for the next sharp step; one-channel pixels stay one channel (sharp would widen them to sRGB). */
export function fromPixels(pixels: Pixels): Sharp {
  const image = sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels as 1 | 2 | 3 | 4 } });
  return pixels.channels === 1 ? image.greyscale() : image;
}

export async function toPixels(image: Sharp): Promise<Pixels> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The value below which `fraction` of the one-channel pixels lie (a histogram, not a sort). */
export function percentile(pixels: Pixels, fraction: number, where?: (index: number) => boolean): number {
  const histogram = new Uint32Array(256);
  let total = 0;
  for (let i = 0; i < pixels.data.length; i++) {
    if (where && !where(i)) continue;
    histogram[pixels.data[i]!]!++;
    total++;
  }
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen >= fraction * total && total > 0) return v;
  }
  return 255;
}
