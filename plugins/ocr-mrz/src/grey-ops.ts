/**
 * The pixel operations the reader runs on decoded buffers: a grey, box-shrunk copy of a region of
 * the page (luma and area average in one pass), and a box mean over a square neighbourhood from an
 * integral image. They stay in JS on purpose: handing a raw buffer to sharp costs a copy in, a
 * thread hand-off and a copy out, which on a one-core budget took longer (12–15 ms for a page)
 * than the operation itself does here (2–4 ms). Decoding stays with sharp.
 */
import type { GreyImage, PageRaster } from './image-input.js';

/** A part of an image, in its pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A grey copy of part of a page, shrunk by a whole factor: its pixel (u, v) is the mean of the
 * page's factor × factor block whose top-left pixel is (x0 + u·factor, y0 + v·factor).
 */
export interface GreyView {
  image: GreyImage;
  x0: number;
  y0: number;
  factor: number;
}

/** Rec. 601 luma weights, ×256. */
const R = 77;
const G = 150;
const B = 29;

/**
 * The grey copy of `region` of the page (all of it by default), shrunk by `factor` (a partial
 * block at the right or bottom edge averages what it has). `greenOnly` takes a colour page's
 * green channel for grey, a third of the reads: the channel nearest to luma, good enough for
 * finding where the dark text lines are, not for reading them.
 */
export function greyView(page: PageRaster, factor: number, region: Region = { x: 0, y: 0, width: page.width, height: page.height }, greenOnly = false): GreyView {
  const f = Math.max(1, Math.floor(factor));
  const x0 = Math.max(0, Math.floor(region.x));
  const y0 = Math.max(0, Math.floor(region.y));
  const x1 = Math.min(page.width, Math.ceil(region.x + region.width));
  const y1 = Math.min(page.height, Math.ceil(region.y + region.height));
  const width = Math.max(1, Math.ceil((x1 - x0) / f));
  const height = Math.max(1, Math.ceil((y1 - y0) / f));
  const { data, channels } = page;
  const colour = channels >= 3 && !greenOnly;
  const first = channels >= 3 && greenOnly ? 1 : 0;
  // Sums of luma × 256 (colour) or grey × 256, per output column of the current output row.
  const sums = new Float64Array(width);
  const out = new Uint8Array(width * height);
  for (let oy = 0; oy < height; oy++) {
    sums.fill(0);
    const yStart = y0 + oy * f;
    const yEnd = Math.min(y1, yStart + f);
    for (let y = yStart; y < yEnd; y++) {
      let i = (y * page.width + x0) * channels + first;
      for (let ox = 0, x = x0; ox < width; ox++) {
        const xEnd = Math.min(x1, x + f);
        let s = 0;
        if (colour) for (; x < xEnd; x++, i += channels) s += R * data[i] + G * data[i + 1] + B * data[i + 2];
        else for (; x < xEnd; x++, i += channels) s += 256 * data[i];
        sums[ox] += s;
      }
    }
    const rows = yEnd - yStart;
    for (let ox = 0; ox < width; ox++) {
      const columns = Math.min(x1, x0 + (ox + 1) * f) - (x0 + ox * f);
      out[oy * width + ox] = Math.min(255, Math.round(sums[ox] / (256 * rows * columns)));
    }
  }
  return { image: { width, height, data: out }, x0, y0, factor: f };
}

/** Mean of each pixel's (2·radius + 1)² neighbourhood, clipped at the borders (a local background estimate). */
export function boxMean(image: GreyImage, radius: number): Uint8Array {
  const { width, height, data } = image;
  const stride = width + 1;
  // Integral image with a zero first row and column; Float64 holds any page's sums exactly.
  const integral = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      rowSum += data[y * width + x];
      integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + rowSum;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const top = Math.max(0, y - radius);
    const bottom = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const left = Math.max(0, x - radius);
      const right = Math.min(width, x + radius + 1);
      const sum = integral[bottom * stride + right] - integral[top * stride + right] - integral[bottom * stride + left] + integral[top * stride + left];
      out[y * width + x] = Math.round(sum / ((bottom - top) * (right - left)));
    }
  }
  return out;
}
