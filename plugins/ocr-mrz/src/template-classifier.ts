/**
 * The template recogniser: each character cell of a canonical strip is compared with the OCR-B
 * references by normalised cross-correlation, over a few pixels of shift. Correlation ignores
 * the cell's brightness and contrast, so glare, faint ink and tinted paper change little.
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
/** Characters that get the shift search and the soft template; the rest keep their first, unshifted score. */
const SHORTLIST = 6;

function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number): number {
  let sum = 0;
  for (let i = 0; i < PIXELS; i++) sum += a[aOffset + i] * b[bOffset + i];
  return sum;
}

export class TemplateClassifier {
  /** Sharp templates back to back, PIXELS floats each, in MRZ_ALPHABET order per character; the soft ones likewise. */
  private readonly sharp: Float32Array;
  private readonly soft: Float32Array;
  private readonly index = new Map<string, number>();

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
   * scored at the predicted place; the SHORTLIST best are then tried at shifts up to
   * `radiusX`/`radiusY` pixels with the sharp templates, and at each one's best shift with the
   * soft (blurred) template too. A character scores its best correlation.
   */
  classify(strip: Strip, baseline: number, cells: readonly CellRequest[], radiusX: number, radiusY: number): CellReading[] {
    const shifts: Array<[number, number]> = [[0, 0]];
    for (let dy = -radiusY; dy <= radiusY; dy++) for (let dx = -radiusX; dx <= radiusX; dx++) if (dx || dy) shifts.push([dx, dy]);
    const windows = new Float32Array(shifts.length * PIXELS);
    const usable = new Uint8Array(shifts.length);
    return cells.map((cell) => {
      const left0 = Math.round(cell.left - MARGIN);
      const top0 = Math.round(baseline - CELL_BASELINE);
      shifts.forEach(([dx, dy], k) => (usable[k] = this.cut(strip, left0 + dx, top0 + dy, windows, k * PIXELS) ? 1 : 0));
      const ranking: CharacterScore[] = [];
      for (const char of cell.allowed) {
        ranking.push({ char, score: usable[0] ? dot(this.sharp, this.index.get(char)! * PIXELS, windows, 0) : -1 });
      }
      ranking.sort((a, b) => b.score - a.score);
      let top = { score: -2, dx: 0, dy: 0 };
      for (const entry of ranking.slice(0, SHORTLIST)) {
        const offset = this.index.get(entry.char)! * PIXELS;
        let best = entry.score;
        let bestShift = usable[0] ? 0 : -1;
        for (let k = 1; k < shifts.length; k++) {
          if (!usable[k]) continue;
          const score = dot(this.sharp, offset, windows, k * PIXELS);
          if (score > best) [best, bestShift] = [score, k];
        }
        if (bestShift < 0) continue;
        best = Math.max(best, dot(this.soft, offset, windows, bestShift * PIXELS));
        entry.score = best;
        if (best > top.score) top = { score: best, dx: shifts[bestShift][0], dy: shifts[bestShift][1] };
      }
      ranking.sort((a, b) => b.score - a.score);
      return { ranking, dx: top.dx, dy: top.dy };
    });
  }

  /** Copies a window as zero-mean, unit-norm ink at `offset` of `into`; false when the window is blank. */
  private cut(strip: Strip, left: number, top: number, into: Float32Array, offset: number): boolean {
    let sum = 0;
    for (let y = 0; y < CELL_HEIGHT; y++) {
      const sy = top + y;
      for (let x = 0; x < CELL_WIDTH; x++) {
        const sx = left + x;
        const v = sy >= 0 && sy < strip.height && sx >= 0 && sx < strip.width ? 255 - strip.data[sy * strip.width + sx] : 0;
        into[offset + y * CELL_WIDTH + x] = v;
        sum += v;
      }
    }
    const mean = sum / PIXELS;
    let sq = 0;
    for (let i = offset; i < offset + PIXELS; i++) {
      into[i] -= mean;
      sq += into[i] * into[i];
    }
    if (sq < 1e-6) return false;
    const norm = Math.sqrt(sq);
    for (let i = offset; i < offset + PIXELS; i++) into[i] /= norm;
    return true;
  }
}
