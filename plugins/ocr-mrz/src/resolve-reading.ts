/**
 * Turns per-cell rankings into the MRZ as printed. The best character of every cell is the
 * first reading; where a recogniser was unsure (the runner-up came close, or the two engines
 * disagreed), its proposals are the only changes allowed, and check digits decide between them:
 * - the reading as read passes its check digits and no unsure cell could change that → done;
 * - it fails, and exactly one smallest set of proposed changes makes every check pass → repaired;
 * - several sets do, or an unsure cell lies in a field no check digit covers → ambiguous, with
 *   the candidates, and nothing is picked;
 * - none does → the reading stays as read, invalid (a document printed with a wrong check digit).
 * The SDK's own correction mode (`parseMrz(…, { correct: true })`) is then run on the result as a
 * cross-check: a repair it proposes is accepted only when the recognisers proposed that character.
 */
import { parseMrz, type MrzParseResult } from '@tessera/sdk';
import type { CellReading } from './template-classifier.js';

/** A runner-up within this much correlation of the best is a real alternative. */
export const UNSURE_MARGIN = 0.035;
/** At most this many cells changed at once when searching for a reading that passes. */
const MAX_CHANGES = 2;
/** Cap on the candidates reported for an ambiguous read. */
const MAX_CANDIDATES = 6;

export interface CellProposal {
  /** Best first; includes the best character. */
  chars: string[];
  /** 0–1. */
  confidence: number;
}

export interface ResolvedReading {
  lines: string[];
  valid: boolean;
  ambiguous: boolean;
  /** Other readings that fit the evidence as well, when ambiguous. */
  candidates: string[][];
  /** Per line, per character, 0–1. */
  confidences: number[][];
  /** Cells changed from the first reading: 1-based line and column. */
  repairs: Array<{ line: number; column: number; from: string; to: string }>;
  parse: MrzParseResult;
}

/** What one cell proposes: its best character and the runners-up within the margin (and the second engine's choice). */
export function proposalsOf(cell: CellReading, secondOpinion?: string): CellProposal {
  const [first, second] = cell.ranking;
  const margin = second ? first.score - second.score : 1;
  const chars = cell.ranking.filter((r) => r.score >= first.score - UNSURE_MARGIN).slice(0, 3).map((r) => r.char);
  if (secondOpinion !== undefined && !chars.includes(secondOpinion) && cell.ranking.some((r) => r.char === secondOpinion)) chars.push(secondOpinion);
  const confidence = Math.max(0, Math.min(1, first.score)) * Math.min(1, margin / 0.1) ** 0.5;
  return { chars, confidence: chars.length > 1 ? Math.min(confidence, 0.5) : confidence };
}

function checksPass(result: MrzParseResult): boolean {
  return result.format !== null && result.fields !== null && result.checks.length > 0 && result.checks.every((c) => c.valid);
}

interface Change {
  line: number;
  col: number;
  to: string;
}

function applyChanges(lines: readonly string[], changes: readonly Change[]): string[] {
  const rows = lines.map((l) => l.split(''));
  for (const c of changes) rows[c.line][c.col] = c.to;
  return rows.map((r) => r.join(''));
}

/** Every set of at most `max` changes, smallest first, drawn from the unsure cells' proposals, that makes `accept` true. */
function searchChanges(lines: readonly string[], unsure: Array<{ line: number; col: number; alternatives: string[] }>, accept: (lines: string[]) => boolean, max: number): Change[][] {
  const found: Change[][] = [];
  const options: Change[] = unsure.flatMap((u) => u.alternatives.map((to) => ({ line: u.line, col: u.col, to })));
  for (const c of options) if (accept(applyChanges(lines, [c]))) found.push([c]);
  if (found.length > 0 || max < 2) return found;
  for (let i = 0; i < options.length; i++) {
    for (let j = i + 1; j < options.length; j++) {
      const a = options[i];
      const b = options[j];
      if (a.line === b.line && a.col === b.col) continue;
      if (accept(applyChanges(lines, [a, b]))) found.push([a, b]);
    }
  }
  return found;
}

/** Columns (0-based, per line) that some check digit covers, from the SDK's own report of which checks failed when a cell changes. */
function coveredByChecks(lines: readonly string[], line: number, col: number, base: MrzParseResult): boolean {
  // Give the cell another value ('<' and '0' both count 0) and see whether any check result changes.
  const probe = lines[line][col] === '1' ? '2' : '1';
  const changed = parseMrz(applyChanges(lines, [{ line, col, to: probe }]));
  return changed.checks.some((c, i) => base.checks[i] !== undefined && c.valid !== base.checks[i].valid) || changed.checks.length !== base.checks.length;
}

export function resolveReading(proposals: CellProposal[][], referenceDate?: Date): ResolvedReading {
  const first = proposals.map((line) => line.map((p) => p.chars[0]).join(''));
  const confidences = proposals.map((line) => line.map((p) => p.confidence));
  const unsure = proposals.flatMap((line, l) => line.flatMap((p, col) => (p.chars.length > 1 ? [{ line: l, col, alternatives: p.chars.slice(1) }] : [])));
  const options = referenceDate ? { referenceDate } : {};
  const parsedFirst = parseMrz(first, options);
  const result = (lines: string[], parse: MrzParseResult, extra: Partial<ResolvedReading> = {}): ResolvedReading => ({
    lines,
    valid: parse.valid,
    ambiguous: false,
    candidates: [],
    confidences,
    repairs: [],
    parse,
    ...extra,
  });
  const passes = (lines: string[]) => checksPass(parseMrz(lines, options));

  if (checksPass(parsedFirst)) {
    if (unsure.length === 0) return crossCheck(result(first, parsedFirst), proposals, options);
    // Valid as read; still ambiguous if an unsure cell could be the other character and keep
    // every check passing — either a field no check digit covers, or a change the checks cannot see.
    const others = searchChanges(first, unsure, passes, 1);
    const silentCells = unsure.filter((u) => !coveredByChecks(first, u.line, u.col, parsedFirst));
    if (others.length === 0 && silentCells.length === 0) return result(first, parsedFirst);
    const candidates = others.map((changes) => applyChanges(first, changes));
    for (const u of silentCells) for (const to of u.alternatives) candidates.push(applyChanges(first, [{ line: u.line, col: u.col, to }]));
    return result(first, parsedFirst, { ambiguous: true, candidates: dedupe(candidates).slice(0, MAX_CANDIDATES) });
  }

  const solutions = searchChanges(first, unsure, passes, MAX_CHANGES);
  if (solutions.length === 1) {
    const lines = applyChanges(first, solutions[0]);
    const repairs = solutions[0].map((c) => ({ line: c.line + 1, column: c.col + 1, from: first[c.line][c.col], to: c.to }));
    return result(lines, parseMrz(lines, options), { repairs });
  }
  if (solutions.length > 1) {
    const candidates = solutions.map((changes) => applyChanges(first, changes));
    return result(first, parsedFirst, { ambiguous: true, candidates: dedupe(candidates).slice(0, MAX_CANDIDATES) });
  }
  return crossCheck(result(first, parsedFirst), proposals, options);
}

/**
 * The SDK's correction mode, accepted only where it agrees with the recognisers: each character
 * it would change must be one the recognisers proposed for that cell.
 */
function crossCheck(reading: ResolvedReading, proposals: CellProposal[][], options: { referenceDate?: Date }): ResolvedReading {
  if (reading.valid) return reading;
  const corrected = parseMrz(reading.lines, { ...options, correct: true });
  const proposed = (line: number, column: number, to: string) => proposals[line - 1]?.[column - 1]?.chars.includes(to) === true;
  if (corrected.ambiguous) {
    const fitting = corrected.ambiguous.candidates.filter((lines) => lines.every((l, i) => [...l].every((ch, c) => ch === reading.lines[i][c] || proposed(i + 1, c + 1, ch))));
    if (fitting.length > 1) return { ...reading, ambiguous: true, candidates: fitting.slice(0, MAX_CANDIDATES) };
    return reading;
  }
  if (corrected.corrections.length === 0 || !corrected.valid) return reading;
  if (!corrected.corrections.every((c) => proposed(c.line, c.column, c.to))) return reading;
  return {
    ...reading,
    lines: corrected.lines,
    valid: true,
    parse: corrected,
    repairs: [...reading.repairs, ...corrected.corrections.map((c) => ({ line: c.line, column: c.column, from: c.from, to: c.to }))],
  };
}

function dedupe(candidates: string[][]): string[][] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = c.join('\n');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
