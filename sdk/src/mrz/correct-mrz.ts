/**
 * Correction mode for OCR output. Two kinds of evidence are used, and nothing else:
 * 1. character classes — a letter where only digits may stand (dates, check digits) or a digit
 *    where only letters may stand (codes, names) is replaced by its usual OCR twin, and
 *    K/S/X/L/C in the filler-only end of a name field become '<';
 * 2. check digits — in alphanumeric fields (document number, optional data) a confusion is
 *    repaired only when its check digit fails and exactly one minimal set of substitutions
 *    makes it pass. Several equally good sets make the result ambiguous and nothing is applied.
 * A unique repair is still refused when it leaves the composite check digit failing while every
 * field check passes (it would then only agree with a misread check digit).
 * Check digits themselves are only ever changed letter-for-digit ('O' → '0'), and no field
 * gets more than two substitutions. Resetting misread fillers at the end of a name field is
 * exempt from that limit: those positions can hold nothing but '<', so no data is invented.
 */

import { charValue } from './check-digit.js';
import type { Layout, Slot } from './formats.js';
import { FIELD_LABELS, span } from './issues.js';
import { icaoNameTail } from './names.js';
import type { MrzCorrection, MrzFieldName, MrzIssue } from './types.js';

const FILLER = 60;
const MAX_CHANGES_PER_FIELD = 2;
const WEIGHTS = [7, 3, 1] as const;

/** Letter → digit in digits-only positions. */
const LETTER_TO_DIGIT: Readonly<Record<string, string>> = {
  O: '0', Q: '0', D: '0', I: '1', Z: '2', A: '4', S: '5', G: '6', T: '7', B: '8',
};
/** Digit → letter in letters-only positions. */
const DIGIT_TO_LETTER: Readonly<Record<string, string>> = {
  '0': 'O', '1': 'I', '2': 'Z', '4': 'A', '5': 'S', '6': 'G', '7': 'T', '8': 'B',
};
/**
 * Twins tried in alphanumeric fields under check-digit control. 4/A and 7/T are left out on
 * purpose: they are rare in OCR-B, and every extra twin makes ambiguous results more likely.
 */
const ALNUM_TWIN: Readonly<Record<string, string>> = {
  '0': 'O', O: '0', '1': 'I', I: '1', '2': 'Z', Z: '2', '5': 'S', S: '5', '6': 'G', G: '6', '8': 'B', B: '8',
};
/** Letters OCR engines produce for a filler '<'. */
const FILLER_LOOKALIKES = 'KSXLC';


export interface CorrectionOutcome {
  lines: string[];
  corrections: MrzCorrection[];
  warnings: MrzIssue[];
  ambiguous: {
    candidates: string[][];
    field: MrzFieldName;
    message: string;
    line: number;
    column: number;
  } | null;
}

interface Pos {
  line: number;
  col: number;
}

interface Change extends Pos {
  to: string;
}

/** A check digit and the positions it covers, in weight order. */
interface CheckGroup {
  field: MrzFieldName;
  data: Pos[];
  check: Pos;
  /** '<' is an acceptable check character when every covered position is a filler. */
  fillerAllowed: boolean;
}

class Work {
  readonly rows: string[][];
  readonly corrections: MrzCorrection[] = [];
  readonly changesPerField = new Map<MrzFieldName, number>();

  constructor(lines: readonly string[]) {
    this.rows = lines.map((l) => l.split('')); // UTF-16 units, like the columns everywhere else
  }

  get(p: Pos): string {
    return this.rows[p.line][p.col];
  }

  apply(field: MrzFieldName, c: Change, reason: string): void {
    const from = this.rows[c.line][c.col];
    this.rows[c.line][c.col] = c.to;
    this.corrections.push({ line: c.line + 1, column: c.col + 1, field, from, to: c.to, reason });
    this.changesPerField.set(field, (this.changesPerField.get(field) ?? 0) + 1);
  }

  used(field: MrzFieldName): number {
    return this.changesPerField.get(field) ?? 0;
  }

  lines(): string[] {
    return this.rows.map((r) => r.join(''));
  }

  with(changes: readonly Change[]): string[] {
    const copy = this.rows.map((r) => r.slice());
    for (const c of changes) copy[c.line][c.col] = c.to;
    return copy.map((r) => r.join(''));
  }
}

function positions(slot: Slot): Pos[] {
  const out: Pos[] = [];
  for (let i = 0; i < slot.length; i++) out.push({ line: slot.line, col: slot.start + i });
  return out;
}

function groupPasses(work: Work, g: CheckGroup): boolean {
  const c = work.get(g.check).charCodeAt(0);
  let sum = 0;
  let allFillers = true;
  for (let i = 0; i < g.data.length; i++) {
    const code = work.get(g.data[i]).charCodeAt(0);
    if (code !== FILLER) allFillers = false;
    const v = charValue(code);
    if (v > 0) sum += v * WEIGHTS[i % 3];
  }
  if (c === FILLER) return g.fillerAllowed && allFillers;
  return c >= 48 && c <= 57 && c - 48 === sum % 10;
}

/** The document number group, following a TD1/TD2 long number into the optional data. */
function documentNumberGroup(layout: Layout, work: Work): CheckGroup | null {
  const slot = layout.documentNumber;
  const check = { line: layout.documentNumberCheck.line, col: layout.documentNumberCheck.start };
  const cont = layout.documentNumberContinuation;
  if (cont !== null && work.get(check) === '<') {
    const row = work.rows[cont.line];
    let stop = cont.start;
    while (stop < cont.start + cont.length && row[stop] !== '<') stop++;
    if (stop - cont.start < 2) return null;
    const data = positions(slot);
    for (let c = cont.start; c < stop - 1; c++) data.push({ line: cont.line, col: c });
    return { field: 'documentNumber', data, check: { line: cont.line, col: stop - 1 }, fillerAllowed: false };
  }
  return { field: 'documentNumber', data: positions(slot), check, fillerAllowed: false };
}

function checkGroups(layout: Layout, work: Work): CheckGroup[] {
  const groups: CheckGroup[] = [];
  const dn = documentNumberGroup(layout, work);
  if (dn !== null) groups.push(dn);
  const bc = layout.birthDateCheck;
  groups.push({ field: 'birthDate', data: positions(layout.birthDate), check: { line: bc.line, col: bc.start }, fillerAllowed: false });
  if (layout.expiryDate !== null && layout.expiryDateCheck !== null) {
    const ec = layout.expiryDateCheck;
    groups.push({ field: 'expiryDate', data: positions(layout.expiryDate), check: { line: ec.line, col: ec.start }, fillerAllowed: false });
  }
  if (layout.optionalData1 !== null && layout.optionalData1Check !== null) {
    const oc = layout.optionalData1Check;
    groups.push({ field: 'optionalData1', data: positions(layout.optionalData1), check: { line: oc.line, col: oc.start }, fillerAllowed: true });
  }
  return groups;
}

function compositeGroup(layout: Layout): CheckGroup | null {
  const comp = layout.composite;
  if (comp === null) return null;
  const data: Pos[] = [];
  for (const r of comp.ranges) data.push(...positions(r));
  return { field: 'composite', data, check: { line: comp.check.line, col: comp.check.start }, fillerAllowed: false };
}

// ---------------------------------------------------------------------------------------------
// Phase 1: character classes

interface ClassSegment {
  field: MrzFieldName;
  slot: Slot;
  map: Readonly<Record<string, string>>;
  kind: 'digits' | 'letters';
}

function classSegments(layout: Layout): ClassSegment[] {
  const segs: ClassSegment[] = [];
  const letters = (field: MrzFieldName, slot: Slot | null): void => {
    if (slot !== null) segs.push({ field, slot, map: DIGIT_TO_LETTER, kind: 'letters' });
  };
  const digits = (field: MrzFieldName, slot: Slot | null): void => {
    if (slot !== null) segs.push({ field, slot, map: LETTER_TO_DIGIT, kind: 'digits' });
  };
  letters('documentCode', layout.documentCode);
  letters('issuingState', layout.issuingState);
  letters('nationality', layout.nationality);
  if (layout.name !== null) letters('surname', layout.name);
  letters('surname', layout.surname);
  letters('givenNames', layout.givenNames);
  digits('documentNumber', layout.documentNumberCheck);
  digits('birthDate', layout.birthDate);
  digits('birthDate', layout.birthDateCheck);
  digits('expiryDate', layout.expiryDate);
  digits('expiryDate', layout.expiryDateCheck);
  digits('optionalData1', layout.optionalData1Check);
  if (layout.composite !== null) digits('composite', layout.composite.check);
  return segs;
}

function classRepairs(layout: Layout, work: Work, warnings: MrzIssue[]): void {
  // Group the proposals per field so the two-changes limit applies to the field as a whole.
  const proposals = new Map<MrzFieldName, { changes: Change[]; reasons: string[]; slots: Slot[] }>();
  const nameSlot = layout.name;
  for (const seg of classSegments(layout)) {
    const row = work.rows[seg.slot.line];
    for (let col = seg.slot.start; col < seg.slot.start + seg.slot.length; col++) {
      const ch = row[col];
      const to = seg.map[ch];
      if (to === undefined) continue;
      let field = seg.field;
      if (nameSlot !== null && seg.slot === nameSlot) {
        const { givenStart } = icaoNameTail(row.join(''), nameSlot.start, nameSlot.length);
        if (col >= givenStart) field = 'givenNames';
      }
      let p = proposals.get(field);
      if (p === undefined) proposals.set(field, (p = { changes: [], reasons: [], slots: [] }));
      p.changes.push({ line: seg.slot.line, col, to });
      p.slots.push(seg.slot);
      p.reasons.push(
        seg.kind === 'digits'
          ? `'${ch}' cannot stand in the ${FIELD_LABELS[seg.field]}${seg.slot.length === 1 ? ' check digit' : ''}, which holds digits only; read as its OCR twin '${to}'`
          : `'${ch}' cannot stand in the ${FIELD_LABELS[field]}, which holds letters only; read as its OCR twin '${to}'`,
      );
    }
  }
  for (const [field, p] of proposals) {
    if (p.changes.length > MAX_CHANGES_PER_FIELD) {
      warnings.push({
        code: 'MRZ_CORRECTION_SKIPPED',
        field,
        message: `The ${FIELD_LABELS[field]} (${span(p.slots[0])}) would need ${p.changes.length} character repairs; correction mode changes at most ${MAX_CHANGES_PER_FIELD} per field, so it was left as read`,
        line: p.slots[0].line + 1,
        column: p.slots[0].start + 1,
      });
      continue;
    }
    for (let i = 0; i < p.changes.length; i++) work.apply(field, p.changes[i], p.reasons[i]);
  }
}

/** K/S/X/L/C where only fillers may stand: the end of an ICAO name field, and TD3's unused personal number check. */
function fillerRepairs(layout: Layout, work: Work): void {
  const slot = layout.name;
  if (slot !== null) {
    const row = work.rows[slot.line];
    const { tailStart } = icaoNameTail(row.join(''), slot.start, slot.length);
    const end = slot.start + slot.length;
    let onlyLookalikes = tailStart < end;
    for (let c = tailStart; c < end && onlyLookalikes; c++) {
      if (row[c] !== '<' && !FILLER_LOOKALIKES.includes(row[c])) onlyLookalikes = false;
    }
    if (onlyLookalikes) {
      for (let c = tailStart; c < end; c++) {
        if (row[c] !== '<') {
          work.apply('givenNames', { line: slot.line, col: c, to: '<' }, `'${row[c]}' in the filler-only end of the name field is a misread filler`);
        }
      }
    }
  }
  const o = layout.optionalData1;
  const oc = layout.optionalData1Check;
  if (o !== null && oc !== null) {
    const row = work.rows[oc.line];
    let allFillers = true;
    for (let c = o.start; c < o.start + o.length; c++) if (row[c] !== '<') allFillers = false;
    if (allFillers && FILLER_LOOKALIKES.includes(row[oc.start])) {
      work.apply('optionalData1', { line: oc.line, col: oc.start, to: '<' }, `'${row[oc.start]}' after an unused personal number is a misread filler`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Phase 2: check-digit-guided search

interface Candidate extends Pos {
  alternatives: string[];
  field: MrzFieldName;
}

/** Search positions of alphanumeric data, with confusion twins and filler look-alikes at the end of the data. */
function searchPositions(work: Work, field: MrzFieldName, data: readonly Pos[]): Candidate[] {
  // Filler look-alikes count only inside the trailing run of fillers: after the first '<' of
  // the final stretch made of '<' and look-alike letters (or from the start when it is all such).
  let runStart = data.length;
  while (runStart > 0) {
    const ch = work.get(data[runStart - 1]);
    if (ch !== '<' && !FILLER_LOOKALIKES.includes(ch)) break;
    runStart--;
  }
  if (runStart > 0) {
    while (runStart < data.length && work.get(data[runStart]) !== '<') runStart++;
  }
  const out: Candidate[] = [];
  for (let i = 0; i < data.length; i++) {
    const ch = work.get(data[i]);
    const alternatives: string[] = [];
    const twin = ALNUM_TWIN[ch];
    if (twin !== undefined) alternatives.push(twin);
    if (i >= runStart && FILLER_LOOKALIKES.includes(ch)) alternatives.push('<');
    if (alternatives.length > 0) out.push({ ...data[i], alternatives, field });
  }
  return out;
}

/** All minimal change sets (up to `budget` changes) that make every group in `mustPass` pass. */
function search(work: Work, cands: readonly Candidate[], mustPass: readonly CheckGroup[], budget: number): Change[][] {
  const passes = (): boolean => mustPass.every((g) => groupPasses(work, g));
  const found: Change[][] = [];
  const set = (p: Pos, ch: string): void => {
    work.rows[p.line][p.col] = ch;
  };
  for (let i = 0; i < cands.length && budget >= 1; i++) {
    const a = cands[i];
    const orig = work.get(a);
    for (const alt of a.alternatives) {
      set(a, alt);
      if (passes()) found.push([{ line: a.line, col: a.col, to: alt }]);
      set(a, orig);
    }
  }
  if (found.length > 0 || budget < 2) return found;
  for (let i = 0; i < cands.length; i++) {
    const a = cands[i];
    const origA = work.get(a);
    for (const altA of a.alternatives) {
      set(a, altA);
      for (let j = i + 1; j < cands.length; j++) {
        const b = cands[j];
        const origB = work.get(b);
        for (const altB of b.alternatives) {
          set(b, altB);
          if (passes()) found.push([{ line: a.line, col: a.col, to: altA }, { line: b.line, col: b.col, to: altB }]);
          set(b, origB);
        }
      }
      set(a, origA);
    }
  }
  return found;
}

function describe(work: Work, g: { data: readonly Pos[] }, changes: readonly Change[]): string {
  let s = '';
  for (const p of g.data) {
    const c = changes.find((x) => x.line === p.line && x.col === p.col);
    s += c !== undefined ? c.to : work.get(p);
  }
  return s;
}

function ambiguity(
  work: Work,
  field: MrzFieldName,
  guard: string,
  searchData: readonly Pos[],
  solutions: Change[][],
): NonNullable<CorrectionOutcome['ambiguous']> {
  const first = searchData[0];
  const shown = solutions.map((sol) => describe(work, { data: searchData }, sol));
  return {
    candidates: solutions.map((sol) => work.with(sol)),
    field,
    message: `The ${FIELD_LABELS[field]} (line ${first.line + 1}, from column ${first.col + 1}) fails ${guard}, and ${solutions.length} different OCR repairs would fix it (${shown.join(', ')}); nothing was corrected — compare with the data page or re-scan`,
    line: first.line + 1,
    column: first.col + 1,
  };
}

/** Alphanumeric slots covered only by the composite check digit (no check digit of their own). */
function compositeOnlyData(layout: Layout, dn: CheckGroup | null): Array<Pos & { field: MrzFieldName }> {
  const out: Array<Pos & { field: MrzFieldName }> = [];
  if (layout.composite === null) return out;
  const inNumber = new Set<number>();
  if (dn !== null) for (const p of dn.data) inNumber.add(p.line * 100 + p.col);
  if (dn !== null) inNumber.add(dn.check.line * 100 + dn.check.col);
  const add = (field: MrzFieldName, slot: Slot | null): void => {
    if (slot === null) return;
    for (let c = slot.start; c < slot.start + slot.length; c++) {
      if (!inNumber.has(slot.line * 100 + c)) out.push({ line: slot.line, col: c, field });
    }
  };
  if (layout.optionalData1Check === null) add('optionalData1', layout.optionalData1);
  add('optionalData2', layout.optionalData2);
  return out;
}

/**
 * True when, with `changes` applied, every field check passes but the composite still fails:
 * the unique candidate then most likely matches a misread check digit, not the true data.
 */
function contradictsComposite(layout: Layout, work: Work, changes: readonly Change[]): boolean {
  const comp = compositeGroup(layout);
  if (comp === null) return false;
  const saved = changes.map((c) => work.get(c));
  for (const c of changes) work.rows[c.line][c.col] = c.to;
  const contradicts = checkGroups(layout, work).every((g) => groupPasses(work, g)) && !groupPasses(work, comp);
  changes.forEach((c, i) => {
    work.rows[c.line][c.col] = saved[i];
  });
  return contradicts;
}

export function correctLines(lines: readonly string[], layout: Layout): CorrectionOutcome {
  const work = new Work(lines);
  const warnings: MrzIssue[] = [];
  classRepairs(layout, work, warnings);
  fillerRepairs(layout, work);

  const groups = checkGroups(layout, work);
  for (const g of groups) {
    if (g.field === 'birthDate' || g.field === 'expiryDate') continue; // digits only: nothing to search
    if (groupPasses(work, g)) continue;
    let checkChar = work.get(g.check);
    const twin = LETTER_TO_DIGIT[checkChar];
    const longNumberCheck = g.field === 'documentNumber' && g.check.col !== layout.documentNumberCheck.start;
    if (longNumberCheck && twin !== undefined && work.used(g.field) < MAX_CHANGES_PER_FIELD) {
      // The check digit of a long number sits in the optional data, outside the class segments.
      work.apply(g.field, { ...g.check, to: twin }, `'${checkChar}' cannot stand in the document number check digit, which holds digits only; read as its OCR twin '${twin}'`);
      checkChar = twin;
      if (groupPasses(work, g)) continue;
    }
    if (!(checkChar >= '0' && checkChar <= '9') && !(checkChar === '<' && g.fillerAllowed)) continue;
    const budget = MAX_CHANGES_PER_FIELD - work.used(g.field);
    if (budget <= 0) continue;
    const solutions = search(work, searchPositions(work, g.field, g.data), [g], budget);
    if (solutions.length === 1) {
      if (contradictsComposite(layout, work, solutions[0])) {
        warnings.push({
          code: 'MRZ_CORRECTION_SKIPPED',
          field: g.field,
          message: `Changing the ${FIELD_LABELS[g.field]} to ${describe(work, g, solutions[0])} would satisfy its check digit but not the composite check digit, so it was left as read; compare with the data page`,
          line: g.check.line + 1,
          column: g.check.col + 1,
        });
        continue;
      }
      for (const c of solutions[0]) work.apply(g.field, c, `only this change makes the ${FIELD_LABELS[g.field]} check digit pass`);
    } else if (solutions.length > 1) {
      return { lines: [...lines], corrections: [], warnings, ambiguous: ambiguity(work, g.field, 'its check digit', g.data, solutions) };
    }
  }

  const comp = compositeGroup(layout);
  if (comp !== null && !groupPasses(work, comp)) {
    const refreshed = checkGroups(layout, work);
    const dn = refreshed.find((g) => g.field === 'documentNumber') ?? null;
    const othersPass = refreshed.every((g) => groupPasses(work, g));
    const checkChar = work.get(comp.check);
    if (othersPass && checkChar >= '0' && checkChar <= '9') {
      const data = compositeOnlyData(layout, dn);
      const cands: Candidate[] = [];
      for (const f of ['optionalData1', 'optionalData2'] as const) {
        const part = data.filter((d) => d.field === f);
        if (part.length > 0 && work.used(f) === 0) cands.push(...searchPositions(work, f, part));
      }
      const solutions = search(work, cands, [comp], MAX_CHANGES_PER_FIELD);
      if (solutions.length === 1) {
        for (const c of solutions[0]) {
          const field = cands.find((x) => x.line === c.line && x.col === c.col)?.field ?? 'optionalData1';
          work.apply(field, c, 'only this change makes the composite check digit pass');
        }
      } else if (solutions.length > 1) {
        return { lines: [...lines], corrections: [], warnings, ambiguous: ambiguity(work, cands[0].field, 'the composite check digit', data, solutions) };
      }
    }
  }

  return { lines: work.lines(), corrections: work.corrections, warnings, ambiguous: null };
}
