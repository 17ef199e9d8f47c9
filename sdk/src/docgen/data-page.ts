/**
 * Draws the biographical data page of a document as a full-page reader would image it under
 * white, infrared and ultraviolet light. Each page is an SVG composed in millimetres (the
 * document's own coordinate system) and rasterised by sharp/librsvg, so the MRZ sits at the
 * ICAO pitch whatever the output width. The simulator's specimens and the generated OCR test
 * documents are both drawn here.
 *
 * The light sources differ in what they reveal, and inspection checks rely on that:
 * - IR: security inks of the background and visual zone are IR-transparent and vanish; the MRZ
 *   (carbon-based ink) and the portrait stay dark — unless the document is a counterfeit printed
 *   with ordinary ink, then the MRZ fades away too.
 * - UV: genuine security paper is "dull" (no optical brighteners) and shows only its
 *   fluorescent fibres and UV print; ordinary brightened paper glows light blue all over.
 */
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import type { LightSource } from '../contracts/reader-driver.js';
import { TesseraError } from '../errors.js';
import { seededRandom } from '../mrz/sample-documents.js';
import { withPngDensity } from './png-density.js';

/** Formats the page renderer can draw (the ICAO ones; the French ID card has its own layout). */
export type DocFormat = 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB';

/** What the data page shows: the VIZ fields, the MRZ lines, and how the page answers IR and UV light. */
export interface DataPageContent {
  /** Seeds the page's random details (UV fibres), so the same document looks the same on every render. */
  id: string;
  format: DocFormat;
  mrz: readonly string[];
  viz: {
    documentType: string;
    issuingState: string;
    surname: string;
    givenNames: string;
    nationality: string;
    /** YYYY-MM-DD. */
    birthDate: string;
    sex: 'M' | 'F' | 'X';
    documentNumber: string;
    /** YYYY-MM-DD. */
    issueDate: string;
    /** YYYY-MM-DD. */
    expiryDate: string;
    placeOfBirth?: string;
    authority?: string;
  };
  /**
   * Genuine documents print the MRZ with IR-absorbing ink and use paper without optical
   * brighteners (dull under UV); a counterfeit may get either wrong.
   */
  light: { irMrzVisible: boolean; uvDull: boolean };
}

export const DEFAULT_PAGE_WIDTH_PX = 1250;

type Format = DocFormat;

interface FormatSpec {
  /** Document size in mm (ICAO Doc 9303 parts 4–7). */
  w: number;
  h: number;
  /** Height of the MRZ zone measured from the bottom edge. */
  zone: number;
  /** Baseline of the last MRZ line above the bottom edge, and the distance between baselines. */
  bottom: number;
  lineGap: number;
  chars: number;
  lines: number;
}

const FORMATS: Readonly<Record<Format, FormatSpec>> = {
  TD1: { w: 85.6, h: 54, zone: 17.9, bottom: 3.6, lineGap: 4.2, chars: 30, lines: 3 },
  TD2: { w: 105, h: 74, zone: 21, bottom: 5.0, lineGap: 4.4, chars: 36, lines: 2 },
  TD3: { w: 125, h: 88, zone: 23.2, bottom: 5.2, lineGap: 4.4, chars: 44, lines: 2 },
  MRVA: { w: 120, h: 80, zone: 23.2, bottom: 5.2, lineGap: 4.4, chars: 44, lines: 2 },
  MRVB: { w: 105, h: 74, zone: 21, bottom: 5.0, lineGap: 4.4, chars: 36, lines: 2 },
};

/** ICAO 9303 part 3: OCR-B size 1 at 10 characters per inch. */
const MRZ_PITCH_MM = 2.54;
// OCR-B advances 0.723 em and its capitals are 0.73 em tall (measured on the installed OCRB.otf);
// choosing the size from the advance makes the font's own spacing match the ICAO pitch.
const OCRB_ADVANCE_EM = 0.723;
const OCRB_CAP_EM = 0.73;
const MRZ_FONT_MM = MRZ_PITCH_MM / OCRB_ADVANCE_EM;

const SANS = "'DejaVu Sans', sans-serif";
const OCRB = "'OCR B', 'OCRB', 'OCR-B', monospace";

export interface PageGeometry {
  widthMm: number;
  heightMm: number;
  width: number;
  height: number;
  dpi: number;
  /** Pixel box around the MRZ characters. */
  mrzBand: PixelBox;
  /** Pixel box of the printed portrait (its flat background included). */
  portrait: PixelBox;
}

export interface PixelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Pixel size, resolution and MRZ position of a page of `format` rendered `widthPx` wide. */
export function pageGeometry(format: Format, widthPx = DEFAULT_PAGE_WIDTH_PX): PageGeometry {
  const f = FORMATS[format];
  const scale = widthPx / f.w;
  const height = Math.round(f.h * scale);
  const mrz = mrzPlacement(f);
  const top = mrz.baselines[0] - MRZ_FONT_MM * OCRB_CAP_EM - 0.4;
  const bottom = mrz.baselines[mrz.baselines.length - 1] + 0.4;
  const photo = layoutOf(f);
  return {
    widthMm: f.w,
    heightMm: f.h,
    width: widthPx,
    height,
    dpi: Math.round(scale * 25.4),
    mrzBand: {
      left: Math.floor(mrz.left * scale),
      top: Math.floor(top * scale),
      width: Math.ceil(f.chars * MRZ_PITCH_MM * scale),
      height: Math.ceil((bottom - top) * scale),
    },
    // Rounded inwards, so every pixel inside the box is photo.
    portrait: insideBox(photo.margin * scale, photo.photoY * scale, (photo.margin + photo.photoW) * scale, (photo.photoY + photo.photoH) * scale),
  };
}

function insideBox(x0: number, y0: number, x1: number, y1: number): PixelBox {
  const left = Math.ceil(x0);
  const top = Math.ceil(y0);
  return { left, top, width: Math.floor(x1) - left, height: Math.floor(y1) - top };
}

/** Where the header ends and the portrait sits, in mm; shared by the drawing and the geometry. */
function layoutOf(f: FormatSpec): { k: number; margin: number; zoneTop: number; headSize: number; headBase: number; headerBottom: number; photoY: number; photoH: number; photoW: number } {
  const k = f.h / 88;
  const margin = Math.max(3, f.w * 0.045);
  const zoneTop = f.h - f.zone;
  const headSize = 3.6 * k;
  const headBase = margin + headSize * 0.8;
  const headerBottom = headBase + 2.6 * k;
  const photoY = headerBottom + 0.6;
  const photoH = Math.min(zoneTop - photoY - 1.5, f.h * 0.5);
  return { k, margin, zoneTop, headSize, headBase, headerBottom, photoY, photoH, photoW: photoH * 0.78 };
}

function mrzPlacement(f: FormatSpec): { left: number; baselines: number[] } {
  const baselines = Array.from({ length: f.lines }, (_, i) => f.h - f.bottom - (f.lines - 1 - i) * f.lineGap);
  return { left: (f.w - f.chars * MRZ_PITCH_MM) / 2, baselines };
}

// ---------------------------------------------------------------------------------------------
// Palettes: one per light, so the layout code never asks which light it is drawing for.

interface Palette {
  paper: string;
  /** Guilloche stroke colours; empty when the background ink vanishes under this light. */
  guilloche: string[];
  /** Veil over the MRZ zone (keeps it readable); null for none. */
  zoneVeil: string | null;
  state: string;
  title: string;
  label: string | null;
  value: string;
  signature: string | null;
  emblem: string | null;
  photo: { bg: string; shoulders: string; skin: string; hair: string };
  mrz: string;
  uvFeatures: boolean;
}

function palette(doc: DataPageContent, light: LightSource): Palette {
  if (light === 'white') {
    return {
      paper: 'url(#paper)',
      guilloche: ['#b9cfe2', '#dcc0d2', '#c3dcc6'],
      zoneVeil: '#f5f3ef',
      state: '#7b1e3f',
      title: '#1f2d5c',
      label: '#5a6683',
      value: '#15171c',
      signature: '#1c2d78',
      emblem: '#b98f3e',
      photo: { bg: '#d8e0e8', shoulders: '#4c5a6b', skin: '#c6a58b', hair: '#3a2e28' },
      mrz: '#111111',
      uvFeatures: false,
    };
  }
  if (light === 'ir') {
    return {
      paper: '#d8d8d8',
      guilloche: [],
      zoneVeil: null,
      state: '#cdcdcd',
      title: '#cbcbcb',
      label: null,
      value: '#b3b3b3',
      signature: null,
      emblem: null,
      photo: { bg: '#9c9c9c', shoulders: '#2a2a2a', skin: '#4a4a4a', hair: '#1e1e1e' },
      mrz: doc.light.irMrzVisible ? '#141414' : '#d2d2d2',
      uvFeatures: false,
    };
  }
  if (doc.light.uvDull) {
    // Security paper has no brighteners: only its fibres and the UV print light up.
    return {
      paper: '#0b0e26',
      guilloche: [],
      zoneVeil: null,
      state: '#191d3a',
      title: '#191d3a',
      label: null,
      value: '#1b1f3d',
      signature: null,
      emblem: null,
      photo: { bg: '#10142e', shoulders: '#1c2142', skin: '#20264a', hair: '#151936' },
      mrz: '#171b36',
      uvFeatures: true,
    };
  }
  // Ordinary paper: optical brighteners make it glow, ink shows as dark print on it, and there
  // are no fibres or UV print to see.
  return {
    paper: 'url(#glow)',
    guilloche: [],
    zoneVeil: null,
    state: '#4a5a80',
    title: '#4a5a80',
    label: '#7f95c0',
    value: '#34425f',
    signature: '#5a6c96',
    emblem: null,
    photo: { bg: '#8ea6cd', shoulders: '#3a4662', skin: '#56668a', hair: '#2e3852' },
    mrz: '#2a344d',
    uvFeatures: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing helpers. Coordinates are millimetres; two decimals are far below a pixel.

const n = (v: number) => (Math.round(v * 100) / 100).toString();

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function polyline(points: Array<[number, number]>): string {
  let d = `M${n(points[0][0])} ${n(points[0][1])}`;
  for (let i = 1; i < points.length; i++) d += `L${n(points[i][0])} ${n(points[i][1])}`;
  return d;
}

/** Smooth curve through the points (Catmull-Rom turned into cubic Béziers). */
function smoothPath(pts: Array<[number, number]>): string {
  let d = `M${n(pts[0][0])} ${n(pts[0][1])}`;
  for (let i = 0; i < pts.length - 1; i++) {
    const p0 = pts[Math.max(0, i - 1)];
    const [p1, p2] = [pts[i], pts[i + 1]];
    const p3 = pts[Math.min(pts.length - 1, i + 2)];
    d += `C${n(p1[0] + (p2[0] - p0[0]) / 6)} ${n(p1[1] + (p2[1] - p0[1]) / 6)} ${n(p2[0] - (p3[0] - p1[0]) / 6)} ${n(p2[1] - (p3[1] - p1[1]) / 6)} ${n(p2[0])} ${n(p2[1])}`;
  }
  return d;
}

/** A PRNG seeded by text, so a page's fibres and signature look the same on every render. */
function prng(seedText: string): () => number {
  let seed = 2166136261; // FNV-1a over the UTF-16 code units
  for (let i = 0; i < seedText.length; i++) seed = Math.imul(seed ^ seedText.charCodeAt(i), 16777619);
  return seededRandom(seed);
}

// Background artwork depends only on the format and colours; building its path data costs more
// than the rest of the SVG together, so it is built once per process.
const artwork = new Map<string, string>();

function memo(key: string, build: () => string): string {
  let value = artwork.get(key);
  if (value === undefined) artwork.set(key, (value = build()));
  return value;
}

/** Wavy hatching over the page and an interlaced "rope" band: the classic guilloche look. */
function guilloche(f: FormatSpec, colours: string[]): string {
  if (!colours.length) return '';
  return memo(`guilloche|${f.w}x${f.h}|${colours.join()}`, () => drawGuilloche(f, colours));
}

function drawGuilloche(f: FormatSpec, colours: string[]): string {
  const out: string[] = [];
  const steps = 80;
  const hatch: string[] = [];
  for (let k = 0; k < 26; k++) {
    const y0 = (f.h * (k + 0.5)) / 26;
    const pts: Array<[number, number]> = [];
    for (let i = 0; i <= steps; i++) {
      const x = (f.w * i) / steps;
      pts.push([x, y0 + 1.6 * Math.sin((2 * Math.PI * x) / 21 + k * 0.55) + 0.7 * Math.sin((2 * Math.PI * x) / 7.3 - k * 0.3)]);
    }
    hatch.push(smoothPath(pts));
  }
  out.push(`<path d="${hatch.join('')}" fill="none" stroke="${colours[0]}" stroke-width="0.12"/>`);
  for (const [band, colour] of [[0.36, colours[1]], [0.62, colours[2] ?? colours[1]]] as const) {
    const rope: string[] = [];
    for (let k = 0; k < 10; k++) {
      const pts: Array<[number, number]> = [];
      for (let i = 0; i <= steps; i++) {
        const x = (f.w * i) / steps;
        const envelope = 0.55 + 0.45 * Math.cos((2 * Math.PI * x) / (f.w / 2.5));
        pts.push([x, f.h * band + f.h * 0.055 * envelope * Math.sin((2 * Math.PI * x) / 9 + (k * Math.PI) / 5)]);
      }
      rope.push(smoothPath(pts));
    }
    out.push(`<path d="${rope.join('')}" fill="none" stroke="${colour}" stroke-width="0.14"/>`);
  }
  return out.join('');
}

/** A rosette of phase-shifted petal curves, the state emblem of the specimens. */
function rosette(cx: number, cy: number, r: number, stroke: string, width: number, opacity = 1): string {
  return memo(`rosette|${[cx, cy, r, stroke, width, opacity].join()}`, () => drawRosette(cx, cy, r, stroke, width, opacity));
}

function drawRosette(cx: number, cy: number, r: number, stroke: string, width: number, opacity: number): string {
  const curves: string[] = [];
  for (let j = 0; j < 8; j++) {
    const pts: Array<[number, number]> = [];
    for (let i = 0; i <= 180; i++) {
      const t = (2 * Math.PI * i) / 180;
      const rad = r * (0.64 + 0.2 * Math.sin(9 * t + (j * Math.PI) / 4) + 0.16 * Math.cos(5 * t - j * 0.4));
      pts.push([cx + rad * Math.cos(t), cy + rad * Math.sin(t)]);
    }
    curves.push(smoothPath(pts) + 'Z');
  }
  return `<path d="${curves.join('')}" fill="none" stroke="${stroke}" stroke-width="${n(width)}" opacity="${opacity}"/>` +
    `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r * 0.22)}" fill="none" stroke="${stroke}" stroke-width="${n(width * 1.6)}" opacity="${opacity}"/>`;
}

/** A neutral portrait placeholder: shoulders, neck, hair and face as flat shapes. */
function portrait(x: number, y: number, w: number, h: number, c: Palette['photo']): string {
  const cx = x + w / 2;
  return [
    `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${c.bg}"/>`,
    `<path d="M${n(x)} ${n(y + h)}L${n(x)} ${n(y + 0.88 * h)}C${n(x + 0.06 * w)} ${n(y + 0.74 * h)} ${n(x + 0.26 * w)} ${n(y + 0.7 * h)} ${n(x + 0.38 * w)} ${n(y + 0.68 * h)}` +
      `L${n(x + 0.62 * w)} ${n(y + 0.68 * h)}C${n(x + 0.74 * w)} ${n(y + 0.7 * h)} ${n(x + 0.94 * w)} ${n(y + 0.74 * h)} ${n(x + w)} ${n(y + 0.88 * h)}L${n(x + w)} ${n(y + h)}Z" fill="${c.shoulders}"/>`,
    `<rect x="${n(cx - 0.09 * w)}" y="${n(y + 0.5 * h)}" width="${n(0.18 * w)}" height="${n(0.2 * h)}" fill="${c.skin}"/>`,
    `<ellipse cx="${n(cx)}" cy="${n(y + 0.33 * h)}" rx="${n(0.22 * w)}" ry="${n(0.22 * h)}" fill="${c.hair}"/>`,
    `<ellipse cx="${n(cx)}" cy="${n(y + 0.375 * h)}" rx="${n(0.19 * w)}" ry="${n(0.2 * h)}" fill="${c.skin}"/>`,
  ].join('');
}

/**
 * A handwriting-like signature seeded by the holder's name: a tall initial, then up- and
 * down-strokes of varying height with the odd backward loop, and a closing underline.
 */
function signature(x: number, y: number, w: number, h: number, colour: string, seed: string): string {
  const rnd = prng(seed);
  const base = y + h * 0.72;
  const pts: Array<[number, number]> = [[x, base], [x + w * 0.05, y], [x + w * 0.08, base + h * 0.1], [x + w * 0.02, y + h * 0.45]];
  let cx = x + w * 0.1;
  let up = true;
  while (cx < x + w * 0.88) {
    if (up) {
      const tall = rnd() < 0.3;
      pts.push([cx, y + h * (tall ? 0.05 : 0.35 + rnd() * 0.15)]);
      // A backward step at the top of a tall stroke closes a loop, as in an 'l' or 'b'.
      if (tall) pts.push([cx - w * 0.025, y + h * 0.3]);
    } else {
      pts.push([cx, base - rnd() * h * 0.08]);
    }
    up = !up;
    cx += w * (0.03 + rnd() * 0.035);
  }
  pts.push([x + w, y + h * 0.3], [x + w * 0.6, y + h * 0.95], [x + w * 0.15, y + h * 0.9]);
  return `<path d="${smoothPath(pts)}" fill="none" stroke="${colour}" stroke-width="0.22" stroke-linecap="round" stroke-linejoin="round"/>`;
}

/** Fluorescent fibres, UV-printed wavy lines and a glowing emblem: what genuine paper shows under UV. */
function uvFeatures(f: FormatSpec, doc: DataPageContent): string {
  const rnd = prng(doc.id);
  const colours = ['#ff4d6d', '#52ff7a', '#ffe04a', '#4db8ff'];
  const fibres: string[] = [];
  const count = Math.round((f.w * f.h) / 120);
  for (let i = 0; i < count; i++) {
    const x = rnd() * f.w;
    const y = rnd() * f.h;
    const len = 1.5 + rnd() * 3.5;
    const ang = rnd() * Math.PI * 2;
    const bend = (rnd() - 0.5) * 2;
    const x2 = x + len * Math.cos(ang);
    const y2 = y + len * Math.sin(ang);
    const qx = (x + x2) / 2 + bend * Math.sin(ang);
    const qy = (y + y2) / 2 - bend * Math.cos(ang);
    fibres.push(`<path d="M${n(x)} ${n(y)}Q${n(qx)} ${n(qy)} ${n(x2)} ${n(y2)}" stroke="${colours[i % colours.length]}" stroke-width="0.16" fill="none"/>`);
  }
  const lines: string[] = [];
  for (let k = 0; k < 3; k++) {
    const pts: Array<[number, number]> = [];
    for (let i = 0; i <= 100; i++) {
      const x = (f.w * i) / 100;
      pts.push([x, f.h * (0.2 + 0.22 * k) + 2.2 * Math.sin((2 * Math.PI * x) / 30 + k * 1.9)]);
    }
    lines.push(`<path d="${polyline(pts)}" fill="none" stroke="${k === 1 ? '#ff5fa2' : '#5fd4ff'}" stroke-width="0.3" opacity="0.85"/>`);
  }
  const cx = f.w * 0.6;
  const cy = (f.h - f.zone) * 0.55;
  const r = f.h * 0.2;
  // The glow: a wide, faint stroke under a thin bright one.
  const emblem = rosette(cx, cy, r, '#c8ff3c', 1.4, 0.25) + rosette(cx, cy, r, '#e4ff6e', 0.3);
  const text = `<text x="${n(f.w / 2)}" y="${n(f.h - f.zone + 4)}" font-family="${SANS}" font-weight="bold" font-size="${n(f.h * 0.05)}" letter-spacing="${n(f.h * 0.03)}" text-anchor="middle" fill="#ff6a3d" opacity="0.9">${esc(stateName(doc.viz.issuingState))}</text>`;
  return lines.join('') + fibres.join('') + emblem + text;
}

// ---------------------------------------------------------------------------------------------
// Visual zone content.

const STATE_NAMES: Readonly<Record<string, { name: string; nationality: string }>> = {
  UTO: { name: 'UTOPIA', nationality: 'UTOPIAN' },
};

function stateName(code: string): string {
  return STATE_NAMES[code]?.name ?? code;
}

function nationalityText(code: string): string {
  return STATE_NAMES[code]?.nationality ?? code;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Doc 9303's recommended VIZ date form: "17 APR 1988". */
function vizDate(iso: string): string {
  return `${iso.slice(8, 10)} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
}

interface Cell {
  label: string;
  value: string;
  weight?: number;
}

function title(doc: DataPageContent): string {
  if (doc.format === 'MRVA' || doc.format === 'MRVB') return 'VISA';
  if (doc.viz.documentType.startsWith('P')) return 'PASSPORT / PASSEPORT';
  return "IDENTITY CARD / CARTE D'IDENTITÉ";
}

function rows(doc: DataPageContent): Cell[][] {
  const v = doc.viz;
  const surname: Cell[] = [{ label: 'Surname / Nom', value: v.surname }];
  const given: Cell[] = [{ label: 'Given names / Prénoms', value: v.givenNames }];
  if (doc.format === 'MRVA' || doc.format === 'MRVB') {
    return [
      [{ label: 'Valid from / Du', value: vizDate(v.issueDate) }, { label: 'Until / Au', value: vizDate(v.expiryDate) }, { label: 'Visa No.', value: v.documentNumber }],
      [{ label: 'Type', value: 'C' }, { label: 'Entries / Entrées', value: 'MULT' }, { label: 'Duration / Durée', value: '90 DAYS' }],
      [{ label: 'Issued at / Délivré à', value: v.authority ?? stateName(v.issuingState) }],
      surname,
      given,
      [{ label: 'Date of birth', value: vizDate(v.birthDate) }, { label: 'Sex', value: v.sex }, { label: 'Nationality', value: nationalityText(v.nationality) }],
    ];
  }
  if (doc.format === 'TD1') {
    return [
      surname,
      given,
      [{ label: 'Sex / Sexe', value: v.sex, weight: 0.6 }, { label: 'Nationality', value: nationalityText(v.nationality) }, { label: 'Date of birth', value: vizDate(v.birthDate), weight: 1.2 }],
      [{ label: 'Document No.', value: v.documentNumber }, { label: 'Date of expiry', value: vizDate(v.expiryDate) }],
    ];
  }
  if (doc.format === 'TD2') {
    return [
      surname,
      given,
      [{ label: 'Sex / Sexe', value: v.sex, weight: 0.6 }, { label: 'Nationality', value: nationalityText(v.nationality) }, { label: 'Date of birth', value: vizDate(v.birthDate), weight: 1.2 }],
      [{ label: 'Place of birth / Lieu de naissance', value: v.placeOfBirth ?? '' }],
      [{ label: 'Document No.', value: v.documentNumber }, { label: 'Date of issue', value: vizDate(v.issueDate) }, { label: 'Date of expiry', value: vizDate(v.expiryDate) }],
    ];
  }
  return [
    [{ label: 'Type', value: v.documentType, weight: 0.5 }, { label: 'Code', value: v.issuingState, weight: 0.6 }, { label: 'Passport No. / N° du passeport', value: v.documentNumber, weight: 1.6 }],
    surname,
    given,
    [{ label: 'Nationality / Nationalité', value: nationalityText(v.nationality) }],
    [{ label: 'Date of birth / Date de naissance', value: vizDate(v.birthDate), weight: 1.5 }, { label: 'Sex / Sexe', value: v.sex }],
    [{ label: 'Place of birth / Lieu de naissance', value: v.placeOfBirth ?? '' }],
    [{ label: 'Date of issue / Date de délivrance', value: vizDate(v.issueDate) }, { label: "Date of expiry / Date d'expiration", value: vizDate(v.expiryDate) }],
    [{ label: 'Authority / Autorité', value: v.authority ?? '' }],
  ];
}

/**
 * The page as two SVG layers: the background (paper, guilloche, the zone veil), which depends only
 * on the format, size and light and is the costly part to rasterise, and everything that belongs
 * to the one document. renderDataPage rasterises each background once and draws documents over it.
 */
interface PageLayers {
  /** Identifies the background raster: same key, same pixels. */
  backgroundKey: string;
  /** The opening <svg> element and the paint definitions both layers may use. */
  open: string;
  background: string;
  foreground: string;
}

function dataPageLayers(doc: DataPageContent, light: LightSource, widthPx: number): PageLayers {
  const f = FORMATS[doc.format];
  const p = palette(doc, light);
  const geo = pageGeometry(doc.format, widthPx);
  const { k, margin: m, zoneTop, headSize, headBase, headerBottom, photoY, photoH, photoW } = layoutOf(f);
  const open =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${geo.width}" height="${geo.height}" viewBox="0 0 ${f.w} ${f.h}">` +
    '<defs>' +
    '<linearGradient id="paper" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f1f5ec"/><stop offset="0.5" stop-color="#f8f0f2"/><stop offset="1" stop-color="#edf2f7"/></linearGradient>' +
    '<radialGradient id="glow" cx="0.5" cy="0.45" r="0.75"><stop offset="0" stop-color="#d2e4ff"/><stop offset="1" stop-color="#a9c5f2"/></radialGradient>' +
    '</defs>';
  const background: string[] = [`<rect width="${f.w}" height="${f.h}" fill="${p.paper}"/>`, guilloche(f, p.guilloche)];
  if (p.guilloche.length) background.push(rosette(f.w * 0.62, zoneTop * 0.58, zoneTop * 0.36, p.guilloche[1], 0.12, 0.9));
  if (p.zoneVeil) background.push(`<rect x="0" y="${n(zoneTop)}" width="${f.w}" height="${n(f.zone)}" fill="${p.zoneVeil}" opacity="0.75"/>`);
  const backgroundKey = [doc.format, geo.width, p.paper, p.guilloche.join(), p.zoneVeil].join('|');

  const out: string[] = [];
  if (p.uvFeatures) out.push(uvFeatures(f, doc));

  // Header: issuing state, document title, emblem.
  out.push(
    `<text x="${n(m)}" y="${n(headBase)}" font-family="${SANS}" font-weight="bold" font-size="${n(headSize)}" letter-spacing="${n(headSize * 0.12)}" fill="${p.state}">${esc(stateName(doc.viz.issuingState))}</text>`,
    `<text x="${n(f.w * 0.36)}" y="${n(headBase)}" font-family="${SANS}" font-weight="bold" font-size="${n(headSize * 0.78)}" fill="${p.title}">${esc(title(doc))}</text>`,
  );
  if (p.emblem) out.push(rosette(f.w - m - 3.2 * k, m + 2.6 * k, 3.4 * k, p.emblem, 0.14));

  // Portrait, and the holder's signature when there is room beneath it.
  out.push(portrait(m, photoY, photoW, photoH, p.photo));
  const sigRoom = zoneTop - (photoY + photoH) - 1;
  if (p.signature && sigRoom >= 4) {
    out.push(signature(m + 1, photoY + photoH + 1.2, photoW - 2, Math.min(sigRoom - 1, 7), p.signature, doc.viz.surname + doc.viz.givenNames));
  }

  // Visual zone fields.
  const fx = m + photoW + m * 0.8;
  const fw = f.w - m - fx;
  const grid = rows(doc);
  const rowH = (zoneTop - 1 - headerBottom) / grid.length;
  const labelSize = Math.min(1.45 * Math.max(k, 0.75), rowH * 0.24);
  const valueSize = Math.min(2.6 * Math.max(k, 0.8), rowH * 0.42);
  grid.forEach((cells, r) => {
    const y = headerBottom + r * rowH;
    const total = cells.reduce((s, c) => s + (c.weight ?? 1), 0);
    let x = fx;
    for (const cell of cells) {
      const cw = (fw * (cell.weight ?? 1)) / total;
      const value = cell.value.toUpperCase();
      // Shrink long values to their cell rather than let them run into the next one.
      const size = Math.min(valueSize, (cw - 1.5) / Math.max(1, value.length * 0.74));
      if (p.label) out.push(`<text x="${n(x)}" y="${n(y + labelSize + rowH * 0.08)}" font-family="${SANS}" font-size="${n(labelSize)}" fill="${p.label}">${esc(cell.label)}</text>`);
      out.push(`<text x="${n(x)}" y="${n(y + labelSize + rowH * 0.14 + valueSize)}" font-family="${SANS}" font-weight="bold" font-size="${n(size)}" fill="${p.value}">${esc(value)}</text>`);
      x += cw;
    }
  });

  // MRZ: every character placed on the 2.54 mm grid so the pitch holds even under font fallback.
  const mrz = mrzPlacement(f);
  doc.mrz.forEach((line, i) => {
    const xs = Array.from(line, (_, c) => n(mrz.left + c * MRZ_PITCH_MM)).join(' ');
    out.push(`<text x="${xs}" y="${n(mrz.baselines[i])}" font-family="${OCRB}" font-style="normal" font-weight="normal" font-size="${n(MRZ_FONT_MM)}" fill="${p.mrz}">${esc(line)}</text>`);
  });

  return { backgroundKey, open, background: background.join(''), foreground: out.join('') };
}

/** Builds the SVG of the data page under one light; exported for previews and debugging. */
export function dataPageSvg(doc: DataPageContent, light: LightSource, widthPx = DEFAULT_PAGE_WIDTH_PX): string {
  const layers = dataPageLayers(doc, light, widthPx);
  return layers.open + layers.background + layers.foreground + '</svg>';
}


/** Where Debian's fonts-ocr-b package puts the font; librsvg finds it through fontconfig. */
export const OCRB_FONT_PATH = '/usr/share/fonts/opentype/ocr-b/OCRB.otf';

let fontChecked = false;

/**
 * Without OCR-B, librsvg silently falls back to another monospace font and every MRZ drawn would
 * look plausible but be wrong for OCR, so a missing font is an error rather than a fallback.
 */
export function assertOcrBFontInstalled(fontPath = OCRB_FONT_PATH): void {
  if (fontPath === OCRB_FONT_PATH && fontChecked) return;
  if (!existsSync(fontPath)) {
    throw new TesseraError('DOCGEN_FONT_MISSING', `The OCR-B font is not installed (${fontPath} is missing), so MRZs cannot be drawn: apt-get install fonts-ocr-b`, {
      hint: 'Run `apt-get install fonts-ocr-b` (scripts/setup.mjs does it when run as root).',
    });
  }
  if (fontPath === OCRB_FONT_PATH) fontChecked = true;
}

/** No page is drawn beyond this many pixels on a side: a mistyped dpi must not eat the machine's memory. */
export const MAX_PAGE_SIDE_PX = 20000;

export interface RenderedDataPage {
  png: Buffer;
  geometry: PageGeometry;
  /** 1 for the IR image (an IR camera sees one band), 3 for white and UV. */
  channels: 1 | 3;
}

// Rasterised backgrounds (RGB), few and reused across documents: a 300 dpi TD3 page is 4.6 MB.
const backgrounds = new Map<string, Promise<Buffer>>();
const MAX_BACKGROUNDS = 12;

function backgroundRaster(layers: PageLayers): Promise<Buffer> {
  let raster = backgrounds.get(layers.backgroundKey);
  if (raster === undefined) {
    raster = sharp(Buffer.from(layers.open + layers.background + '</svg>')).removeAlpha().raw().toBuffer();
    // Evict the oldest; a failed render must not stay cached either.
    if (backgrounds.size >= MAX_BACKGROUNDS) backgrounds.delete(backgrounds.keys().next().value!);
    backgrounds.set(layers.backgroundKey, raster);
    raster.catch(() => backgrounds.delete(layers.backgroundKey));
  }
  return raster;
}

/**
 * The data page of `content` under one light, `widthPx` wide, as a PNG that records its resolution.
 * `compressionLevel` trades file size for speed (the simulator keeps its pages; the OCR corpus
 * throws them away after one read).
 */
export async function renderDataPage(content: DataPageContent, light: LightSource, widthPx = DEFAULT_PAGE_WIDTH_PX, compressionLevel = 4): Promise<RenderedDataPage> {
  const geometry = pageGeometry(content.format, widthPx);
  if (!Number.isInteger(widthPx) || widthPx < 1 || Math.max(geometry.width, geometry.height) > MAX_PAGE_SIDE_PX) {
    throw new TesseraError('DOCGEN_PAGE_TOO_LARGE', `A ${content.format} page ${widthPx} px wide (${geometry.width}×${geometry.height} px) is not a page size that can be drawn.`, {
      hint: `Ask for a whole number of pixels, at most ${MAX_PAGE_SIDE_PX} on a side (a 300 dpi page is about 1500 px wide).`,
    });
  }
  assertOcrBFontInstalled();
  const layers = dataPageLayers(content, light, widthPx);
  const background = await backgroundRaster(layers);
  let image = sharp(background, { raw: { width: geometry.width, height: geometry.height, channels: 3 } })
    .composite([{ input: Buffer.from(layers.open + layers.foreground + '</svg>') }])
    .removeAlpha();
  // An IR camera sees one band: a single grey channel, as a real reader delivers it.
  if (light === 'ir') image = image.toColourspace('b-w');
  const png = withPngDensity(await image.png({ compressionLevel }).toBuffer(), geometry.dpi);
  return { png, geometry, channels: light === 'ir' ? 1 : 3 };
}
