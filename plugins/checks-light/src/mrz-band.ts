/**
 * Where the MRZ lies on the white page, and the same band cut out of any page of the scan (IR),
 * upright. The band comes from, in order: the region the reader reports with the page; our own
 * locator (below); the region the OCR engine reports. Pages of one scan are taken to be imaged in
 * the same position (one camera, the document not moved between lights); a page of another size is
 * scaled to the white one first.
 *
 * The locator handles a document lying askew (±12°) or upside down: it turns a small greyscale copy
 * of the page through a range of angles and keeps the one whose row profile of dark pixels is the
 * sharpest (text lines horizontal); then it looks for two or three long, evenly spaced text lines
 * — the MRZ is the only printing that runs across ~90% of the page width in a block. Upside down,
 * that block is in the upper half, and the band is turned a further 180° so crops read upright.
 */
import type { InspectionOcr, PageImage } from '@tessera/sdk';
import { decode, fromPixels, grey, percentile, toPixels, type Pixels } from './page-images.js';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface MrzBand {
  /** Clockwise degrees (as sharp.rotate) that turn the white page so the MRZ reads upright. */
  angle: number;
  /** The band in the turned page, in its pixels. */
  box: Box;
  /** The white page's size; other pages are scaled to it before turning. */
  pageWidth: number;
  pageHeight: number;
  source: 'reader' | 'located' | 'ocr';
}

/** The locator's working width: enough for MRZ characters to stay a few pixels tall on a TD1. */
const LOCATOR_WIDTH = 640;
/** The angle search needs only the text lines' direction, on a copy half that wide. */
const ANGLE_SEARCH_WIDTH = 320;
/** A pixel is ink when darker than this share of the paper level. */
const INK_SHARE = 0.7;
const COARSE_ANGLES = range(-12, 12, 2);

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(Math.round(v * 100) / 100);
  return out;
}

/** Finds the MRZ band on the white page; null when none of the sources finds one. */
export async function findMrzBand(white: PageImage, ocr: InspectionOcr | undefined): Promise<MrzBand | null> {
  const fromReader = white.regions?.find((r) => r.role === 'mrz');
  if (fromReader) return uprightBand(fromReader, white.width, white.height, 'reader');
  const located = await locateMrzBand(white);
  if (located) return located;
  const reading = ocr ? await ocr.recognize(white).catch(() => null) : null;
  if (reading?.region && reading.lines.length) {
    const { x, y, width, height } = reading.region;
    return uprightBand({ left: x, top: y, width, height }, white.width, white.height, 'ocr');
  }
  return null;
}

/** A box reported on the page as imaged: below the middle the page lies upright, above it upside down. */
function uprightBand(box: Box, pageWidth: number, pageHeight: number, source: MrzBand['source']): MrzBand {
  const upsideDown = box.top + box.height / 2 < pageHeight / 2;
  return { angle: upsideDown ? 180 : 0, box: upsideDown ? turnBox(box, pageWidth, pageHeight) : box, pageWidth, pageHeight, source };
}

/** The same box after a 180° turn of a width × height canvas. */
function turnBox(box: Box, width: number, height: number): Box {
  return { left: width - box.left - box.width, top: height - box.top - box.height, width: box.width, height: box.height };
}

export async function locateMrzBand(white: PageImage): Promise<MrzBand | null> {
  const small = await decode(white, (image) => grey(image).resize({ width: Math.min(LOCATOR_WIDTH, white.width) }));
  const paper = percentile(small, 0.8);
  const inkBelow = paper * INK_SHARE;
  const tiny = await toPixels(fromPixels(small).resize({ width: Math.min(ANGLE_SEARCH_WIDTH, small.width) }));
  const sharpness = async (angle: number) => profileSharpness(rowInk(await turn(tiny, angle, paper), inkBelow));
  let best = await bestOf(COARSE_ANGLES, sharpness);
  best = await bestOf(range(best - 1.5, best + 1.5, 0.5), sharpness);
  const pixels = await turn(small, best, paper);
  const block = mrzBlock(pixels, inkBelow, small.width * Math.cos((best * Math.PI) / 180));
  if (!block) return null;
  // Back to the full page: the turned canvas scales with the page.
  const scale = white.width / small.width;
  const margin = block.lineHeight * 0.7;
  let box: Box = {
    left: Math.max(0, Math.floor((block.left - margin) * scale)),
    top: Math.max(0, Math.floor((block.top - margin) * scale)),
    width: Math.ceil((block.right - block.left + 2 * margin) * scale),
    height: Math.ceil((block.bottom - block.top + 2 * margin) * scale),
  };
  let angle = best;
  if (block.top + block.bottom < pixels.height) {
    angle += 180;
    box = turnBox(box, Math.round(pixels.width * scale), Math.round(pixels.height * scale));
  }
  return { angle, box, pageWidth: white.width, pageHeight: white.height, source: 'located' };
}

async function bestOf(angles: number[], score: (angle: number) => Promise<number>): Promise<number> {
  let best = angles[0]!;
  let bestScore = -Infinity;
  for (const angle of angles) {
    const s = await score(angle);
    if (s > bestScore) [best, bestScore] = [angle, s];
  }
  return best;
}

async function turn(pixels: Pixels, angle: number, background: number): Promise<Pixels> {
  if (angle === 0) return pixels;
  return toPixels(fromPixels(pixels).rotate(angle, { background: { r: background, g: background, b: background } }));
}

function rowInk(pixels: Pixels, inkBelow: number): number[] {
  const rows = new Array<number>(pixels.height).fill(0);
  for (let y = 0; y < pixels.height; y++) {
    let count = 0;
    for (let x = 0, i = y * pixels.width; x < pixels.width; x++, i++) if (pixels.data[i]! < inkBelow) count++;
    rows[y] = count;
  }
  return rows;
}

/** Sum of squared steps between rows: highest when text lines run exactly along the rows. */
function profileSharpness(rows: number[]): number {
  let sum = 0;
  for (let y = 1; y < rows.length; y++) sum += (rows[y]! - rows[y - 1]!) ** 2;
  return sum;
}

interface TextLine {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * The MRZ block in a turned page: the group of 2–3 consecutive long text lines (each covering ≥ 70%
 * of the page width, with ink in ≥ 35% of the columns it spans) that are evenly spaced. With two
 * such groups (a long header line pair), the one nearer the page edge.
 */
function mrzBlock(pixels: Pixels, inkBelow: number, pageWidth: number): (TextLine & { lineHeight: number }) | null {
  const rows = rowInk(pixels, inkBelow);
  const minInk = Math.max(3, pixels.width * 0.02);
  const lines: TextLine[] = [];
  for (let y = 0; y < rows.length; ) {
    if (rows[y]! < minInk) {
      y++;
      continue;
    }
    const top = y;
    while (y < rows.length && rows[y]! >= minInk) y++;
    const line = measureLine(pixels, inkBelow, top, y);
    const height = y - top;
    const long = line.right - line.left >= 0.7 * pageWidth && line.coverage >= 0.35;
    if (long && height >= 3 && height <= pixels.height * 0.1) lines.push(line);
  }
  let best: TextLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const group = [lines[i]!];
    const height = lines[i]!.bottom - lines[i]!.top;
    for (let j = i + 1; j < lines.length && group.length < 3; j++) {
      const previous = group[group.length - 1]!;
      const gap = lines[j]!.top - previous.bottom;
      const similar = Math.abs(lines[j]!.bottom - lines[j]!.top - height) <= Math.max(2, height * 0.4);
      if (gap > 2 * height || !similar) break;
      group.push(lines[j]!);
    }
    const nearerEdge = (g: TextLine[]) => Math.min(g[0]!.top, pixels.height - g[g.length - 1]!.bottom);
    if (group.length >= 2 && (group.length > best.length || (group.length === best.length && nearerEdge(group) < nearerEdge(best)))) best = group;
  }
  if (!best.length) return null;
  return {
    top: best[0]!.top,
    bottom: best[best.length - 1]!.bottom,
    left: Math.min(...best.map((l) => l.left)),
    right: Math.max(...best.map((l) => l.right)),
    lineHeight: (best[best.length - 1]!.bottom - best[0]!.top) / best.length,
  };
}

function measureLine(pixels: Pixels, inkBelow: number, top: number, bottom: number): TextLine & { coverage: number } {
  let left = pixels.width;
  let right = -1;
  let columns = 0;
  for (let x = 0; x < pixels.width; x++) {
    let ink = false;
    for (let y = top; y < bottom && !ink; y++) ink = pixels.data[y * pixels.width + x]! < inkBelow;
    if (!ink) continue;
    columns++;
    left = Math.min(left, x);
    right = x;
  }
  return { top, bottom, left, right: right + 1, coverage: right >= left ? columns / (right + 1 - left) : 0 };
}

/**
 * The band cut out of `page` (white or another light), upright, greyscale. `page` is scaled to the
 * white page's size first when the reader imaged it at another resolution.
 */
export async function cutBand(page: PageImage, band: MrzBand): Promise<Pixels> {
  const pixels = await decode(page, (image) => {
    const greyPage = grey(image);
    return page.width === band.pageWidth && page.height === band.pageHeight ? greyPage : greyPage.resize(band.pageWidth, band.pageHeight, { fit: 'fill' });
  });
  const paper = percentile(pixels, 0.8);
  const turned = await turn(pixels, band.angle, paper);
  const left = Math.min(Math.max(0, band.box.left), turned.width - 1);
  const top = Math.min(Math.max(0, band.box.top), turned.height - 1);
  const box = { left, top, width: Math.min(band.box.width, turned.width - left), height: Math.min(band.box.height, turned.height - top) };
  return toPixels(fromPixels(turned).extract(box));
}
