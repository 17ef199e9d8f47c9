/**
 * parseMrz: input normalisation, format detection and field-by-field validation with one
 * explained issue per problem. Runs on every scanned document, so the hot path avoids regular
 * expressions and builds message strings only when something is wrong.
 */

import { weightedSum } from './check-digit.js';
import { correctLines } from './correct-mrz.js';
import { daysInMonth as daysIn, isBefore, monthName, readDate, referenceDay, type ReferenceDay } from './dates.js';
import type { MrzErrorCode } from './error-codes.js';
import { LAYOUTS, guessMrzFormat, type Layout, type Slot } from './formats.js';
import { readIcaoName, readNameComponents } from './names.js';
import { isKnownStateCode } from './state-codes.js';
import type {
  MrzCheck,
  MrzFieldName,
  MrzFields,
  MrzFormat,
  MrzIssue,
  MrzParseOptions,
  MrzParseResult,
  MrzSex,
} from './types.js';

const FILLER = 60;
const MAX_INVALID_CHARACTERS_PER_LINE = 5;

export const FORMAT_LABELS: Readonly<Record<MrzFormat, string>> = {
  TD1: 'TD1 (ID card, 3 × 30)',
  TD2: 'TD2 (2 × 36)',
  TD3: 'TD3 (passport, 2 × 44)',
  MRVA: 'MRV-A (visa, 2 × 44)',
  MRVB: 'MRV-B (visa, 2 × 36)',
  FRA_ID: 'French ID card (2 × 36)',
};

const FIELD_LABELS: Readonly<Record<MrzFieldName, string>> = {
  documentCode: 'document code',
  issuingState: 'issuing state',
  documentNumber: 'document number',
  nationality: 'nationality',
  birthDate: 'date of birth',
  sex: 'sex',
  expiryDate: 'date of expiry',
  surname: 'surname',
  givenNames: 'given names',
  optionalData1: 'optional data',
  optionalData2: 'optional data (line 2)',
  composite: 'composite check',
};

/** Collects the state of one parse; a class keeps the hot path free of closures. */
class Run {
  readonly errors: MrzIssue[] = [];
  readonly warnings: MrzIssue[] = [];
  readonly checks: MrzCheck[] = [];
  lengthErrors = 0;

  error(code: MrzErrorCode, field: MrzFieldName | undefined, message: string, line?: number, column?: number): void {
    this.errors.push(issue(code, field, message, line, column));
  }

  warn(code: MrzErrorCode, field: MrzFieldName | undefined, message: string, line?: number, column?: number): void {
    this.warnings.push(issue(code, field, message, line, column));
  }
}

function issue(code: MrzErrorCode, field: MrzFieldName | undefined, message: string, line?: number, column?: number): MrzIssue {
  const i: MrzIssue = { code, message };
  if (field !== undefined) i.field = field;
  if (line !== undefined) i.line = line;
  if (column !== undefined) i.column = column;
  return i;
}

export function at(line: number, column: number): string {
  return `line ${line}, column ${column}`;
}

export function span(slot: Slot): string {
  return slot.length === 1
    ? at(slot.line + 1, slot.start + 1)
    : `line ${slot.line + 1}, columns ${slot.start + 1}–${slot.start + slot.length}`;
}

export function showChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 32 || code === 127 || code === 0xa0) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}

// ---------------------------------------------------------------------------------------------
// Input

function collectLines(input: string | readonly string[]): string[] {
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
function normalizeLines(lines: string[], run: Run): void {
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

function shapeErrors(lines: string[], run: Run): MrzFormat | null {
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

// ---------------------------------------------------------------------------------------------
// Fields

function stripTrailingFillers(line: string, start: number, end: number): string {
  let last = end;
  while (last > start && line.charCodeAt(last - 1) === FILLER) last--;
  return line.slice(start, last);
}

function isLetter(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function readDocumentCode(layout: Layout, line: string, run: Run): string {
  const c0 = line.charCodeAt(0);
  const c1 = line.charCodeAt(1);
  let rule = '';
  switch (layout.format) {
    case 'TD3':
      if (c0 !== 80) rule = 'it must start with P';
      break;
    case 'MRVA':
    case 'MRVB':
      break; // detection already required 'V'
    case 'FRA_ID':
      break; // detection already required 'ID'
    default:
      if (c0 !== 65 && c0 !== 67 && c0 !== 73) rule = 'it must start with A, C or I';
  }
  if (rule === '' && !isLetter(c1) && c1 !== FILLER) rule = "its second character must be a letter or '<'";
  if (rule !== '') {
    run.error(
      'MRZ_DOCUMENT_CODE_INVALID',
      'documentCode',
      `Document code ${showChar(line.slice(0, 2))} (line 1, columns 1–2) is not valid for a ${FORMAT_LABELS[layout.format]} MRZ: ${rule}`,
      1,
      1,
    );
  }
  return c1 === FILLER ? line[0] : line.slice(0, 2);
}

function readState(lines: string[], slot: Slot, field: 'issuingState' | 'nationality', run: Run): string {
  const line = lines[slot.line];
  const value = stripTrailingFillers(line, slot.start, slot.start + slot.length);
  if (!isKnownStateCode(value)) {
    const raw = line.slice(slot.start, slot.start + slot.length);
    const what = field === 'issuingState' ? 'Issuing state' : 'Nationality';
    const why = value === '' ? 'is empty' : 'is not an ISO 3166-1 alpha-3 country code or an ICAO special code';
    run.error(
      field === 'issuingState' ? 'MRZ_ISSUING_STATE_UNKNOWN' : 'MRZ_NATIONALITY_UNKNOWN',
      field,
      `${what} '${raw}' (${span(slot)}) ${why}`,
      slot.line + 1,
      slot.start + 1,
    );
  }
  return value;
}

/** Records a check digit result; `allowFiller` accepts '<' when the checked data is all fillers. */
function verifyCheck(
  run: Run,
  field: MrzFieldName,
  code: MrzErrorCode,
  sum: number,
  line: string,
  lineIndex: number,
  column: number,
  allowFiller: boolean,
  label: string = field === 'composite' ? 'whole MRZ (composite)' : FIELD_LABELS[field],
): void {
  const expected = sum % 10;
  const found = line[column];
  const c = line.charCodeAt(column);
  let valid: boolean;
  if (isDigit(c)) {
    valid = c - 48 === expected;
    if (!valid) {
      run.error(
        code,
        field,
        `Check digit for the ${label} is ${found} but the data computes to ${expected} (${at(lineIndex + 1, column + 1)})${field === 'composite' ? '; a character covered by it was misread or altered' : ''}`,
        lineIndex + 1,
        column + 1,
      );
    }
  } else if (c === FILLER && allowFiller) {
    valid = true;
  } else {
    valid = false;
    run.error(
      'MRZ_CHECK_DIGIT_NOT_A_DIGIT',
      field,
      `Check digit for the ${label} (${at(lineIndex + 1, column + 1)}) is ${showChar(found)}, not a digit; the data computes to ${expected}`,
      lineIndex + 1,
      column + 1,
    );
  }
  run.checks.push({ field, valid, expected: String(expected), found });
}

interface DocumentNumberReading {
  value: string;
  /** Start of what remains of the continuation slot for optional data, or -1 when unused. */
  optionalFrom: number;
}

function readDocumentNumber(layout: Layout, lines: string[], run: Run): DocumentNumberReading {
  const slot = layout.documentNumber;
  const checkSlot = layout.documentNumberCheck;
  const line = lines[slot.line];
  const end = slot.start + slot.length;
  const cont = layout.documentNumberContinuation;
  if (cont !== null && line.charCodeAt(checkSlot.start) === FILLER) {
    // Long number (ICAO 9303 part 5 §4.2.2 note j / part 6): it continues in the optional data
    // up to the first filler, and the character before that filler is the check digit.
    const contEnd = cont.start + cont.length;
    let stop = cont.start;
    while (stop < contEnd && line.charCodeAt(stop) !== FILLER) stop++;
    if (stop - cont.start >= 2) {
      const checkAt = stop - 1;
      const value = line.slice(slot.start, end) + line.slice(cont.start, checkAt);
      const sum = weightedSum(line, slot.start, slot.length, 0) + weightedSum(line, cont.start, checkAt - cont.start, slot.length);
      verifyCheck(run, 'documentNumber', 'MRZ_CHECK_DIGIT_DOCUMENT_NUMBER', sum, line, slot.line, checkAt, false);
      return { value, optionalFrom: stop < contEnd ? stop + 1 : contEnd };
    }
    run.error(
      'MRZ_DOCUMENT_NUMBER_EXTENSION_INVALID',
      'documentNumber',
      `The document number check digit (${span(checkSlot)}) is '<', which announces a number longer than ${slot.length} characters, but the optional data (${span(cont)}) holds no continuation ending in a check digit`,
      checkSlot.line + 1,
      checkSlot.start + 1,
    );
    run.checks.push({ field: 'documentNumber', valid: false, found: '<' });
    return { value: stripTrailingFillers(line, slot.start, end), optionalFrom: -1 };
  }
  const value = stripTrailingFillers(line, slot.start, end);
  if (value === '') {
    run.error(
      'MRZ_DOCUMENT_NUMBER_MISSING',
      'documentNumber',
      `The document number (${span(slot)}) holds only fillers`,
      slot.line + 1,
      slot.start + 1,
    );
  }
  verifyCheck(run, 'documentNumber', 'MRZ_CHECK_DIGIT_DOCUMENT_NUMBER', weightedSum(line, slot.start, slot.length, 0), lines[checkSlot.line], checkSlot.line, checkSlot.start, false);
  return { value, optionalFrom: -1 };
}

function readDateField(
  lines: string[],
  slot: Slot,
  field: 'birthDate' | 'expiryDate',
  ref: ReferenceDay,
  run: Run,
): string | null {
  const line = lines[slot.line];
  const d = readDate(line, slot.start, field === 'birthDate' ? 'birth' : 'expiry', ref);
  if (d.status === 'ok') return d.iso;
  const raw = line.slice(slot.start, slot.start + 6);
  const label = field === 'birthDate' ? 'Date of birth' : 'Date of expiry';
  const invalid: MrzErrorCode = field === 'birthDate' ? 'MRZ_BIRTH_DATE_INVALID' : 'MRZ_EXPIRY_DATE_INVALID';
  const where = `'${raw}' (${span(slot)})`;
  switch (d.status) {
    case 'badCharacter': {
      const column = slot.start + d.badIndex + 1;
      run.error(
        invalid,
        field,
        `${label} ${where} holds ${showChar(line[slot.start + d.badIndex])} at column ${column}; a date is six digits YYMMDD, with '<<' only for an unknown year, month or day`,
        slot.line + 1,
        column,
      );
      return null;
    }
    case 'badMonth':
      run.error(invalid, field, `${label} ${where} has month ${raw.slice(2, 4)}; months run from 01 to 12`, slot.line + 1, slot.start + 3);
      return null;
    case 'badDay': {
      const max = d.year >= 0 && d.month > 0 ? daysIn(d.year, d.month) : 0;
      const why =
        max > 0
          ? `${monthName(d.month)} ${d.year} has ${max} days`
          : d.month > 0
            ? `${monthName(d.month)} has at most ${d.month === 2 ? 29 : daysIn(2001, d.month)} days`
            : 'days run from 01 to 31';
      run.error(invalid, field, `${label} ${where} has day ${raw.slice(4, 6)}, but ${why}`, slot.line + 1, slot.start + 5);
      return null;
    }
    case 'unknown':
      if (field === 'birthDate') {
        run.warn('MRZ_BIRTH_DATE_UNKNOWN', field, `Date of birth is not known: all fillers (${span(slot)})`, slot.line + 1, slot.start + 1);
      } else {
        run.warn('MRZ_EXPIRY_DATE_UNKNOWN', field, `Date of expiry is not given: all fillers (${span(slot)})`, slot.line + 1, slot.start + 1);
      }
      return null;
    case 'partial':
      if (field === 'birthDate') {
        const known: string[] = [];
        if (d.year >= 0) known.push(`year ${d.year}`);
        if (d.month > 0) known.push(`month ${raw.slice(2, 4)}`);
        if (d.day > 0) known.push(`day ${raw.slice(4, 6)}`);
        run.warn(
          'MRZ_BIRTH_DATE_PARTIAL',
          field,
          `Date of birth is only partly known: ${where}; known: ${known.join(', ')}`,
          slot.line + 1,
          slot.start + 1,
        );
      } else {
        run.error(invalid, field, `${label} ${where} is partly fillers; an expiry date must be complete or entirely '<'`, slot.line + 1, slot.start + 1);
      }
      return null;
  }
  return null;
}

function readSex(lines: string[], slot: Slot, run: Run): MrzSex {
  const c = lines[slot.line].charCodeAt(slot.start);
  if (c === 77) return 'M';
  if (c === 70) return 'F';
  if (c === 88 || c === FILLER) return 'X';
  run.error(
    'MRZ_SEX_INVALID',
    'sex',
    `Sex ${showChar(lines[slot.line][slot.start])} (${span(slot)}) must be M, F, X or '<' (unspecified)`,
    slot.line + 1,
    slot.start + 1,
  );
  return 'X';
}

function reportNameDigits(line: string, lineIndex: number, start: number, end: number, givenStart: number, run: Run): void {
  let first = -1;
  let count = 0;
  for (let i = start; i < end; i++) {
    if (isDigit(line.charCodeAt(i))) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (first < 0) return;
  run.error(
    'MRZ_NAME_INVALID_CHARACTER',
    first < givenStart ? 'surname' : 'givenNames',
    `The name holds the digit '${line[first]}' at ${at(lineIndex + 1, first + 1)}${count > 1 ? ` and ${count - 1} more digit${count > 2 ? 's' : ''}` : ''}; names use letters and '<' only (OCR confusion such as 0/O, 1/I, 5/S?)`,
    lineIndex + 1,
    first + 1,
  );
}

function readNames(layout: Layout, lines: string[], run: Run): { surname: string; givenNames: string } {
  if (layout.name !== null) {
    const slot = layout.name;
    const line = lines[slot.line];
    const n = readIcaoName(line, slot.start, slot.length);
    reportNameDigits(line, slot.line, slot.start, slot.start + slot.length, n.givenStart, run);
    if (n.surname === '' || line.charCodeAt(slot.start) === FILLER) {
      run.error('MRZ_SURNAME_MISSING', 'surname', `The name field (${span(slot)}) does not start with a surname (primary identifier)`, slot.line + 1, slot.start + 1);
    }
    if (n.fillerViolation >= 0) {
      run.error(
        'MRZ_FILLER_INVALID',
        'givenNames',
        `Only fillers may follow the given names, but ${at(slot.line + 1, n.fillerViolation + 1)} holds '${line[n.fillerViolation]}'`,
        slot.line + 1,
        n.fillerViolation + 1,
      );
    }
    if (n.truncated) {
      run.warn('MRZ_NAME_TRUNCATED', 'givenNames', `The name fills its whole field (${span(slot)}) and may be truncated`, slot.line + 1, slot.start + slot.length);
    }
    return { surname: n.surname, givenNames: n.givenNames };
  }
  const sSlot = layout.surname as Slot;
  const gSlot = layout.givenNames as Slot;
  const sLine = lines[sSlot.line];
  const gLine = lines[gSlot.line];
  reportNameDigits(sLine, sSlot.line, sSlot.start, sSlot.start + sSlot.length, Infinity, run);
  reportNameDigits(gLine, gSlot.line, gSlot.start, gSlot.start + gSlot.length, -1, run);
  const surname = readNameComponents(sLine, sSlot.start, sSlot.length);
  const given = readNameComponents(gLine, gSlot.start, gSlot.length);
  if (surname.value === '') {
    run.error('MRZ_SURNAME_MISSING', 'surname', `The surname field (${span(sSlot)}) holds only fillers`, sSlot.line + 1, sSlot.start + 1);
  }
  if (surname.truncated) {
    run.warn('MRZ_NAME_TRUNCATED', 'surname', `The surname fills its whole field (${span(sSlot)}) and may be truncated`, sSlot.line + 1, sSlot.start + sSlot.length);
  }
  if (given.truncated) {
    run.warn('MRZ_NAME_TRUNCATED', 'givenNames', `The given names fill their whole field (${span(gSlot)}) and may be truncated`, gSlot.line + 1, gSlot.start + gSlot.length);
  }
  return { surname: surname.value, givenNames: given.value };
}

function compositeSum(lines: string[], ranges: readonly Slot[]): number {
  let sum = 0;
  let w = 0;
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i];
    sum += weightedSum(lines[r.line], r.start, r.length, w);
    w += r.length;
  }
  return sum;
}

function readFields(layout: Layout, lines: string[], ref: ReferenceDay, run: Run): MrzFields {
  const documentCode = readDocumentCode(layout, lines[0], run);
  const issuingState = readState(lines, layout.issuingState, 'issuingState', run);
  const names = readNames(layout, lines, run);
  const number = readDocumentNumber(layout, lines, run);
  const nationality = layout.nationality !== null ? readState(lines, layout.nationality, 'nationality', run) : 'FRA';

  const b = layout.birthDate;
  const bLine = lines[b.line];
  const birthDate = readDateField(lines, b, 'birthDate', ref, run);
  const bc = layout.birthDateCheck;
  verifyCheck(run, 'birthDate', 'MRZ_CHECK_DIGIT_BIRTH_DATE', weightedSum(bLine, b.start, 6, 0), lines[bc.line], bc.line, bc.start, false);

  const sex = readSex(lines, layout.sex, run);

  let expiryDate: string | null = null;
  let expiryDateRaw: string | null = null;
  const e = layout.expiryDate;
  if (e !== null) {
    const eLine = lines[e.line];
    expiryDateRaw = eLine.slice(e.start, e.start + 6);
    expiryDate = readDateField(lines, e, 'expiryDate', ref, run);
    const ec = layout.expiryDateCheck as Slot;
    verifyCheck(run, 'expiryDate', 'MRZ_CHECK_DIGIT_EXPIRY_DATE', weightedSum(eLine, e.start, 6, 0), lines[ec.line], ec.line, ec.start, false);
    if (expiryDate !== null && isBefore(expiryDate, ref)) {
      run.warn('MRZ_DOCUMENT_EXPIRED', 'expiryDate', `The document expired on ${expiryDate}, before the reference date (${span(e)})`, e.line + 1, e.start + 1);
    }
  }

  let optionalData1 = '';
  const o1 = layout.optionalData1;
  if (o1 !== null) {
    const line = lines[o1.line];
    const o1End = o1.start + o1.length;
    if (number.optionalFrom >= 0) {
      optionalData1 = stripTrailingFillers(line, number.optionalFrom, o1End);
    } else {
      optionalData1 = stripTrailingFillers(line, o1.start, o1End);
      const oc = layout.optionalData1Check;
      if (oc !== null) {
        verifyCheck(run, 'optionalData1', 'MRZ_CHECK_DIGIT_OPTIONAL_DATA', weightedSum(line, o1.start, o1.length, 0), lines[oc.line], oc.line, oc.start, optionalData1 === '', 'personal number');
      }
    }
  }
  const o2 = layout.optionalData2;
  const optionalData2 = o2 === null ? '' : stripTrailingFillers(lines[o2.line], o2.start, o2.start + o2.length);

  const comp = layout.composite;
  if (comp !== null) {
    verifyCheck(run, 'composite', 'MRZ_CHECK_DIGIT_COMPOSITE', compositeSum(lines, comp.ranges), lines[comp.check.line], comp.check.line, comp.check.start, false);
  }

  return {
    documentCode,
    issuingState,
    documentNumber: number.value,
    nationality,
    birthDate,
    birthDateRaw: bLine.slice(b.start, b.start + 6),
    sex,
    expiryDate,
    expiryDateRaw,
    surname: names.surname,
    givenNames: names.givenNames,
    optionalData1,
    optionalData2,
    personalNumber: layout.format === 'TD3' ? optionalData1 : null,
  };
}

// ---------------------------------------------------------------------------------------------

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
