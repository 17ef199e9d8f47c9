/**
 * Reads one MRZ line: resamples it into a strip with the capitals at the canonical height and
 * the baseline level, places the character grid from the ink (every MRZ position holds a
 * character, so the line is exactly N pitches long), then lets the template recogniser rank each
 * cell, refits the grid to where the characters were actually found, and ranks them again.
 */
import { toImage, type LineBox } from './band-detection.js';
import { CELL_BASELINE, CELL_HEIGHT, OCRB_ADVANCE_EM, OCRB_CAP_EM, PITCH } from './glyph-templates.js';
import type { GreyView } from './grey-ops.js';
import { localInk, sampleStrip, type Point, type Strip, type StripFrame } from './strip-sampling.js';
import type { CellReading, TemplateClassifier } from './template-classifier.js';

/** Cap height in canonical strip pixels. */
export const CAP = (PITCH * OCRB_CAP_EM) / OCRB_ADVANCE_EM;
/** Rows of room above and below the cell windows in the final strip, for the vertical search. */
const V_ROOM = 3;
/** Glyph ink starts about this fraction of a pitch into its advance cell (OCR-B side bearings). */
const BEARING = 0.15;
/**
 * How far the grid's pitch may stray from the ink's length divided by the character count. The
 * end glyphs' own side bearings (an I or a filler against an M) put that estimate off by at most
 * about ±1.6 % on a 44-character line; more freedom lets a perspective-stretched line lock its
 * grid onto one half and drift a whole character by the other end.
 */
const PITCH_TOLERANCE = 0.02;

export interface LineGeometry {
  strip: Strip;
  /** Baseline row of the strip. */
  baseline: number;
  /** Ink extent along the strip. */
  inkStart: number;
  inkEnd: number;
  /** Maps strip pixels back to image pixels (for crops and evidence). */
  frame: StripFrame;
}

export interface LineReading {
  length: number;
  cells: CellReading[];
  /** Left edge of each cell's advance box in the strip. */
  lefts: number[];
  geometry: LineGeometry;
}

const add = (a: Point, b: Point, k = 1): Point => ({ x: a.x + b.x * k, y: a.y + b.y * k });
const scaled = (a: Point, k: number): Point => ({ x: a.x * k, y: a.y * k });

/** Frame of a strip in the deskewed coordinates of the band, upright or turned by 180°. */
function bandFrame(angle: number, box: LineBox, step: number, padX: number, padY: number, flipped: boolean): StripFrame {
  const along = toImage(angle, step, 0);
  const across = toImage(angle, 0, step);
  if (!flipped) return { origin: toImage(angle, box.start - padX * step, box.top - padY * step), along, across };
  return { origin: toImage(angle, box.end + padX * step, box.bottom + padY * step), along: scaled(along, -1), across: scaled(across, -1) };
}

/**
 * Top of the capitals and the baseline over columns [x0, x1): where the row profile of the
 * longest run of inked rows crosses half its peak, interpolated to a fraction of a pixel (a
 * whole-pixel threshold would make every line a pixel or two taller than it is).
 */
function inkRows(ink: Float32Array, width: number, height: number, x0: number, x1: number, y0 = 0, y1 = height, bridge = 0): { top: number; bottom: number } | null {
  const rows = new Float32Array(height);
  let max = 0;
  for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
    let s = 0;
    for (let x = x0; x < x1; x++) s += ink[y * width + x];
    rows[y] = s;
    max = Math.max(max, s);
  }
  if (max <= 0) return null;
  // The longest run of rows above the level is the line; stray rows of a neighbouring line are
  // shorter. Runs less than `bridge` rows apart are one: over a few characters such as Z, L and
  // 2, whose ink is mostly bars, the rows between cap line and baseline can dip below the level.
  const level = max * 0.35;
  let best: { top: number; bottom: number } | null = null;
  let run: { top: number; bottom: number } | null = null;
  for (let y = 0; y < height; y++) {
    if (rows[y] < level) continue;
    let end = y;
    while (end + 1 < height && rows[end + 1] >= level) end++;
    run = run && y - run.bottom - 1 <= bridge ? { top: run.top, bottom: end } : { top: y, bottom: end };
    if (!best || run.bottom - run.top > best.bottom - best.top) best = run;
    y = end;
  }
  if (!best) return null;
  let peak = 0;
  for (let y = best.top; y <= best.bottom; y++) peak = Math.max(peak, rows[y]);
  const half = peak / 2;
  let top = best.top;
  while (top > 0 && rows[top - 1] >= half) top--;
  while (top < best.bottom && rows[top] < half) top++;
  let bottom = best.bottom;
  while (bottom + 1 < height && rows[bottom + 1] >= half) bottom++;
  while (bottom > top && rows[bottom] < half) bottom--;
  // Edges where the profile crosses half the peak, between the last row below it and the first above.
  const topEdge = top > 0 ? top - (rows[top] - half) / Math.max(1e-6, rows[top] - rows[top - 1]) : top - 0.5;
  const bottomEdge = bottom + 1 < height ? bottom + (rows[bottom] - half) / Math.max(1e-6, rows[bottom] - rows[bottom + 1]) : bottom + 0.5;
  return { top: topEdge, bottom: bottomEdge };
}

/** Ink extent along the strip between rows [top, bottom]: columns with a stroke's worth of ink. */
function inkColumns(ink: Float32Array, width: number, top: number, bottom: number): Float32Array {
  const columns = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    let s = 0;
    for (let y = top; y <= bottom; y++) s += ink[y * width + x];
    columns[x] = s;
  }
  return columns;
}

function extent(columns: Float32Array, level: number, maxGap: number): { start: number; end: number } | null {
  // The longest run of inked columns with gaps no wider than maxGap: the line, without stray specks.
  let best: { start: number; end: number } | null = null;
  let start = -1;
  let last = -1;
  for (let x = 0; x <= columns.length; x++) {
    const on = x < columns.length && columns[x] >= level;
    if (!on) continue;
    if (start < 0 || x - last > maxGap) {
      if (start >= 0 && (!best || last - start > best.end - best.start)) best = { start, end: last };
      start = x;
    }
    last = x;
  }
  if (start >= 0 && (!best || last - start > best.end - best.start)) best = { start, end: last };
  return best;
}

/** A line measured in a first, taller strip at the detector's scale. */
export interface LineMeasure {
  tall: Strip;
  tallFrame: StripFrame;
  columns: Float32Array;
  span: { start: number; end: number };
  /** Baseline at u = uLeft and its slope along the strip. */
  baseline: number;
  uLeft: number;
  slope: number;
}

/** Finds the line's ink, its baseline at both ends (so its slant), in a strip scaled from the detector's estimate. */
export function measureLine(image: GreyView, angle: number, box: LineBox, flipped: boolean): LineMeasure | null {
  const step0 = (box.bottom - box.top) / CAP;
  const padX = 1.5 * PITCH;
  const padY = 0.9 * PITCH;
  const tallWidth = Math.round((box.end - box.start) / step0 + 2 * padX);
  const tallHeight = Math.round(CAP + 2 * padY);
  const tallFrame = bandFrame(angle, box, step0, padX, padY, flipped);
  const tall = sampleStrip(image, tallFrame, tallWidth, tallHeight);
  const tallInk = localInk(tall, 3 * PITCH);
  const rows = inkRows(tallInk, tallWidth, tallHeight, 0, tallWidth);
  if (!rows) return null;
  const columns = inkColumns(tallInk, tallWidth, Math.round(rows.top), Math.round(rows.bottom));
  const span = extent(columns, 1.0, PITCH);
  if (!span || span.end - span.start < 10 * PITCH) return null;
  const third = Math.round((span.end - span.start) / 3);
  // Each end is measured only near the rows of the whole line: the next line's fillers reach into
  // the tall strip and, in an end made of fillers, would otherwise pass for this line's ink.
  const near = 0.3 * CAP;
  const y0 = Math.floor(rows.top - near);
  const y1 = Math.ceil(rows.bottom + near) + 1;
  const bridge = 0.5 * CAP;
  const left = inkRows(tallInk, tallWidth, tallHeight, span.start, span.start + third, y0, y1, bridge);
  const right = inkRows(tallInk, tallWidth, tallHeight, span.end - third, span.end, y0, y1, bridge);
  if (!left || !right) return null;
  const uLeft = span.start + third / 2;
  const uRight = span.end - third / 2;
  // The slant from the middle of the ink, not its bottom: fillers ('<') stand clear of the
  // baseline, and a line ending in a run of them would otherwise seem to rise to the right.
  const middleLeft = (left.top + left.bottom) / 2;
  const middleRight = (right.top + right.bottom) / 2;
  return { tall, tallFrame, columns, span, baseline: left.bottom, uLeft, slope: (middleRight - middleLeft) / (uRight - uLeft) };
}

/**
 * Grid origin and pitch that put the cell boundaries on the least ink (the gaps between
 * characters), for a line of `length` characters; the cost is the boundaries' mean ink relative
 * to the line's mean ink, so lengths can be compared: a wrong length cuts through characters.
 */
export function fitGrid(columns: Float32Array, span: { start: number; end: number }, length: number, tolerance: number): { x0: number; pitch: number; cost: number } {
  const at = (x: number): number => {
    const i = Math.floor(x);
    if (i < 0 || i + 1 >= columns.length) return 0;
    return columns[i] * (1 - (x - i)) + columns[i + 1] * (x - i);
  };
  let mean = 0;
  for (let x = span.start; x <= span.end; x++) mean += columns[x];
  mean /= span.end - span.start + 1;
  const estimate = (span.end + 1 - span.start) / (length - 2 * BEARING);
  let best = { x0: span.start - BEARING * estimate, pitch: estimate, cost: Infinity };
  const pitchStep = estimate * 0.002;
  for (let pitch = estimate * (1 - tolerance); pitch <= estimate * (1 + tolerance); pitch += pitchStep) {
    const x0Centre = span.start - BEARING * pitch;
    for (let x0 = x0Centre - 0.25 * pitch; x0 <= x0Centre + 0.25 * pitch; x0 += 0.25) {
      let cost = 0;
      for (let i = 1; i < length; i++) cost += at(x0 + i * pitch);
      if (cost < best.cost) best = { x0, pitch, cost };
    }
  }
  return { ...best, cost: best.cost / (length - 1) / Math.max(mean, 1e-6) };
}

/** How well a line of each candidate length fits the measured line (lower is better). */
export function lengthCosts(measure: LineMeasure, lengths: readonly number[]): Map<number, number> {
  return new Map(lengths.map((n) => [n, fitGrid(measure.columns, measure.span, n, PITCH_TOLERANCE).cost]));
}

/**
 * The final strip of a line of `length` characters: pitch exactly PITCH, the baseline level on
 * row CELL_BASELINE + V_ROOM, one pitch of paper before the first cell.
 */
export function sampleLine(image: GreyView, measure: LineMeasure, length: number): LineGeometry {
  const grid = fitGrid(measure.columns, measure.span, length, PITCH_TOLERANCE);
  const ratio = grid.pitch / PITCH; // tall-strip pixels per final-strip pixel
  const { tallFrame, slope, uLeft } = measure;
  const baselineRow = CELL_BASELINE + V_ROOM;
  const u0 = grid.x0 - PITCH * ratio;
  const width = Math.round((length + 2) * PITCH);
  const height = CELL_HEIGHT + 2 * V_ROOM;
  // Tall (u, v) = (u0 + r·u', baseline + slope·(u0 + r·u' − uLeft) + (v' − baselineRow + ½)·r), composed with the tall frame.
  const baseV = measure.baseline + slope * (u0 - uLeft) - (baselineRow - 0.5) * ratio;
  const origin = add(add(tallFrame.origin, tallFrame.along, u0), tallFrame.across, baseV);
  const along = add(scaled(tallFrame.along, ratio), tallFrame.across, slope * ratio);
  const across = scaled(tallFrame.across, ratio);
  const frame = { origin, along, across };
  const strip = sampleStrip(image, frame, width, height);
  return { strip, baseline: baselineRow, inkStart: PITCH, inkEnd: PITCH * (length + 1), frame };
}

/** Least-squares quadratic through the cells' found positions (a perspective view bends the pitch). */
function refitLefts(lefts: number[], cells: CellReading[]): number[] {
  const fit = weightedQuadratic(lefts.map((_, i) => i), lefts.map((left, i) => left + cells[i].dx), cells.map(weightOf));
  return lefts.map((_, i) => fit(i));
}

/** Weighted least-squares y = a + b·x + c·x², as a function; falls back to a line when the data cannot hold a curve. */
function weightedQuadratic(xs: number[], ys: number[], ws: number[]): (x: number) => number {
  const n = xs.length;
  // Normal equations for y = a + b·i + c·i².
  const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const r = [0, 0, 0];
  for (let k = 0; k < n; k++) {
    const basis = [1, xs[k], xs[k] * xs[k]];
    for (let i = 0; i < 3; i++) {
      r[i] += ws[k] * basis[i] * ys[k];
      for (let j = 0; j < 3; j++) m[i][j] += ws[k] * basis[i] * basis[j];
    }
  }
  const solution = solve3(m, r);
  if (!solution) return weightedLine(xs, ys, ws);
  return (x) => solution[0] + solution[1] * x + solution[2] * x * x;
}

function solve3(m: number[][], r: number[]): number[] | null {
  const a = m.map((row, i) => [...row, r[i]]);
  for (let c = 0; c < 3; c++) {
    let pivot = c;
    for (let k = c + 1; k < 3; k++) if (Math.abs(a[k][c]) > Math.abs(a[pivot][c])) pivot = k;
    if (Math.abs(a[pivot][c]) < 1e-9) return null;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let k = 0; k < 3; k++) {
      if (k === c) continue;
      const f = a[k][c] / a[c][c];
      for (let j = c; j < 4; j++) a[k][j] -= f * a[c][j];
    }
  }
  return [a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]];
}

/** Reads the cells of a sampled line of `length` characters, each limited to its allowed characters. */
export function readCells(geometry: LineGeometry, length: number, allowed: readonly string[], classifier: TemplateClassifier): LineReading {
  const all = Array.from({ length }, (_, i) => i);
  // Anchors: a few cells spread along the line, searched widely, place the grid to a pixel
  // (the gaps between characters alone leave it a few pixels loose at the far end).
  const anchors = Array.from({ length: 10 }, (_, k) => Math.round((k * (length - 1)) / 9));
  const predicted = (i: number) => geometry.inkStart + i * PITCH;
  const found = classifier.classify(geometry.strip, geometry.baseline, anchors.map((i) => ({ left: predicted(i), allowed: allowed[i] })), 3, 3, 2);
  // Quadratic along the line: a perspective view changes the pitch from one end to the other.
  const dxFit = weightedQuadratic(anchors, found.map((c) => c.dx), found.map(weightOf));
  const dyFit = weightedQuadratic(anchors, found.map((c) => c.dy), found.map(weightOf));
  let lefts = all.map((i) => predicted(i) + dxFit(i));
  const rows = all.map((i) => geometry.baseline + dyFit(i));
  const classifyAt = (indices: number[]) =>
    indices.map((i) => classifier.classify(geometry.strip, rows[i], [{ left: lefts[i], allowed: allowed[i] }], 1, 2)[0]);
  const cells = classifyAt(all);
  // A perspective view bends the grid: refit it to where the characters were found, and read
  // again the cells whose predicted place moved.
  const refitted = refitLefts(lefts, cells);
  const moved = all.filter((i) => Math.abs(refitted[i] - lefts[i]) >= 0.5);
  lefts = refitted;
  classifyAt(moved).forEach((cell, k) => (cells[moved[k]] = cell));
  return { length, cells, lefts, geometry };
}

/** How much a cell's found position can be trusted: a clear, well-separated match. */
function weightOf(cell: CellReading): number {
  const top = cell.ranking[0];
  const second = cell.ranking[1];
  return Math.max(0, top.score - 0.3) * (second ? Math.max(0.05, top.score - second.score) : 1);
}

/** Weighted least-squares line through (x, y), as a function. */
function weightedLine(xs: number[], ys: number[], ws: number[]): (x: number) => number {
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    sw += ws[i];
    sx += ws[i] * xs[i];
    sy += ws[i] * ys[i];
    sxx += ws[i] * xs[i] * xs[i];
    sxy += ws[i] * xs[i] * ys[i];
  }
  if (sw <= 0) return () => 0;
  const det = sw * sxx - sx * sx;
  if (Math.abs(det) < 1e-9) return () => sy / sw;
  const b = (sw * sxy - sx * sy) / det;
  const a = (sy - b * sx) / sw;
  return (x) => a + b * x;
}
