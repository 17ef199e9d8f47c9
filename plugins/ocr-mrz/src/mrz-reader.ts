/**
 * Reads the MRZ from a page image: decode (bounded), find the band(s), decide the orientation,
 * read each line with the template recogniser, ask tesseract for a second opinion on the lines
 * where the templates were unsure, and resolve the reading with the check digits. One page
 * with two MRZs gives no reading but both candidates; a page without one gives a reason.
 */
import sharp from 'sharp';
import { TesseraError, type MrzOcrResult } from '@tessera/sdk';
import { detectMrzBands, type MrzBand } from './band-detection.js';
import { PITCH } from './glyph-templates.js';
import { greyView, type GreyView } from './grey-ops.js';
import { decodePage, type PageRaster } from './image-input.js';
import { CAP, lengthCosts, measureLine, readCells, sampleLine, type LineReading } from './line-reader.js';
import { allowedCharacters, formatByDocumentCode, formatsFor, type OcrFormat } from './mrz-positions.js';
import { proposalsOf, resolveReading, type CellProposal } from './resolve-reading.js';
import type { TemplateClassifier } from './template-classifier.js';
import type { LineText, TesseractPool } from './tesseract-pool.js';

/** Below this mean correlation a band is text, but not an MRZ in OCR-B. */
const MIN_MRZ_SCORE = 0.55;
/** Above this the first orientation tried is taken without trying the other. */
const SURE_ORIENTATION_SCORE = 0.88;
/** A wrong line length cuts through characters: its grid cost is far above this. */
const MAX_GRID_COST = 0.3;
/**
 * A perspective view stretches the pitch along the line, which a uniform grid fits less well:
 * up to this cost is still a line of that length when the other length candidate fits at
 * least twice as badly (the reading's correlation scores then judge it like any other).
 */
const MAX_STRETCHED_GRID_COST = 0.45;
const TESSERACT_SCALE = 1.5;

export interface MrzRead extends MrzOcrResult {
  format: OcrFormat | null;
  /** Every check digit passes and the fields are well-formed. */
  valid: boolean;
  /** More than one reading fits; `alternatives` holds them and nothing was picked. */
  ambiguous: boolean;
  /** Why there are no lines (no MRZ, two MRZs). */
  reason?: string;
  orientation?: 0 | 180;
  /** Characters changed from the recognisers' first choice, 1-based. */
  repairs: Array<{ line: number; column: number; from: string; to: string }>;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Whole-image time limit. */
  timeoutMs?: number;
  referenceDate?: Date;
}

interface BandReading {
  band: MrzBand;
  flipped: boolean;
  format: OcrFormat;
  lines: LineReading[];
  score: number;
}

function deadlineCheck(options: ReadOptions, started: number): () => void {
  const limit = options.timeoutMs ?? 5000;
  return () => {
    if (options.signal?.aborted) throw new TesseraError('OCR_MRZ_ABORTED', 'The read was aborted.');
    if (performance.now() - started > limit) {
      throw new TesseraError('OCR_MRZ_TIMEOUT', `Reading the image took longer than ${limit} ms.`, { hint: 'Scan at 300 dpi and crop to the document; a very large image takes longer.' });
    }
  };
}

export class MrzReader {
  constructor(private readonly classifier: TemplateClassifier, private readonly pool: TesseractPool | null) {}

  async read(bytes: Uint8Array, options: ReadOptions = {}): Promise<MrzRead> {
    const check = deadlineCheck(options, performance.now());
    check();
    const page = await decodePage(bytes);
    check();
    const detection = detectMrzBands(page);
    check();
    const readings: BandReading[] = [];
    for (const band of detection.bands) {
      const reading = this.readBandBothWays(bandView(page, band), detection.angle, band);
      if (reading) readings.push(reading);
      check();
    }
    if (readings.length === 0) {
      const reason = detection.bands.length > 0
        ? 'Lines that look like an MRZ were found but could not be read as OCR-B MRZ characters.'
        : detection.textLines > 0
          ? 'Long text lines were found, but no group of 2 or 3 that forms an MRZ.'
          : 'No MRZ was found on the page.';
      return { lines: [], confidence: 0, format: null, valid: false, ambiguous: false, reason, repairs: [] };
    }
    const resolved = [];
    for (const reading of readings) resolved.push(await this.resolve(reading, options, check));
    if (resolved.length > 1) {
      return {
        lines: [],
        confidence: 0,
        format: null,
        valid: false,
        ambiguous: true,
        reason: `${resolved.length} MRZs were found on the page; image one document at a time.`,
        alternatives: resolved.map((r) => r.lines),
        repairs: [],
      };
    }
    return resolved[0];
  }

  private async resolve(reading: BandReading, options: ReadOptions, check: () => void): Promise<MrzRead> {
    const proposals: CellProposal[][] = [];
    for (const line of reading.lines) {
      let opinions: Array<string | undefined> = [];
      if (this.pool && line.cells.some((c) => proposalsOf(c).chars.length > 1)) {
        const text = await this.pool.recognizeLine(await stripPng(line), options.signal);
        opinions = cellsFromTesseract(text, line);
        check();
      }
      proposals.push(line.cells.map((cell, i) => proposalsOf(cell, opinions[i])));
    }
    const resolved = resolveReading(proposals, options.referenceDate);
    const flat = resolved.confidences.flat();
    return {
      lines: resolved.lines,
      confidence: flat.length ? Math.min(...flat) : 0,
      characterConfidences: resolved.confidences,
      region: reading.band.region,
      ...(resolved.ambiguous ? { alternatives: resolved.candidates } : {}),
      format: reading.format,
      valid: resolved.valid,
      ambiguous: resolved.ambiguous,
      orientation: reading.flipped ? 180 : 0,
      repairs: resolved.repairs,
    };
  }

  /** Reads a band in the orientation its position suggests, and the other way round when unsure. */
  private readBandBothWays(image: GreyView, angle: number, band: MrzBand): BandReading | null {
    const order = band.verticalPosition < 0.5 ? [true, false] : [false, true];
    let best: BandReading | null = null;
    for (const flipped of order) {
      const reading = this.readBand(image, angle, band, flipped);
      if (reading && (!best || reading.score > best.score)) best = reading;
      if (best && best.score >= SURE_ORIENTATION_SCORE) break;
    }
    return best && best.score >= MIN_MRZ_SCORE ? best : null;
  }

  private readBand(image: GreyView, angle: number, band: MrzBand, flipped: boolean): BandReading | null {
    const boxes = flipped ? [...band.lines].reverse() : band.lines;
    const count = boxes.length;
    if (count !== 2 && count !== 3) return null;
    const measures = boxes.map((box) => measureLine(image, angle, box, flipped));
    if (measures.some((m) => m === null)) return null;
    const lengths = count === 3 ? [30] : [36, 44];
    const costs = lengths.map((n) => measures.reduce((sum, m) => sum + lengthCosts(m!, [n]).get(n)!, 0) / count);
    const bestCost = Math.min(...costs);
    const otherCost = Math.min(...costs.filter((c) => c !== bestCost), Infinity);
    if (bestCost > MAX_GRID_COST && !(bestCost <= MAX_STRETCHED_GRID_COST && otherCost >= 2 * bestCost)) return null;
    const length = lengths[costs.indexOf(bestCost)];
    const geometries = measures.map((m) => sampleLine(image, m!, length));
    const formats = formatsFor(count, length);
    const first = readCells(geometries[0], length, allowedCharacters(formats[0], 0), this.classifier);
    const format = formatByDocumentCode(formats, first.cells[0].ranking[0].char);
    const lines = [first, ...geometries.slice(1).map((g, i) => readCells(g, length, allowedCharacters(format, i + 1), this.classifier))];
    const scores = lines.flatMap((l) => l.cells.map((c) => c.ranking[0].score));
    return { band, flipped, format, lines, score: scores.reduce((a, b) => a + b, 0) / scores.length };
  }
}

/**
 * The band and the paper around it (room for the tall measuring strips), grey, shrunk by the whole
 * factor that brings its capitals nearest the canonical height: a 600 dpi scan is then sampled
 * from a third as many pixels, one bilinear sample per strip pixel instead of a 3 × 3 average.
 */
function bandView(page: PageRaster, band: MrzBand): GreyView {
  const margin = 2.5 * band.charHeight;
  const { x, y, width, height } = band.region;
  const factor = Math.max(1, Math.round(band.charHeight / CAP));
  return greyView(page, factor, { x: x - margin, y: y - margin, width: width + 2 * margin, height: height + 2 * margin });
}

/** The line's strip, enlarged for tesseract (its legacy classifier wants capitals ~30 px tall). */
async function stripPng(line: LineReading): Promise<Buffer> {
  const { strip } = line.geometry;
  const grey = Buffer.from(Uint8Array.from(strip.data, (v) => Math.max(0, Math.min(255, Math.round(v)))));
  return sharp(grey, { raw: { width: strip.width, height: strip.height, channels: 1 } })
    .resize(Math.round(strip.width * TESSERACT_SCALE), Math.round(strip.height * TESSERACT_SCALE), { kernel: 'cubic' })
    .extend({ top: 10, bottom: 10, left: 0, right: 0, background: '#ffffff' })
    .greyscale()
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/** Tesseract's character per cell: by position in the text when it read the right number, else by where each symbol sits. */
function cellsFromTesseract(text: LineText, line: LineReading): Array<string | undefined> {
  if (text.text.length === line.length) return [...text.text];
  const out: Array<string | undefined> = new Array(line.length).fill(undefined);
  for (const symbol of text.symbols) {
    const x = symbol.centre / TESSERACT_SCALE;
    const i = line.lefts.findIndex((left) => x >= left && x < left + PITCH);
    if (i >= 0 && out[i] === undefined && symbol.char.length === 1) out[i] = symbol.char;
  }
  return out;
}
