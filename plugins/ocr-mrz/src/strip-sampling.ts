/**
 * Resamples one MRZ line out of (a grey view of) the page into a level, canonical-size strip. The line's own
 * frame (origin and the two axis vectors, in image pixels) comes from the band detector and is
 * refined per line, so rotation, scale and the slant a perspective view gives each line are undone
 * in one pass without rotating or resizing the whole page.
 */
import type { GreyView } from './grey-ops.js';
import type { GreyImage } from './image-input.js';

export interface Point {
  x: number;
  y: number;
}

/** Strip pixel (u, v) sits at image point origin + u·along + v·across. */
export interface StripFrame {
  origin: Point;
  along: Point;
  across: Point;
}

export interface Strip {
  width: number;
  height: number;
  /** Grey, 0 = black; outside the image reads as white paper. */
  data: Float32Array;
}

function bilinear(image: GreyImage, x: number, y: number): number {
  const { width, height, data } = image;
  if (x < 0 || y < 0 || x > width - 1 || y > height - 1) return 255;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const top = data[y0 * width + x0] * (1 - fx) + data[y0 * width + x1] * fx;
  const bottom = data[y1 * width + x0] * (1 - fx) + data[y1 * width + x1] * fx;
  return top * (1 - fy) + bottom * fy;
}

/** A frame in page pixels re-expressed in the pixels of a view (pixel centres at whole coordinates in both). */
function inView(view: GreyView, frame: StripFrame): StripFrame {
  const k = 1 / view.factor;
  return {
    origin: { x: (frame.origin.x + 0.5 - view.x0) * k - 0.5, y: (frame.origin.y + 0.5 - view.y0) * k - 0.5 },
    along: { x: frame.along.x * k, y: frame.along.y * k },
    across: { x: frame.across.x * k, y: frame.across.y * k },
  };
}

/**
 * Samples a strip out of a view of the page, the frame given in page pixels; when one strip pixel spans several image pixels (a 600 dpi scan), it averages
 * a grid of samples over that footprint rather than aliasing.
 */
export function sampleStrip(view: GreyView, pageFrame: StripFrame, width: number, height: number): Strip {
  const { image } = view;
  const frame = inView(view, pageFrame);
  const step = Math.max(Math.hypot(frame.along.x, frame.along.y), Math.hypot(frame.across.x, frame.across.y));
  const n = step > 1.4 ? Math.ceil(step) : 1;
  const data = new Float32Array(width * height);
  const { origin, along, across } = frame;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const dv = v + (j + 0.5) / n - 0.5;
        for (let i = 0; i < n; i++) {
          const du = u + (i + 0.5) / n - 0.5;
          sum += bilinear(image, origin.x + du * along.x + dv * across.x, origin.y + du * along.y + dv * across.y);
        }
      }
      data[v * width + u] = sum / (n * n);
    }
  }
  return { width, height, data };
}

/**
 * Ink strength 0–1 per pixel, normalised per stretch of a few characters, so a glare patch or a
 * faint print over part of the line does not hide the rest of it from the profile measurements.
 */
export function localInk(strip: Strip, chunk: number): Float32Array {
  const { width, height, data } = strip;
  const ink = new Float32Array(width * height);
  // A stretch without ink (past the line's end) must not stretch its noise into ink.
  const whole = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) whole[Math.max(0, Math.min(255, Math.round(data[i])))]++;
  const minRange = Math.max(12, 0.4 * (percentile(whole, data.length, 0.6) - percentile(whole, data.length, 0.02)));
  const histogram = new Uint32Array(256);
  for (let x0 = 0; x0 < width; x0 += chunk) {
    const x1 = Math.min(width, x0 + chunk);
    histogram.fill(0);
    for (let y = 0; y < height; y++) for (let x = x0; x < x1; x++) histogram[Math.max(0, Math.min(255, Math.round(data[y * width + x])))]++;
    const count = (x1 - x0) * height;
    const dark = percentile(histogram, count, 0.03);
    const paper = percentile(histogram, count, 0.6);
    const range = Math.max(paper - dark, minRange);
    for (let y = 0; y < height; y++) {
      for (let x = x0; x < x1; x++) ink[y * width + x] = Math.min(1, Math.max(0, (paper - data[y * width + x]) / range));
    }
  }
  return ink;
}

/** The grey level below which `fraction` of the `count` counted pixels lie. */
function percentile(histogram: Uint32Array, count: number, fraction: number): number {
  const wanted = count * fraction;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v];
    if (seen > wanted) return v;
  }
  return 255;
}
