/**
 * parseMrz: the entry point. Normalises the input, detects the format, reads and validates
 * every field, and in correction mode retries with OCR repairs when the document as read has
 * errors. Never throws on bad MRZ text.
 */

import { correctLines } from './correct-mrz.js';
import { referenceDay } from './dates.js';
import { LAYOUTS } from './formats.js';
import { Run } from './issues.js';
import { readFields } from './read-fields.js';
import { collectLines, normalizeLines, shapeErrors } from './read-input.js';
import type { MrzParseOptions, MrzParseResult } from './types.js';

/**
 * Parses and validates one MRZ. Never throws on bad MRZ text: every problem becomes an issue
 * with a stable code. Throws TypeError only when `input` is not a string or array of strings.
 */
export function parseMrz(input: string | readonly string[], options?: MrzParseOptions): MrzParseResult {
  const lines = collectLines(input);
  const run = new Run();
  normalizeLines(lines, run);
  const result: MrzParseResult = {
    format: null,
    valid: false,
    lines,
    fields: null,
    checks: run.checks,
    errors: run.errors,
    warnings: run.warnings,
    corrections: [],
  };
  if (lines.length === 0) {
    run.error('MRZ_EMPTY_INPUT', undefined, 'No MRZ text was given; scan the document again or type the MRZ lines');
    return result;
  }
  const format = shapeErrors(lines, run);
  result.format = format;
  if (format === null || run.lengthErrors > 0) return result;
  const layout = LAYOUTS[format];
  const ref = referenceDay(options?.referenceDate);

  const baseErrors = run.errors.length;
  const baseWarnings = run.warnings.length;
  result.fields = readFields(layout, lines, ref, run);
  // Correction mode only does work when the document as read has errors, so valid
  // documents cost the same with and without it.
  if (options?.correct === true && run.errors.length > 0) {
    const outcome = correctLines(lines, layout);
    if (outcome.ambiguous === null && outcome.corrections.length === 0 && outcome.warnings.length === 0) {
      result.valid = false;
      return result;
    }
    run.errors.length = baseErrors;
    run.warnings.length = baseWarnings;
    run.checks.length = 0;
    for (const w of outcome.warnings) run.warnings.push(w);
    if (outcome.ambiguous !== null) {
      result.ambiguous = { candidates: outcome.ambiguous.candidates };
      run.error('MRZ_CORRECTION_AMBIGUOUS', outcome.ambiguous.field, outcome.ambiguous.message, outcome.ambiguous.line, outcome.ambiguous.column);
    } else {
      result.lines = outcome.lines;
      result.corrections = outcome.corrections;
    }
    result.fields = readFields(layout, result.lines, ref, run);
  }
  result.valid = run.errors.length === 0;
  return result;
}
