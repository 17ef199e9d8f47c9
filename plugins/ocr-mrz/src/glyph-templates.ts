/**
 * Reference images of the 37 MRZ characters, rendered from the installed OCR-B font at the
 * classifier's canonical size. The MRZ is printed in OCR-B at a fixed pitch, so comparing a
 * character cell with these images is a recogniser independent of tesseract's trained shapes.
 */
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { TesseraError } from '@tessera/sdk';

export const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';
export const OCRB_FONT_FILE = '/usr/share/fonts/opentype/ocr-b/OCRB.otf';

// OCR-B advances 0.723 em and its capitals stand 0.73 em tall (measured on OCRB.otf): the
// character height is almost exactly one pitch, which is what the band detector relies on.
export const OCRB_ADVANCE_EM = 0.723;
export const OCRB_CAP_EM = 0.73;

/** Canonical geometry: every line is resampled so that the pitch is PITCH pixels. */
export const PITCH = 20;
/** Cell window: one pitch wide plus a margin, cap height plus room above and below. */
export const CELL_WIDTH = 22;
export const CELL_HEIGHT = 28;
/** Baseline row inside a cell window; the cap line sits one cap height above it. */
export const CELL_BASELINE = 24;

export interface GlyphTemplate {
  char: string;
  /** Zero-mean, unit-norm pixels (ink positive), CELL_WIDTH × CELL_HEIGHT, row-major. */
  pixels: Float32Array;
}

export interface GlyphTemplateSet {
  templates: GlyphTemplate[];
  /** Same, blurred a little: the better match for soft prints and defocused scans. */
  softTemplates: GlyphTemplate[];
}

/** Ink (255 − grey) normalised to zero mean and unit norm, so a dot product is a correlation. */
export function normaliseInk(grey: Uint8Array | Uint8ClampedArray, fromInk = false): Float32Array {
  const out = new Float32Array(grey.length);
  let sum = 0;
  for (let i = 0; i < grey.length; i++) {
    out[i] = fromInk ? grey[i] : 255 - grey[i];
    sum += out[i];
  }
  const mean = sum / grey.length;
  let sq = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] -= mean;
    sq += out[i] * out[i];
  }
  const norm = Math.sqrt(sq) || 1;
  for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}

async function renderSet(blurSigma: number): Promise<GlyphTemplate[]> {
  const fontSize = PITCH / OCRB_ADVANCE_EM;
  const stride = CELL_WIDTH * 2; // far enough apart that no glyph reaches into its neighbour's cell
  const width = stride * MRZ_ALPHABET.length;
  // Each glyph's advance cell starts at (CELL_WIDTH − PITCH) / 2 inside its window.
  const offset = (CELL_WIDTH - PITCH) / 2;
  const text = Array.from(MRZ_ALPHABET, (c, i) => {
    const x = i * stride + offset;
    return `<text x="${x}" y="${CELL_BASELINE}" font-family="OCR B" font-size="${fontSize.toFixed(3)}">${c === '<' ? '&lt;' : c}</text>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${CELL_HEIGHT}"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`;
  let image = sharp(Buffer.from(svg)).greyscale();
  if (blurSigma > 0) image = image.blur(blurSigma);
  const { data } = await image.raw().toBuffer({ resolveWithObject: true });
  return Array.from(MRZ_ALPHABET, (char, i) => {
    const cell = new Uint8Array(CELL_WIDTH * CELL_HEIGHT);
    for (let y = 0; y < CELL_HEIGHT; y++) {
      for (let x = 0; x < CELL_WIDTH; x++) cell[y * CELL_WIDTH + x] = data[y * width + i * stride + x];
    }
    return { char, pixels: normaliseInk(cell) };
  });
}

let cached: Promise<GlyphTemplateSet> | undefined;

/** Renders the templates once per process (about 30 ms). */
export function loadGlyphTemplates(): Promise<GlyphTemplateSet> {
  if (!existsSync(OCRB_FONT_FILE)) {
    return Promise.reject(
      new TesseraError('OCR_MRZ_FONT_MISSING', `The OCR-B font is not installed (${OCRB_FONT_FILE}).`, {
        hint: 'Install it with `apt-get install fonts-ocr-b` (npm run setup does this on Debian).',
      }),
    );
  }
  cached ??= Promise.all([renderSet(0), renderSet(1.2)]).then(([templates, softTemplates]) => ({ templates, softTemplates }));
  cached.catch(() => (cached = undefined));
  return cached;
}
