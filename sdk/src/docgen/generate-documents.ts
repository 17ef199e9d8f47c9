/**
 * Seeded synthetic travel documents for OCR tests and benchmarks. The people and numbers are drawn
 * to stress an MRZ reader where it is weak: letters and digits OCR confuses (O/0, I/1, B/8, S/5,
 * Z/2, D/0, M/H) side by side in numbers, names and optional data; names long enough to be
 * shortened by the ICAO rules; very short names, mononyms and empty optional data that leave long
 * runs of '<' fillers. A share of the documents is printed with one deliberately wrong check digit,
 * as some real specimens are, so a reader can be held to reporting them as printed.
 */
import { TesseraError } from '../errors.js';
import { composeMrz, recomputeCompositeCheckDigit } from '../mrz/compose-mrz.js';
import { LAYOUTS, type Slot } from '../mrz/formats.js';
import { seededRandom } from '../mrz/sample-documents.js';
import type { DocFormat } from './data-page.js';

export const DOC_FORMATS: readonly DocFormat[] = ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'];

export interface GeneratedDocument {
  /** Stable for a seed: `<seed>-<index>-<format>`. */
  id: string;
  format: DocFormat;
  /** The MRZ lines as printed on the document. */
  mrz: string[];
  /** False when one check digit was printed wrong on purpose (exactly one; the rest are right). */
  validMrz: boolean;
  /**
   * The data as printed in the visual zone: names in A–Z and spaces, unshortened (the MRZ may hold
   * an ICAO-shortened form), dates YYYY-MM-DD, document number in full.
   */
  fields: {
    documentCode: string;
    issuingState: string;
    surname: string;
    givenNames: string;
    documentNumber: string;
    nationality: string;
    birthDate: string;
    sex: 'M' | 'F' | 'X';
    expiryDate: string;
    optionalData?: string;
  };
}

export interface GenerateDocumentsOptions {
  seed: number;
  count: number;
  /** Formats in turn (document i has formats[i % length]); default all five. */
  formats?: DocFormat[];
  /** Share of documents, 0–1, printed with one wrong check digit; default 0.1. */
  invalidShare?: number;
}

/** Letters and digits each OCR engine mixes up with the other half of its pair. */
const CONFUSABLE = 'O0I1B8S5Z2D0MH';
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// Real ISO 3166 codes, chosen for the confusable letters in them; UTO is ICAO's specimen state.
const STATES = ['UTO', 'D', 'BOL', 'SOM', 'MOZ', 'ZMB', 'DOM', 'HND', 'IDN', 'BIH', 'MDA', 'SDN', 'ZAF', 'DZA', 'HUN', 'OMN', 'BDI', 'MHL', 'NLD', 'ISL'];
const SURNAMES = [
  'OBOLENSKY', 'DZIEDZIC', 'SZOBOSZLAI', 'HOLMBERG', 'BOOZ', 'ZIZZO', 'DOBOS', 'IBSEN', 'MIHAILOVIC', 'OOSTERHOUT',
  'VAN DER BOSCH', 'DE LA ISLA', 'HAMMOND', 'ODUMOSU', 'ZSOLDOS', 'LI', 'O', 'NG', 'MOHD ZAIDI',
  // Longer than any name field: the ICAO shortening rules apply.
  'WOLFESCHLEGELSTEINHAUSENBERGERDORFF', 'PAPADOPOULOU KONSTANTINIDOU', 'DOS SANTOS BOMFIM DA SILVA MOREIRA',
];
const GIVEN_NAMES = [
  'ZOE', 'BOB', 'ISIDORO', 'DMITRI', 'OSSIAN', 'IMOGEN', 'ZHIHAO', 'SIOBHAN', 'HIROSHI', 'BOZIDAR', 'MOHAMMED ABDUL',
  'ODDBJORN', 'DIDIER', 'SZABOLCS', 'MHAIRI', 'HUMBERTO', 'BIBI', '',
  'MARIA DE LOS DOLORES ISABEL', 'JEAN BAPTISTE MODESTE HIPPOLYTE',
];

type Random = () => number;

const pick = <T>(rand: Random, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

/** Characters for numbers and optional data: mostly from the confusable pairs, some from all of A–Z0–9. */
function confusableText(rand: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += rand() < 0.7 ? pick(rand, [...CONFUSABLE]) : pick(rand, [...ALNUM]);
  return out;
}

function isoDate(rand: Random, fromYear: number, years: number): string {
  const y = fromYear + Math.floor(rand() * years);
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function documentCode(rand: Random, format: DocFormat): string {
  if (format === 'TD3') return pick(rand, ['P', 'P', 'PD', 'PO']);
  if (format === 'MRVA' || format === 'MRVB') return pick(rand, ['V', 'V', 'VD']);
  return pick(rand, ['I', 'ID', 'IR', 'AC']);
}

function drawFields(rand: Random, format: DocFormat): GeneratedDocument['fields'] {
  const layout = LAYOUTS[format];
  // TD1/TD2 numbers longer than nine characters continue in the optional data (Doc 9303 parts 5–6).
  const longNumber = (format === 'TD1' || format === 'TD2') && rand() < 0.15;
  const numberLength = longNumber ? 10 + Math.floor(rand() * 3) : rand() < 0.2 ? 6 + Math.floor(rand() * 3) : 9;
  const optionalRoom = longNumber ? 0 : Math.min(layout.optionalData1?.length ?? 0, format === 'TD1' ? 10 : 14);
  const optionalData = optionalRoom > 0 && rand() < 0.45 ? confusableText(rand, 1 + Math.floor(rand() * optionalRoom)) : undefined;
  return {
    documentCode: documentCode(rand, format),
    issuingState: pick(rand, STATES),
    surname: pick(rand, SURNAMES),
    givenNames: pick(rand, GIVEN_NAMES),
    documentNumber: confusableText(rand, numberLength),
    nationality: pick(rand, STATES),
    birthDate: isoDate(rand, 1940, 67),
    sex: pick(rand, ['M', 'F', 'X'] as const),
    expiryDate: isoDate(rand, 2026, 11),
    ...(optionalData === undefined ? {} : { optionalData }),
  };
}

function composeFields(format: DocFormat, fields: GeneratedDocument['fields']): string[] {
  return composeMrz({
    format,
    documentCode: fields.documentCode,
    issuingState: fields.issuingState,
    documentNumber: fields.documentNumber,
    nationality: fields.nationality,
    birthDate: fields.birthDate,
    // ICAO prints an unspecified sex as a filler in the MRZ, 'X' in the VIZ.
    sex: fields.sex === 'X' ? '<' : fields.sex,
    expiryDate: fields.expiryDate,
    surname: fields.surname,
    givenNames: fields.givenNames,
    optionalData1: fields.optionalData ?? '',
  });
}

/** The check-digit positions of these lines that hold a digit (not a '<' standing in for one). */
function checkDigitSlots(format: DocFormat, lines: readonly string[]): Array<{ slot: Slot; composite: boolean }> {
  const layout = LAYOUTS[format];
  const candidates = [layout.documentNumberCheck, layout.birthDateCheck, layout.expiryDateCheck, layout.optionalData1Check];
  const slots = candidates.filter((s): s is Slot => s !== null).map((slot) => ({ slot, composite: false }));
  if (layout.composite) slots.push({ slot: layout.composite.check, composite: true });
  return slots.filter(({ slot }) => /[0-9]/.test(lines[slot.line][slot.start]));
}

/** Prints one check digit wrong; the composite is recomputed so that it stays the only defect. */
function withOneWrongCheckDigit(rand: Random, format: DocFormat, lines: string[]): string[] {
  const { slot, composite } = pick(rand, checkDigitSlots(format, lines));
  const right = Number(lines[slot.line][slot.start]);
  const wrong = String((right + 1 + Math.floor(rand() * 9)) % 10);
  const out = [...lines];
  out[slot.line] = out[slot.line].slice(0, slot.start) + wrong + out[slot.line].slice(slot.start + 1);
  return composite ? out : recomputeCompositeCheckDigit(format, out);
}

/** `count` documents, the same for the same options on every run and machine. */
export function generateDocuments(opts: GenerateDocumentsOptions): GeneratedDocument[] {
  const { seed, count } = opts;
  const formats = opts.formats ?? [...DOC_FORMATS];
  const invalidShare = opts.invalidShare ?? 0.1;
  if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 0 || count > 1_000_000) {
    throw new TesseraError('DOCGEN_OPTIONS_INVALID', `generateDocuments needs an integer seed and a count between 0 and 1000000 (got seed ${seed}, count ${count}).`);
  }
  if (!formats.length || formats.some((f) => !DOC_FORMATS.includes(f))) {
    throw new TesseraError('DOCGEN_OPTIONS_INVALID', `generateDocuments formats must be among ${DOC_FORMATS.join(', ')} (got ${JSON.stringify(formats)}).`);
  }
  if (!(invalidShare >= 0 && invalidShare <= 1)) {
    throw new TesseraError('DOCGEN_OPTIONS_INVALID', `invalidShare must lie between 0 and 1 (got ${invalidShare}).`);
  }
  const rand = seededRandom(seed);
  // Exactly round(count × share) invalid documents, spread by a seeded shuffle rather than by chance.
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const invalid = new Set(order.slice(0, Math.round(count * invalidShare)));
  return Array.from({ length: count }, (_, i) => {
    const format = formats[i % formats.length];
    const fields = drawFields(rand, format);
    const valid = composeFields(format, fields);
    const validMrz = !invalid.has(i);
    return { id: `${seed}-${i}-${format}`, format, mrz: validMrz ? valid : withOneWrongCheckDigit(rand, format, valid), validMrz, fields };
  });
}
