/**
 * Turning raw input into MRZ lines: splitting, trimming, upper-casing (with a warning),
 * flagging characters outside the MRZ alphabet, and checking line count and lengths.
 */

import { LAYOUTS, guessMrzFormat } from './formats.js';
import { FORMAT_LABELS, Run, showChar } from './issues.js';
import type { MrzFormat } from './types.js';

const FILLER = 60;
const MAX_INVALID_CHARACTERS_PER_LINE = 5;

export function collectLines(input: string | readonly string[]): string[] {
  const out: string[] = [];
  if (typeof input === 'string') {
    pushLines(input, out);
  } else if (Array.isArray(input)) {
    for (const item of input) {
      if (typeof item !== 'string') throw new TypeError('parseMrz expects a string or an array of strings');
      pushLines(item, out);
    }
  } else {
    throw new TypeError('parseMrz expects a string or an array of strings');
  }
  return out;
}

function pushLines(text: string, out: string[]): void {
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    const line = (nl < 0 ? text.slice(from) : text.slice(from, nl)).trim();
    if (line !== '') out.push(line);
    if (nl < 0) return;
    from = nl + 1;
  }
}

/** Upper-cases ASCII letters (warning) and reports characters outside the MRZ alphabet. */
export function normalizeLines(lines: string[], run: Run): void {
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    let lower = -1;
    let invalid = 0;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === FILLER) continue;
      if (c >= 97 && c <= 122) {
        if (lower < 0) lower = i;
        continue;
      }
      invalid++;
      if (invalid <= MAX_INVALID_CHARACTERS_PER_LINE) {
        run.error(
          'MRZ_INVALID_CHARACTER',
          undefined,
          `Line ${n + 1}, column ${i + 1} holds ${showChar(line[i])}, which is not allowed in an MRZ (only A–Z, 0–9 and '<'); re-scan or correct it`,
          n + 1,
          i + 1,
        );
      }
    }
    if (invalid > MAX_INVALID_CHARACTERS_PER_LINE) {
      run.error(
        'MRZ_INVALID_CHARACTER',
        undefined,
        `Line ${n + 1} holds ${invalid - MAX_INVALID_CHARACTERS_PER_LINE} more characters outside the MRZ alphabet`,
        n + 1,
      );
    }
    if (lower >= 0) {
      let upper = '';
      for (let i = 0; i < line.length; i++) {
        const c = line.charCodeAt(i);
        upper += c >= 97 && c <= 122 ? String.fromCharCode(c - 32) : line[i];
      }
      lines[n] = upper;
      run.warn(
        'MRZ_LOWER_CASE',
        undefined,
        `Line ${n + 1} contains lower-case letters (first at column ${lower + 1}); they were read as upper case`,
        n + 1,
        lower + 1,
      );
    }
  }
}

export function shapeErrors(lines: string[], run: Run): MrzFormat | null {
  const n = lines.length;
  if (n !== 2 && n !== 3) {
    const lengths = n === 1 ? lines[0].length : 0;
    const joined =
      lengths === 88 || lengths === 72 || lengths === 90
        ? `; it looks like the lines were joined — split it every ${lengths === 90 ? 30 : lengths / 2} characters`
        : '';
    run.error(
      'MRZ_LINE_COUNT',
      undefined,
      `${n} line${n === 1 ? ' was' : 's were'} given, but an MRZ has 2 lines (passport, visa, TD2) or 3 lines (TD1 ID card)${joined}`,
    );
    return null;
  }
  const format = guessMrzFormat(lines);
  if (format === null && n === 2 && lines[0].length === 30 && lines[1].length === 30) {
    run.error('MRZ_LINE_COUNT', undefined, '2 lines of 30 characters were given, but a TD1 (ID card) MRZ has 3 lines; one line is missing');
    return null;
  }
  if (format === 'TD1' && lines[0].length !== 30 && lines[1].length !== 30 && lines[2].length !== 30) {
    run.error(
      'MRZ_LINE_COUNT',
      undefined,
      `3 lines of ${lines[0].length}, ${lines[1].length} and ${lines[2].length} characters were given, but only a TD1 (ID card) MRZ has 3 lines, of 30 characters; a passport, visa or TD2 MRZ has 2`,
    );
    return null;
  }
  if (format === null) {
    run.error(
      'MRZ_UNKNOWN_FORMAT',
      undefined,
      `The lines have ${lines[0].length} and ${lines[1].length} characters, but a two-line MRZ has 44 (passport, visa A) or 36 (TD2, visa B, French ID) characters per line`,
    );
    return null;
  }
  const expected = LAYOUTS[format].lineLength;
  for (let i = 0; i < n; i++) {
    const len = lines[i].length;
    if (len !== expected) {
      run.lengthErrors++;
      run.error(
        'MRZ_LINE_LENGTH',
        undefined,
        `Line ${i + 1} has ${len} characters, but a ${FORMAT_LABELS[format]} line has ${expected}; a character was ${len < expected ? 'lost' : 'added'} while reading`,
        i + 1,
      );
    }
  }
  return format;
}
