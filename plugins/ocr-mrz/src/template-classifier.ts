/**
 * The template recogniser: each character cell of a canonical strip is compared with the OCR-B
 * references by normalised cross-correlation, over a few pixels of shift. Correlation ignores
 * the cell's brightness and contrast, so glare, faint ink and tinted paper change little.
 *
 * Cost is what decides the page time, so the work is arranged to do as little as possible:
 * - the templates are zero-mean, so a window's correlation is the template's dot product with the
 *   raw window pixels divided by the window's spread; every window's sum and sum of squares come
 *   from two integral images of the strip, built once per strip, and no window is ever copied;
 * - all allowed characters are scored only at the predicted place; the shift search and the soft
 *   template are run only for the characters that came within SHORTLIST_GAP of the best there.
 */
import { CELL_BASELINE, CELL_HEIGHT, CELL_WIDTH, PITCH, type GlyphTemplateSet } from './glyph-templates.js';
import type { Strip } from './strip-sampling.js';

export interface CharacterScore {
  char: string;
  /** Normalised cross-correlation, −1…1. */
  score: number;
}

export interface CellReading {
  /** Best first; every allowed character, so later stages can see how close the runners-up came. */
  ranking: CharacterScore[];
  /** Shift of the best match from the cell's predicted position, strip pixels. */
  dx: number;
  dy: number;
}

export interface CellRequest {
  /** Left edge of the character's advance cell in the strip. */
  left: number;
  /** Characters allowed at this position of the MRZ. */
  allowed: string;
}

const PIXELS = CELL_WIDTH * CELL_HEIGHT;
const MARGIN = (CELL_WIDTH - PITCH) / 2;
/** At most this many characters get the shift search and the soft template. */
const SHORTLIST = 6;
/** …and at least this many (a clear winner still gets its runner-up measured properly). */
const MIN_SHORTLIST = 2;
/**
 * A character this far below the best at the predicted place is left out of the shift search. A
 * shift of a pixel or two moves a correlation by far less when the prediction is close (the grid
 * is fitted to anchors first), and its score stays an under-estimate, so it can only look less
 * likely, never more: it is no proposal either way (see UNSURE_MARGIN in resolve-reading.ts).
 */
const SHORTLIST_GAP = 0.25;
/** Blank paper around the strip, so that shifted windows near its edges need no bounds checks. */
const PAD = 8;

/** A strip made ready for correlation: padded with paper, with integral images of its pixels and their squares. */
interface PreparedStrip {
  width: number;
  height: number;
  /** Ink (255 − grey), padded by PAD on every side. */
  ink: Float32Array;
  sum: Float64Array;
  squares: Float64Array;
}

export class TemplateClassifier {
  /** Sharp templates back to back, PIXELS floats each, in MRZ_ALPHABET order per character; the soft ones likewise. */
  private readonly sharp: Float32Array;
  private readonly soft: Float32Array;
  private readonly index = new Map<string, number>();
  private readonly prepared = new WeakMap<Strip, PreparedStrip>();

  constructor(set: GlyphTemplateSet) {
    this.sharp = new Float32Array(set.templates.length * PIXELS);
    this.soft = new Float32Array(set.softTemplates.length * PIXELS);
    set.templates.forEach((t, i) => {
      this.sharp.set(t.pixels, i * PIXELS);
      this.index.set(t.char, i);
    });
    set.softTemplates.forEach((t) => this.soft.set(t.pixels, this.index.get(t.char)! * PIXELS));
  }

  /**
   * Reads each cell of `strip`, whose baseline lies on row `baseline`. Every allowed character is
   * scored at the predicted place; the shortlisted ones are then tried at shifts up to
   * `radiusX`/`radiusY` pixels with the sharp templates, and at each one's best shift with the
   * soft (blurred) template too. A character scores its best correlation. `shortlist` caps the
   * characters searched (a caller that wants only the position needs the best two).
   */
  classify(strip: Strip, baseline: number, cells: readonly CellRequest[], radiusX: number, radiusY: number, shortlist = SHORTLIST): CellReading[] {
    const p = this.prepare(strip);
    const shifts: Array<[number, number]> = [[0, 0]];
    for (let dy = -radiusY; dy <= radiusY; dy++) for (let dx = -radiusX; dx <= radiusX; dx++) if (dx || dy) shifts.push([dx, dy]);
    const origins = new Int32Array(shifts.length);
    const norms = new Float64Array(shifts.length);
    return cells.map((cell) => {
      const left0 = Math.round(cell.left - MARGIN);
      const top0 = Math.round(baseline - CELL_BASELINE);
      shifts.forEach(([dx, dy], k) => {
        origins[k] = windowOrigin(p, left0 + dx, top0 + dy);
        norms[k] = origins[k] < 0 ? 0 : windowNorm(p, left0 + dx, top0 + dy);
      });
      const ranking: CharacterScore[] = [];
      for (const char of cell.allowed) {
        ranking.push({ char, score: norms[0] > 0 ? correlate(this.sharp, this.index.get(char)! * PIXELS, p, origins[0], norms[0]) : -1 });
      }
      ranking.sort((a, b) => b.score - a.score);
      let top = { score: -2, dx: 0, dy: 0 };
      const floor = ranking[0].score - SHORTLIST_GAP;
      for (let r = 0; r < Math.min(shortlist, ranking.length); r++) {
        const entry = ranking[r];
        if (r >= MIN_SHORTLIST && entry.score < floor) break;
        const offset = this.index.get(entry.char)! * PIXELS;
        let best = entry.score;
        let bestShift = norms[0] > 0 ? 0 : -1;
        for (let k = 1; k < shifts.length; k++) {
          if (norms[k] <= 0) continue;
          const score = correlate(this.sharp, offset, p, origins[k], norms[k]);
          if (score > best) [best, bestShift] = [score, k];
        }
        if (bestShift < 0) continue;
        best = Math.max(best, correlate(this.soft, offset, p, origins[bestShift], norms[bestShift]));
        entry.score = best;
        if (best > top.score) top = { score: best, dx: shifts[bestShift][0], dy: shifts[bestShift][1] };
      }
      ranking.sort((a, b) => b.score - a.score);
      return { ranking, dx: top.dx, dy: top.dy };
    });
  }

  private prepare(strip: Strip): PreparedStrip {
    let p = this.prepared.get(strip);
    if (p) return p;
    const width = strip.width + 2 * PAD;
    const height = strip.height + 2 * PAD;
    const ink = new Float32Array(width * height);
    for (let y = 0; y < strip.height; y++) {
      for (let x = 0; x < strip.width; x++) ink[(y + PAD) * width + x + PAD] = 255 - strip.data[y * strip.width + x];
    }
    // Integral images with a zero first row and column.
    const stride = width + 1;
    const sum = new Float64Array(stride * (height + 1));
    const squares = new Float64Array(stride * (height + 1));
    for (let y = 0; y < height; y++) {
      let rowSum = 0;
      let rowSquares = 0;
      for (let x = 0; x < width; x++) {
        const v = ink[y * width + x];
        rowSum += v;
        rowSquares += v * v;
        sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1] + rowSum;
        squares[(y + 1) * stride + x + 1] = squares[y * stride + x + 1] + rowSquares;
      }
    }
    p = { width, height, ink, sum, squares };
    this.prepared.set(strip, p);
    return p;
  }
}

/** Index of a window's top-left pixel in the padded ink, or −1 when the window leaves the padded strip. */
function windowOrigin(p: PreparedStrip, left: number, top: number): number {
  const x = left + PAD;
  const y = top + PAD;
  if (x < 0 || y < 0 || x + CELL_WIDTH > p.width || y + CELL_HEIGHT > p.height) return -1;
  return y * p.width + x;
}

/** The window's ink spread √(Σ(v − mean)²); 0 for a blank or out-of-strip window. */
function windowNorm(p: PreparedStrip, left: number, top: number): number {
  const x0 = left + PAD;
  const y0 = top + PAD;
  const stride = p.width + 1;
  const a = y0 * stride + x0;
  const b = y0 * stride + x0 + CELL_WIDTH;
  const c = (y0 + CELL_HEIGHT) * stride + x0;
  const d = (y0 + CELL_HEIGHT) * stride + x0 + CELL_WIDTH;
  const sum = p.sum[d] - p.sum[b] - p.sum[c] + p.sum[a];
  const squares = p.squares[d] - p.squares[b] - p.squares[c] + p.squares[a];
  const spread = squares - (sum * sum) / PIXELS;
  return spread > 1e-6 ? Math.sqrt(spread) : 0;
}

/** Correlation of a zero-mean, unit-norm template with the window at `origin`: Σ t·v / spread (the window's mean drops out). */
function correlate(templates: Float32Array, offset: number, p: PreparedStrip, origin: number, norm: number): number {
  const ink = p.ink;
  const width = p.width;
  let total = 0;
  for (let y = 0; y < CELL_HEIGHT; y++) {
    const row = origin + y * width;
    const t = offset + y * CELL_WIDTH;
    let s = 0;
    for (let x = 0; x < CELL_WIDTH; x++) s += templates[t + x] * ink[row + x];
    total += s;
  }
  return total / norm;
}
