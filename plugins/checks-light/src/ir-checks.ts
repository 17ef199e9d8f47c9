/**
 * The infrared checks. MRZ ink is carbon-based and absorbs IR, so a genuine MRZ stays dark in the
 * IR image while the visual zone's inks vanish; a counterfeit printed with ordinary ink loses its
 * MRZ under IR. Hence two checks on the MRZ band: it must be dark under IR (ir-mrz-visible), and
 * what it says under IR must be what it says under white light (ir-mrz-match — a page whose MRZ was
 * altered with ordinary ink shows the old characters, or none, under IR).
 *
 * Visibility is measured as contrast: over the pixels that are MRZ ink on the white page, how far
 * below the paper level they are, under IR relative to under white light. The generator's renders
 * of all five formats measure 0.975 genuine and 0.03 with IR-transparent ink; a scan of a genuine document
 * blurred or slightly misregistered between lights loses some contrast, so the limits sit well apart:
 * ≥ 0.5 passes, 0.25–0.5 warns (faint), below 0.25 fails.
 */
import { parseMrz, type CheckFinding, type DocumentCheck, type Evidence, type InspectionContext, type PageImage, type ScanResult } from '@tessera/sdk';
import { bandComparison } from './evidence-images.js';
import { cutBand, findMrzBand, type MrzBand } from './mrz-band.js';
import { LIGHT_FINDING_CODES, type LightFindingCode } from './light-errors.js';
import { pageUnder, percentile, type Pixels } from './page-images.js';
import { checkResult, errorResult, notChecked, type LightCheckResult } from './results.js';

export const IR_CONTRAST_PASS = 0.5;
export const IR_CONTRAST_FAIL = 0.25;
/** A pixel of the white band is MRZ ink when darker than this share of the band's paper level. */
const INK_SHARE = 0.6;

interface IrBand {
  white: PageImage;
  ir: PageImage;
  band: MrzBand;
  whiteBand: Pixels;
  irBand: Pixels;
}

// Both IR checks need the same band from the same scan: locate and cut it once per inspection.
const bandsByScan = new WeakMap<ScanResult, Promise<IrBand | string>>();

/** The MRZ band under white light and IR, or why it cannot be had (a sentence for a 'not checked'). */
function irBand(context: InspectionContext): Promise<IrBand | string> {
  let pending = bandsByScan.get(context.scan);
  if (!pending) {
    pending = cutIrBand(context);
    bandsByScan.set(context.scan, pending);
  }
  return pending;
}

async function cutIrBand(context: InspectionContext): Promise<IrBand | string> {
  const white = pageUnder(context.scan, 'white');
  const ir = pageUnder(context.scan, 'ir', white);
  if (!ir) return 'The reader delivered no infrared image.';
  if (!white) return 'The reader delivered no white-light image to find the MRZ on.';
  const band = await findMrzBand(white, context.ocr);
  if (!band) return 'No MRZ could be found on the white-light image.';
  const [whiteBand, irBand] = await Promise.all([cutBand(white, band), cutBand(ir, band)]);
  return { white, ir, band, whiteBand, irBand };
}

export interface InkContrast {
  /** Share of the band's pixels that are MRZ ink on the white page. */
  inkShare: number;
  /** (paper − ink) / paper over the ink pixels, 0–1, under each light. */
  white: number;
  ir: number;
  /** ir / white: 1 when the MRZ is as dark under IR as under white light, 0 when it vanished. */
  ratio: number;
}

export function inkContrast(white: Pixels, ir: Pixels): InkContrast {
  const whitePaper = Math.max(1, percentile(white, 0.8));
  const irPaper = Math.max(1, percentile(ir, 0.8));
  let count = 0;
  let whiteSum = 0;
  let irSum = 0;
  const n = Math.min(white.data.length, ir.data.length);
  for (let i = 0; i < n; i++) {
    if (white.data[i]! >= whitePaper * INK_SHARE) continue;
    count++;
    whiteSum += white.data[i]!;
    irSum += ir.data[i]!;
  }
  if (!count) return { inkShare: 0, white: 0, ir: 0, ratio: 0 };
  const whiteContrast = (whitePaper - whiteSum / count) / whitePaper;
  const irContrast = Math.max(0, (irPaper - irSum / count) / irPaper);
  return { inkShare: count / n, white: whiteContrast, ir: irContrast, ratio: Math.min(1, irContrast / whiteContrast) };
}

const two = (v: number) => v.toFixed(2);

function bandSource(band: MrzBand): string {
  const where = { reader: 'the MRZ region the reader reported', ocr: 'the MRZ region the OCR engine reported', located: 'the MRZ lines located on the white-light image' }[band.source];
  const turn = ((band.angle % 360) + 360) % 360;
  const upsideDown = turn > 90 && turn < 270;
  const skew = upsideDown ? turn - 180 : turn > 180 ? turn - 360 : turn;
  const notes = [upsideDown ? 'page upside down' : '', skew ? `askew by ${two(skew)}°` : ''].filter(Boolean);
  return notes.length ? `${where} (${notes.join(', ')})` : where;
}

const COMPARISON_LABEL = 'MRZ band under white light (top) and infrared (bottom)';

export const irMrzVisibleCheck: DocumentCheck = {
  id: 'light.ir-mrz-visible',
  title: 'MRZ visible under infrared',
  category: 'light',
  async run(context): Promise<LightCheckResult> {
    try {
      const found = await irBand(context);
      if (typeof found === 'string') return notChecked(found);
      const contrast = inkContrast(found.whiteBand, found.irBand);
      // Under 2% ink the band holds no printing: a wrong band, not a vanished MRZ.
      if (contrast.inkShare < 0.02) return notChecked('The band found on the white-light image holds no MRZ printing.');
      const evidence: Evidence[] = [
        await bandComparison(found.whiteBand, found.irBand, COMPARISON_LABEL),
        { kind: 'field', label: 'MRZ contrast under infrared relative to white light', value: two(contrast.ratio), expected: `≥ ${two(IR_CONTRAST_PASS)}`, ok: contrast.ratio >= IR_CONTRAST_PASS },
        { kind: 'field', label: 'MRZ contrast under white light', value: two(contrast.white) },
        { kind: 'field', label: 'MRZ contrast under infrared', value: two(contrast.ir) },
        { kind: 'text', label: 'MRZ band from', text: bandSource(found.band) },
      ];
      if (contrast.ratio >= IR_CONTRAST_PASS) return checkResult('pass', 'The MRZ stays dark under infrared, as MRZ ink should.', [], evidence);
      const code: LightFindingCode = contrast.ratio < IR_CONTRAST_FAIL ? 'LIGHT_IR_MRZ_MISSING' : 'LIGHT_IR_MRZ_FAINT';
      const finding: CheckFinding = { code, message: `${LIGHT_FINDING_CODES[code]} Measured ${two(contrast.ratio)} of the white-light contrast.` };
      return code === 'LIGHT_IR_MRZ_MISSING'
        ? checkResult('fail', 'The MRZ disappears under infrared: it is not printed in IR-absorbing ink.', [finding], evidence)
        : checkResult('warning', 'The MRZ is faint under infrared; compare the document under the reader\'s IR light.', [finding], evidence);
    } catch (error) {
      return errorResult(error);
    }
  },
};

/** Characters that differ between two readings of the same shape, as "line 2, column 5: O ≠ 0". */
function differences(expected: string[], actual: string[]): string[] | null {
  if (expected.length !== actual.length || expected.some((l, i) => l.length !== actual[i]!.length)) return null;
  const out: string[] = [];
  expected.forEach((line, i) => {
    for (let c = 0; c < line.length; c++) if (line[c] !== actual[i]![c]) out.push(`line ${i + 1}, column ${c + 1}: ${actual[i]![c]} under IR, ${line[c]} under white light`);
  });
  return out;
}

/** An OCR misreading of a genuine MRZ changes a character or two at most; more is another text. */
const MAX_MISREAD_CHARACTERS = 2;

export const irMrzMatchCheck: DocumentCheck = {
  id: 'light.ir-mrz-match',
  title: 'MRZ under infrared reads the same as under white light',
  category: 'light',
  async run(context): Promise<LightCheckResult> {
    try {
      const ir = pageUnder(context.scan, 'ir', pageUnder(context.scan, 'white'));
      if (!ir) return notChecked('The reader delivered no infrared image.');
      // A workstation without an OCR engine cannot run this check at all: that is its set-up, not a
      // gap in this inspection, so it does not make every inspection incomplete.
      if (!context.ocr) return checkResult('not_applicable', 'No MRZ OCR engine is installed on this workstation, so the infrared MRZ cannot be read.', [], []);
      if (!context.mrz) return notChecked('No MRZ was read under white light to compare with.');
      const expected = context.mrz.lines;
      const reading = await context.ocr.recognize(ir);
      const found = await irBand(context);
      const evidence: Evidence[] = typeof found === 'string' ? [] : [await bandComparison(found.whiteBand, found.irBand, COMPARISON_LABEL)];
      if (!reading.lines.length) {
        const finding = { code: 'LIGHT_IR_MRZ_UNREADABLE', message: LIGHT_FINDING_CODES.LIGHT_IR_MRZ_UNREADABLE };
        return checkResult('fail', 'No MRZ can be read under infrared, where a genuine MRZ reads best.', [finding], [...evidence, { kind: 'field', label: 'MRZ under infrared', value: '(none)', expected: expected.join('\n'), ok: false }]);
      }
      // Repaired like the white reading, so both sides are compared as printed.
      const corrected = (lines: string[]) => parseMrz(lines, { referenceDate: context.referenceDate, correct: true }).lines;
      const irLines = corrected(reading.lines);
      const same = (lines: string[]) => lines.join('\n') === expected.join('\n');
      const candidates = [irLines, ...(reading.alternatives ?? []).map(corrected)];
      const field: Evidence = { kind: 'field', label: 'MRZ under infrared', value: irLines.join('\n'), expected: expected.join('\n'), ok: candidates.some(same) };
      evidence.push(field, { kind: 'text', label: 'Read by', text: `${context.ocr.engineId}, confidence ${two(reading.confidence)}` });
      if (same(irLines)) return checkResult('pass', 'The MRZ reads the same under infrared as under white light.', [], evidence);
      if (candidates.some(same)) return checkResult('pass', 'The MRZ under infrared is ambiguous, and one of its readings is the white-light MRZ.', [], evidence);
      const diff = differences(expected, irLines);
      const message = `${LIGHT_FINDING_CODES.LIGHT_IR_MRZ_DIFFERS} ${diff ? diff.join('; ') : `Under IR: ${irLines.join(' / ')}`}.`;
      const finding = { code: 'LIGHT_IR_MRZ_DIFFERS', message };
      if (diff && diff.length <= MAX_MISREAD_CHARACTERS) {
        return checkResult('warning', `The infrared MRZ differs in ${diff.length} character${diff.length > 1 ? 's' : ''}: an OCR misreading or an alteration — compare the band images.`, [finding], evidence);
      }
      return checkResult('fail', 'The MRZ under infrared says something else than under white light.', [finding], evidence);
    } catch (error) {
      return errorResult(error);
    }
  },
};
