/**
 * Reading and validating the fields of an MRZ whose format and line lengths are known.
 * Hot path: no regular expressions, and message strings are built only for problems.
 */

import { weightedSum } from './check-digit.js';
import { daysInMonth as daysIn, isBefore, monthName, readDate, type ReferenceDay } from './dates.js';
import type { MrzErrorCode } from './error-codes.js';
import type { Layout, Slot } from './formats.js';
import { at, FIELD_LABELS, FORMAT_LABELS, Run, showChar, span } from './issues.js';
import { readIcaoName, readNameComponents } from './names.js';
import { isKnownStateCode } from './state-codes.js';
import type { MrzFieldName, MrzFields, MrzSex } from './types.js';

const FILLER = 60;

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

export function readFields(layout: Layout, lines: string[], ref: ReferenceDay, run: Run): MrzFields {
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
