/**
 * Seeded degradations of a page image: what scanners, cameras and careless handling do to a page
 * before an MRZ reader sees it. Every kind draws its parameters from a documented realistic range
 * (README.md beside this file says why each range) and reports them, so a benchmark can tell which
 * conditions a reader fails under. Pixel work is done by sharp/libvips, except two things it cannot
 * do: drawing the gaussian noise field (once per image size, then reused) and the perspective warp.
 */
import sharp from 'sharp';
import { TesseraError } from '../errors.js';
import { seededRandom } from '../mrz/sample-documents.js';
import { withPngDensity } from './png-density.js';

export type Degradation =
  | 'clean'
  | 'rotation'
  | 'upside-down'
  | 'scale-low'
  | 'scale-high'
  | 'low-contrast'
  | 'noise'
  | 'blur'
  | 'perspective'
  | 'jpeg'
  | 'glare';

export const DEGRADATIONS: readonly Degradation[] = [
  'clean', 'rotation', 'upside-down', 'scale-low', 'scale-high', 'low-contrast', 'noise', 'blur', 'perspective', 'jpeg', 'glare',
];

/** The ranges the parameters are drawn from; the tests hold every drawn value to them. */
export const DEGRADATION_RANGES = {
  /** Degrees, either sign; at least 1° so the page is visibly skewed. */
  rotationDeg: { min: 1, max: 10 },
  /** Degrees off 180. */
  upsideDownJitterDeg: { min: -2, max: 2 },
  scaleLowDpi: 150,
  scaleHighDpi: 600,
  /** Ink-to-paper difference after the change, as a share of the full 0–255 range. */
  lowContrastSpread: { min: 0.25, max: 0.35 },
  /** Where the paper ends up, 0–255. */
  lowContrastPaper: { min: 150, max: 235 },
  /** Standard deviation of the additive noise, grey levels. */
  noiseSigma: { min: 6, max: 18 },
  /** Gaussian blur sigma in pixels at 300 dpi (scaled with the image's resolution). */
  blurSigma300: { min: 0.8, max: 2 },
  /** How much narrower the far edge is than the near one. */
  keystone: { min: 0.02, max: 0.06 },
  jpegQuality: { min: 30, max: 60 },
  /** Peak opacity of the white specular patch. */
  glareOpacity: { min: 0.55, max: 0.8 },
  /** Half-axes of the glare ellipse, as a share of the page width. */
  glareRadius: { min: 0.08, max: 0.2 },
} as const;

export interface DegradedImage {
  image: Buffer;
  mimeType: 'image/png' | 'image/jpeg';
  params: Record<string, number | string>;
}

/** A document page glass reader's platen and a camera's table look white around a skewed page. */
const SURROUND = { r: 255, g: 255, b: 255 };
const DEFAULT_INPUT_DPI = 300;

type Random = () => number;

/**
 * Scrambles the caller's seed with the kind (murmur3's finaliser), so seeds 1, 2, 3 … do not start
 * nearby streams and each kind draws its own numbers from the same seed.
 */
function mixSeed(seed: number, kind: number): number {
  let h = (seed ^ Math.imul(kind + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
const between = (rand: Random, min: number, max: number): number => min + (max - min) * rand();
const round = (v: number, places = 2): number => Math.round(v * 10 ** places) / 10 ** places;

interface Input {
  width: number;
  height: number;
  channels: 1 | 3;
  dpi: number;
}

async function describe(png: Buffer): Promise<Input> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(png).metadata();
  } catch (cause) {
    throw new TesseraError('DOCGEN_OPTIONS_INVALID', 'degrade() needs a PNG or JPEG page image; this one cannot be decoded.', { cause });
  }
  const channels = meta.channels === 1 || meta.channels === 2 ? 1 : 3;
  return { width: meta.width ?? 0, height: meta.height ?? 0, channels, dpi: meta.density ?? DEFAULT_INPUT_DPI };
}

/** The image as the given pipeline leaves it, as PNG that records `dpi`. */
async function png(pipeline: sharp.Sharp, input: Input, dpi = input.dpi): Promise<Buffer> {
  let out = pipeline.removeAlpha();
  if (input.channels === 1) out = out.toColourspace('b-w');
  return withPngDensity(await out.png({ compressionLevel: 1 }).toBuffer(), dpi);
}

/** Applies one seeded degradation of `kind` to a page image. */
export async function degrade(image: Buffer, kind: Degradation, opts: { seed: number }): Promise<DegradedImage> {
  if (!DEGRADATIONS.includes(kind)) {
    throw new TesseraError('DOCGEN_OPTIONS_INVALID', `Unknown degradation "${String(kind)}".`, { hint: `Degradations: ${DEGRADATIONS.join(', ')}.` });
  }
  const rand = seededRandom(mixSeed(opts.seed, DEGRADATIONS.indexOf(kind)));
  const input = await describe(image);
  const R = DEGRADATION_RANGES;
  const page = () => sharp(image);
  const asPng = async (pipeline: sharp.Sharp, params: DegradedImage['params'], dpi?: number): Promise<DegradedImage> => ({
    image: await png(pipeline, input, dpi),
    mimeType: 'image/png',
    params,
  });

  switch (kind) {
    case 'clean':
      return { image, mimeType: 'image/png', params: {} };
    case 'rotation': {
      const angleDeg = round((rand() < 0.5 ? -1 : 1) * between(rand, R.rotationDeg.min, R.rotationDeg.max));
      return asPng(page().rotate(angleDeg, { background: SURROUND }), { angleDeg });
    }
    case 'upside-down': {
      const angleDeg = round(180 + between(rand, R.upsideDownJitterDeg.min, R.upsideDownJitterDeg.max));
      return asPng(page().rotate(angleDeg, { background: SURROUND }), { angleDeg });
    }
    case 'scale-low':
    case 'scale-high': {
      const dpi = kind === 'scale-low' ? R.scaleLowDpi : R.scaleHighDpi;
      const factor = dpi / input.dpi;
      const width = Math.max(1, Math.round(input.width * factor));
      return asPng(page().resize({ width, kernel: factor < 1 ? 'lanczos3' : 'cubic' }), { dpi, factor: round(factor, 3) }, dpi);
    }
    case 'low-contrast': {
      const spread = round(between(rand, R.lowContrastSpread.min, R.lowContrastSpread.max), 3);
      const paper = Math.round(between(rand, R.lowContrastPaper.min, R.lowContrastPaper.max));
      // out = a·in + b maps black to paper − spread·255 and white to paper: a washed-out, faded print.
      const slope = spread;
      const offset = round(paper - slope * 255, 1);
      return asPng(page().linear(slope, offset), { spread, paper, slope, offset });
    }
    case 'noise': {
      const sigma = round(between(rand, R.noiseSigma.min, R.noiseSigma.max), 1);
      return asPng(withNoise(image, input, sigma, rand), { sigma });
    }
    case 'blur': {
      const sigmaAt300 = between(rand, R.blurSigma300.min, R.blurSigma300.max);
      const sigma = round(sigmaAt300 * (input.dpi / 300));
      return asPng(page().blur(Math.max(0.3, sigma)), { sigma });
    }
    case 'perspective': {
      const keystone = round(between(rand, R.keystone.min, R.keystone.max), 3);
      const narrowEdge = (['top', 'bottom', 'left', 'right'] as const)[Math.floor(rand() * 4)];
      return asPng(await keystoned(image, input, keystone, narrowEdge), { keystone, narrowEdge });
    }
    case 'jpeg': {
      const quality = Math.round(between(rand, R.jpegQuality.min, R.jpegQuality.max));
      const jpeg = await page().removeAlpha().jpeg({ quality, chromaSubsampling: '4:2:0' }).withMetadata({ density: input.dpi }).toBuffer();
      return { image: jpeg, mimeType: 'image/jpeg', params: { quality } };
    }
    case 'glare': {
      const { width, height } = input;
      const cx = Math.round(between(rand, 0.1, 0.9) * width);
      // Lower on the page more often than not, where the MRZ is: glare there is what hurts a reader.
      const cy = Math.round(between(rand, 0.35, 0.95) * height);
      const rx = Math.round(between(rand, R.glareRadius.min, R.glareRadius.max) * width);
      const ry = Math.round(rx * between(rand, 0.35, 0.8));
      const opacity = round(between(rand, R.glareOpacity.min, R.glareOpacity.max));
      const svg =
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
        `<defs><radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="${opacity}"/>` +
        `<stop offset="0.4" stop-color="#fff" stop-opacity="${opacity}"/><stop offset="0.7" stop-color="#fff" stop-opacity="${round(opacity * 0.5)}"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>` +
        `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="url(#g)"/></svg>`;
      return asPng(page().composite([{ input: Buffer.from(svg), blend: 'over' }]), { cx, cy, rx, ry, opacity });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Noise: sharp exposes no "add an image" operation, and composite() blends in premultiplied float,
// which is slow on a full page. Instead the noise field joins the page as a fourth band and a
// band-mixing matrix (recomb) adds it to each colour band; linear() removes the field's offset.
// The field is luminance noise, as a scanner's sensor mostly produces.

const NOISE_MARGIN = 64;
/** The field is stored as 128 + z · this, and scaled by recomb to the sigma wanted. */
const NOISE_FIELD_SIGMA = 40;
const noiseFields = new Map<string, Buffer>();

/** One fixed gaussian field per image size, a little larger than the image; calls cut windows out of it. */
function noiseField(width: number, height: number): Buffer {
  const key = `${width}x${height}`;
  let field = noiseFields.get(key);
  if (field) return field;
  field = Buffer.alloc((width + NOISE_MARGIN) * (height + NOISE_MARGIN));
  const rand = seededRandom(0x5eed ^ width ^ (height << 12));
  for (let i = 0; i < field.length; i += 2) {
    // Box–Muller: two independent standard normal values per pair of uniform draws.
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const t = 2 * Math.PI * rand();
    field[i] = Math.max(0, Math.min(255, Math.round(128 + NOISE_FIELD_SIGMA * r * Math.cos(t))));
    if (i + 1 < field.length) field[i + 1] = Math.max(0, Math.min(255, Math.round(128 + NOISE_FIELD_SIGMA * r * Math.sin(t))));
  }
  // A handful of page sizes occur in practice; keep the cache from growing without bound anyway.
  if (noiseFields.size >= 8) noiseFields.delete(noiseFields.keys().next().value!);
  noiseFields.set(key, field);
  return field;
}

function withNoise(image: Buffer, input: Input, sigma: number, rand: Random): sharp.Sharp {
  const { width, height } = input;
  const field = noiseField(width, height);
  const stride = width + NOISE_MARGIN;
  const left = Math.floor(rand() * NOISE_MARGIN);
  const top = Math.floor(rand() * NOISE_MARGIN);
  const window = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) field.copy(window, y * width, (top + y) * stride + left, (top + y) * stride + left + width);
  const k = sigma / NOISE_FIELD_SIGMA;
  // Worked in RGB whatever the input; png() turns a grey page back into one channel and drops the field band.
  return sharp(image)
    .removeAlpha()
    .toColourspace('srgb')
    .joinChannel(window, { raw: { width, height, channels: 1 } })
    .recomb([
      [1, 0, 0, k],
      [0, 1, 0, k],
      [0, 0, 1, k],
      [0, 0, 0, 1],
    ])
    .linear([1, 1, 1, 1], [-128 * k, -128 * k, -128 * k, 0]);
}

// ---------------------------------------------------------------------------------------------
// Perspective: sharp's affine() cannot turn a rectangle into a trapezoid and libvips' mapim is not
// exposed, so this one warp is done here: a true projective mapping (the page seen by a tilted
// camera), inverse-mapped with bilinear sampling, one pass over the pixels.

/** Homography taking the unit square's corners (0,0) (1,0) (1,1) (0,1) to the quad given (Heckbert). */
function squareToQuad(q: ReadonlyArray<readonly [number, number]>): number[] {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q;
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  if (sx === 0 && sy === 0) return [x1 - x0, x2 - x1, x0, y1 - y0, y2 - y1, y0, 0, 0];
  const dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / den;
  const h = (dx1 * sy - sx * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h];
}

/** Inverse of a 3×3 projective matrix given as its first eight entries (the ninth is 1). */
function invert(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h] = m;
  const A = e - f * h, B = c * h - b, C = b * f - c * e;
  const D = f * g - d, E = a - c * g, F = c * d - a * f;
  const G = d * h - e * g, H = b * g - a * h, I = a * e - b * d;
  return [A / I, B / I, C / I, D / I, E / I, F / I, G / I, H / I];
}

async function keystoned(image: Buffer, input: Input, keystone: number, narrowEdge: 'top' | 'bottom' | 'left' | 'right'): Promise<sharp.Sharp> {
  const { data, info } = await sharp(image).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const { width: W, height: H } = info;
  const inset = (keystone / 2) * (narrowEdge === 'top' || narrowEdge === 'bottom' ? W : H);
  // Destination corners of the page, clockwise from top left; the narrow edge is pulled inwards.
  const tl: [number, number] = [narrowEdge === 'top' ? inset : 0, narrowEdge === 'left' ? inset : 0];
  const tr: [number, number] = [narrowEdge === 'top' ? W - inset : W, narrowEdge === 'right' ? inset : 0];
  const br: [number, number] = [narrowEdge === 'bottom' ? W - inset : W, narrowEdge === 'right' ? H - inset : H];
  const bl: [number, number] = [narrowEdge === 'bottom' ? inset : 0, narrowEdge === 'left' ? H - inset : H];
  // Destination pixel → unit square → source pixel.
  const [a, b, c, d, e, f, g, h] = invert(squareToQuad([tl, tr, br, bl]));
  const out = Buffer.alloc(W * H * 3, 255);
  for (let y = 0; y < H; y++) {
    const py = y + 0.5;
    for (let x = 0; x < W; x++) {
      const px = x + 0.5;
      const w = g * px + h * py + 1;
      const u = ((a * px + b * py + c) / w) * W - 0.5;
      const v = ((d * px + e * py + f) / w) * H - 0.5;
      if (u < -0.5 || v < -0.5 || u > W - 0.5 || v > H - 0.5) continue;
      const x0 = Math.max(0, Math.min(W - 2, Math.floor(u)));
      const y0 = Math.max(0, Math.min(H - 2, Math.floor(v)));
      const fx = Math.max(0, Math.min(1, u - x0));
      const fy = Math.max(0, Math.min(1, v - y0));
      const i00 = (y0 * W + x0) * 3;
      const i10 = i00 + 3;
      const i01 = i00 + W * 3;
      const i11 = i01 + 3;
      const o = (y * W + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = data[i00 + ch] + (data[i10 + ch] - data[i00 + ch]) * fx;
        const bottom = data[i01 + ch] + (data[i11 + ch] - data[i01 + ch]) * fx;
        out[o + ch] = top + (bottom - top) * fy + 0.5;
      }
    }
  }
  return sharp(out, { raw: { width: W, height: H, channels: 3 } });
}
