/**
 * Finds the MRZ on a full page: estimates the page's skew from the projection profile of its
 * ink, then looks, in the deskewed frame, for groups of 2 or 3 long, dense text lines of equal
 * height at the MRZ's line spacing. Works on a downscaled copy (at most DETECTION_SIDE pixels
 * on the long side), so its cost does not grow with the scan resolution.
 *
 * The skew estimate is modulo 180°: an upside-down page deskews like an upright one, and the
 * reader decides the orientation by recognising the band both ways round.
 */
import { boxMean, greyView } from './grey-ops.js';
import type { PageRaster } from './image-input.js';

/** The detector works on a copy shrunk by a whole factor to at most this many pixels on the long side. */
const DETECTION_SIDE = 800;
/** Half-width of the background estimate on that copy (a gaussian of σ ≈ 7 px, as a box). */
const BACKGROUND_RADIUS = 12;

/** One MRZ line candidate, in original-image pixels, in the deskewed frame (see `toImage`). */
export interface LineBox {
  /** Left and right end of the line's ink along the text direction. */
  start: number;
  end: number;
  /** Top of the capitals and the baseline, across the text direction. */
  top: number;
  bottom: number;
}

export interface MrzBand {
  lines: LineBox[];
  /** Estimated character height in original pixels (≈ the pitch for OCR-B). */
  charHeight: number;
  /** Centre of the band, as a fraction of the page height (an MRZ near the top suggests an upside-down page). */
  verticalPosition: number;
  /** Axis-aligned box around the band in the original image. */
  region: { x: number; y: number; width: number; height: number };
}

export interface BandDetection {
  /** Skew of the text lines, radians (positive: lines descend to the right). */
  angle: number;
  bands: MrzBand[];
  /** Text lines seen, for a "no MRZ" reason. */
  textLines: number;
}

/** Deskewed-frame coordinates (x along the text, y across) to image coordinates, for a skew angle. */
export function toImage(angle: number, x: number, y: number): { x: number; y: number } {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return { x: x * c - y * s, y: x * s + y * c };
}

interface InkPixels {
  xs: Float32Array;
  ys: Float32Array;
  count: number;
}

/** Dark-on-light detail: how much darker each pixel is than its surroundings, thresholded. */
function inkPixels(page: PageRaster, shrink: number): { ink: InkPixels; width: number; height: number } {
  const small = greyView(page, shrink, undefined, true).image;
  const { width, height } = small;
  // A box mean about a character and a half wide: paper level around the text, ink subtracted from it.
  const background = boxMean(small, BACKGROUND_RADIUS);
  const darkness = new Uint8Array(width * height);
  const histogram = new Uint32Array(256);
  for (let i = 0; i < darkness.length; i++) {
    const d = Math.max(0, background[i] - small.data[i]);
    darkness[i] = d;
    histogram[d]++;
  }
  // Threshold relative to the darkest detail on the page, so low-contrast and glare-veiled pages still show ink.
  let seen = 0;
  let p995 = 255;
  for (let v = 255; v >= 0; v--) {
    seen += histogram[v];
    if (seen >= darkness.length * 0.005) {
      p995 = v;
      break;
    }
  }
  const threshold = Math.max(6, p995 * 0.3);
  let count = 0;
  for (let i = 0; i < darkness.length; i++) if (darkness[i] >= threshold) count++;
  const xs = new Float32Array(count);
  const ys = new Float32Array(count);
  let k = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (darkness[y * width + x] >= threshold) {
        xs[k] = x;
        ys[k] = y;
        k++;
      }
    }
  }
  return { ink: { xs, ys, count }, width, height };
}

/** Sum of squares of the row profile at `angle`: highest when the text lines are level. */
function profileSharpness(ink: InkPixels, angle: number, offset: number, bins: Float64Array): number {
  bins.fill(0);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  for (let i = 0; i < ink.count; i++) {
    const y = Math.round(-ink.xs[i] * s + ink.ys[i] * c + offset);
    bins[y]++;
  }
  let sum = 0;
  for (let i = 0; i < bins.length; i++) sum += bins[i] * bins[i];
  return sum;
}

/** Every k-th ink pixel, so that about `wanted` remain (all of them when there are fewer). */
function sampleInk(all: InkPixels, wanted: number): InkPixels {
  const stride = Math.max(1, Math.floor(all.count / wanted));
  if (stride === 1) return all;
  const count = Math.ceil(all.count / stride);
  const xs = new Float32Array(count);
  const ys = new Float32Array(count);
  for (let i = 0, k = 0; k < count; i += stride, k++) {
    xs[k] = all.xs[i];
    ys[k] = all.ys[i];
  }
  return { xs, ys, count };
}

function estimateSkew(all: InkPixels, width: number, height: number): number {
  // A fixed sample of the ink is plenty for the profile and keeps a dense page cheap.
  // The coarse search over ±14° only has to land within a degree: a smaller sample does.
  const coarseInk = sampleInk(all, 8000);
  const ink = sampleInk(all, 25000);
  const offset = width + 2;
  const bins = new Float64Array(width + height + 2 * offset);
  const degrees = Math.PI / 180;
  let best = 0;
  let bestScore = -1;
  for (let a = -14; a <= 14; a += 1) {
    const score = profileSharpness(coarseInk, a * degrees, offset, bins);
    if (score > bestScore) [best, bestScore] = [a, score];
  }
  // Then to a quarter of a degree, and to a twentieth, each step on more of the ink.
  for (const [step, span, sample] of [[0.25, 1, sampleInk(all, 12000)], [0.05, 0.2, ink]] as const) {
    const centre = best;
    bestScore = -1;
    for (let a = centre - span; a <= centre + span + 1e-9; a += step) {
      const score = profileSharpness(sample, a * degrees, offset, bins);
      if (score > bestScore) [best, bestScore] = [a, score];
    }
  }
  return best * degrees;
}

interface TextLine {
  top: number;
  bottom: number;
  start: number;
  end: number;
}

/** Long runs of ink along the rows of a band, split where a gap is wider than `maxGap`. */
function segmentsOf(columns: Uint16Array, maxGap: number, minInkColumns: number): Array<{ start: number; end: number; filled: number }> {
  const out: Array<{ start: number; end: number; filled: number }> = [];
  let start = -1;
  let last = -1;
  let filled = 0;
  for (let x = 0; x <= columns.length; x++) {
    const on = x < columns.length && columns[x] >= minInkColumns;
    if (on) {
      if (start < 0) {
        start = x;
        filled = 0;
      } else if (x - last > maxGap) {
        out.push({ start, end: last, filled });
        start = x;
        filled = 0;
      }
      last = x;
      filled++;
    }
  }
  if (start >= 0) out.push({ start, end: last, filled });
  return out;
}

function findTextLines(ink: InkPixels, angle: number, width: number, height: number): TextLine[] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const offsetY = width + 2;
  const size = width + height + 2 * offsetY;
  const rows = new Float64Array(size);
  const ry = new Int32Array(ink.count);
  const rx = new Int32Array(ink.count);
  for (let i = 0; i < ink.count; i++) {
    ry[i] = Math.round(-ink.xs[i] * s + ink.ys[i] * c + offsetY);
    rx[i] = Math.round(ink.xs[i] * c + ink.ys[i] * s + offsetY);
    rows[ry[i]]++;
  }
  let max = 0;
  for (const v of rows) max = Math.max(max, v);
  if (max === 0) return [];
  // Rows of a text line: above a fraction of the densest row; the MRZ lines are the densest on a data page.
  const high = max * 0.12;
  const low = max * 0.04;
  const bands: Array<[number, number]> = [];
  for (let y = 0; y < size; y++) {
    if (rows[y] < high) continue;
    let top = y;
    while (top > 0 && rows[top - 1] >= low) top--;
    let bottom = y;
    while (bottom + 1 < size && rows[bottom + 1] >= low) bottom++;
    bands.push([top, bottom]);
    y = bottom;
  }
  // Index the ink by row once, then measure each band's horizontal runs.
  const order = Array.from(ry.keys()).sort((a, b) => ry[a] - ry[b]);
  const lines: TextLine[] = [];
  let cursor = 0;
  for (const [top, bottom] of bands) {
    const h = bottom - top + 1;
    if (h < 4) continue;
    const columns = new Uint16Array(size);
    while (cursor < order.length && ry[order[cursor]] < top) cursor++;
    let k = cursor;
    while (k < order.length && ry[order[k]] <= bottom) columns[rx[order[k++]]]++;
    for (const seg of segmentsOf(columns, Math.max(2, h * 1.1), 1)) {
      const length = seg.end - seg.start + 1;
      // An MRZ line is 30–44 characters about one character height apart, with ink in most columns.
      if (length < h * 18 || length > h * 60 || seg.filled < length * 0.45) continue;
      lines.push({ top: top - offsetY, bottom: bottom - offsetY, start: seg.start - offsetY, end: seg.end - offsetY });
    }
  }
  return lines;
}

/** Consecutive lines of equal height and extent at MRZ spacing. */
function groupLines(lines: TextLine[]): TextLine[][] {
  const sorted = [...lines].sort((a, b) => a.top - b.top);
  const groups: TextLine[][] = [];
  const used = new Set<TextLine>();
  for (const first of sorted) {
    if (used.has(first)) continue;
    const group = [first];
    used.add(first);
    let last = first;
    for (const next of sorted) {
      if (used.has(next) || next.top <= last.top) continue;
      const h1 = last.bottom - last.top + 1;
      const h2 = next.bottom - next.top + 1;
      const spacing = (next.top + next.bottom) / 2 - (last.top + last.bottom) / 2;
      const overlap = Math.min(last.end, next.end) - Math.max(last.start, next.start);
      const shorter = Math.min(last.end - last.start, next.end - next.start);
      if (Math.max(h1, h2) / Math.min(h1, h2) > 1.5) continue;
      if (spacing < 1.2 * Math.max(h1, h2) || spacing > 2.6 * Math.min(h1, h2)) continue;
      if (overlap < 0.8 * shorter) continue;
      group.push(next);
      used.add(next);
      last = next;
    }
    groups.push(group);
  }
  return groups;
}

export function detectMrzBands(image: PageRaster): BandDetection {
  const shrink = Math.max(1, Math.ceil(Math.max(image.width, image.height) / DETECTION_SIDE));
  const scale = 1 / shrink;
  const { ink, width, height } = inkPixels(image, shrink);
  if (ink.count === 0) return { angle: 0, bands: [], textLines: 0 };
  const angle = estimateSkew(ink, width, height);
  const lines = findTextLines(ink, angle, width, height);
  const bands: MrzBand[] = [];
  for (const group of groupLines(lines)) {
    if (group.length < 2) continue;
    // Four or more equal lines are more than one MRZ stacked: keep the band, the reader splits it by format.
    const toOriginal = 1 / scale;
    const boxes = group.map((l) => ({
      start: l.start * toOriginal,
      end: (l.end + 1) * toOriginal,
      top: l.top * toOriginal,
      bottom: (l.bottom + 1) * toOriginal,
    }));
    const charHeight = boxes.reduce((sum, b) => sum + (b.bottom - b.top), 0) / boxes.length;
    const corners = boxes.flatMap((b) => [toImage(angle, b.start, b.top), toImage(angle, b.end, b.top), toImage(angle, b.start, b.bottom), toImage(angle, b.end, b.bottom)]);
    const xs = corners.map((p) => p.x);
    const ys = corners.map((p) => p.y);
    const x = Math.max(0, Math.floor(Math.min(...xs)));
    const y = Math.max(0, Math.floor(Math.min(...ys)));
    const region = { x, y, width: Math.min(image.width, Math.ceil(Math.max(...xs))) - x, height: Math.min(image.height, Math.ceil(Math.max(...ys))) - y };
    bands.push({ lines: boxes, charHeight, verticalPosition: (region.y + region.height / 2) / image.height, region });
  }
  return { angle, bands, textLines: lines.length };
}
