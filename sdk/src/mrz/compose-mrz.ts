/**
 * composeMrz: builds the MRZ lines of a document from its field values, computing every check
 * digit. Used by test fixtures, the benchmark, the document generator and the simulator. It does
 * not transliterate: names must already be in A–Z (spaces and hyphens become fillers; see
 * transliterateName for printed names); anything else is a RangeError. Names too long for their
 * field are shortened by the ICAO rules (given names first).
 */

import { computeCheckDigit } from './check-digit.js';
import { LAYOUTS, type Slot } from './formats.js';
import { shortenIcaoName } from './name-field.js';
import type { MrzFormat } from './types.js';

export interface MrzComposeInput {
  format: MrzFormat;
  /** 'P', 'ID', 'V', 'IR', … — padded with '<' to two characters. */
  documentCode: string;
  issuingState: string;
  /** Longer than 9 characters is allowed for TD1/TD2 (long number in the optional data). */
  documentNumber: string;
  /** Ignored for FRA_ID. */
  nationality?: string;
  /** 'YYYY-MM-DD', or six MRZ characters such as '740812' or '74<<<<'. */
  birthDate: string;
  sex: 'M' | 'F' | 'X' | '<';
  /** Ignored for FRA_ID. */
  expiryDate?: string;
  surname: string;
  givenNames?: string;
  /** TD3: personal number. FRA_ID: issuing office code. */
  optionalData1?: string;
  /** TD1 only. */
  optionalData2?: string;
}

function clean(value: string, what: string, nameLike: boolean): string {
  let out = '';
  for (const ch of value.toUpperCase()) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '<') out += ch;
    else if (nameLike && (ch === ' ' || ch === '-')) out += '<';
    else throw new RangeError(`${what} contains ${JSON.stringify(ch)}, which has no MRZ form; transliterate it first`);
  }
  return out;
}

function mrzDate(value: string, what: string): string {
  if (value.length === 10 && value[4] === '-' && value[7] === '-') return value.slice(2, 4) + value.slice(5, 7) + value.slice(8, 10);
  if (value.length === 6) return clean(value, what, false);
  throw new RangeError(`${what} must be YYYY-MM-DD or six MRZ characters, got ${JSON.stringify(value)}`);
}

export function composeMrz(input: MrzComposeInput): string[] {
  const layout = LAYOUTS[input.format];
  if (layout === undefined) throw new RangeError(`Unknown MRZ format ${JSON.stringify(input.format)}`);
  const rows: string[][] = [];
  for (let i = 0; i < layout.lineCount; i++) rows.push(new Array<string>(layout.lineLength).fill('<'));
  const put = (slot: Slot, value: string, what: string): void => {
    if (value.length > slot.length) throw new RangeError(`${what} ${JSON.stringify(value)} is longer than its ${slot.length}-character field`);
    for (let i = 0; i < value.length; i++) rows[slot.line][slot.start + i] = value[i];
  };
  const text = (slot: Slot): string => rows[slot.line].slice(slot.start, slot.start + slot.length).join('');
  const digit = (slot: Slot, data: string): void => {
    rows[slot.line][slot.start] = String(computeCheckDigit(data));
  };

  put(layout.documentCode, clean(input.documentCode, 'documentCode', false), 'documentCode');
  put(layout.issuingState, clean(input.issuingState, 'issuingState', false), 'issuingState');
  if (layout.nationality !== null) put(layout.nationality, clean(input.nationality ?? '', 'nationality', false), 'nationality');

  const surname = clean(input.surname, 'surname', true);
  if (layout.name !== null) {
    const given = clean(input.givenNames ?? '', 'givenNames', true);
    put(layout.name, shortenIcaoName(surname.replace(/<+/g, '<'), given.replace(/<+/g, '<'), layout.name.length), 'name');
  } else {
    put(layout.surname as Slot, surname.slice(0, 25), 'surname');
    // French cards separate given names with '<<'.
    const given = (input.givenNames ?? '').trim().split(/\s+/).filter(Boolean).map((g) => clean(g, 'givenNames', true)).join('<<');
    put(layout.givenNames as Slot, given.slice(0, 14), 'givenNames');
  }

  const number = clean(input.documentNumber, 'documentNumber', false);
  const numberSlot = layout.documentNumber;
  const cont = layout.documentNumberContinuation;
  let optional1 = clean(input.optionalData1 ?? '', 'optionalData1', false);
  if (number.length > numberSlot.length && cont !== null) {
    put(numberSlot, number.slice(0, numberSlot.length), 'documentNumber');
    const rest = number.slice(numberSlot.length);
    const tail = rest + String(computeCheckDigit(number)) + (optional1 === '' ? '' : '<' + optional1);
    put(cont, tail, 'documentNumber continuation and optionalData1');
    optional1 = '';
  } else {
    put(numberSlot, number, 'documentNumber');
    digit(layout.documentNumberCheck, text(numberSlot));
    if (layout.optionalData1 !== null) put(layout.optionalData1, optional1, 'optionalData1');
  }

  const birth = mrzDate(input.birthDate, 'birthDate');
  put(layout.birthDate, birth, 'birthDate');
  digit(layout.birthDateCheck, birth);
  put(layout.sex, input.sex, 'sex');
  if (layout.expiryDate !== null && layout.expiryDateCheck !== null) {
    const expiry = mrzDate(input.expiryDate ?? '<<<<<<', 'expiryDate');
    put(layout.expiryDate, expiry, 'expiryDate');
    digit(layout.expiryDateCheck, expiry);
  }
  if (layout.optionalData1 !== null && layout.optionalData1Check !== null) {
    const personal = text(layout.optionalData1);
    if (optional1 === '') rows[layout.optionalData1Check.line][layout.optionalData1Check.start] = '<';
    else digit(layout.optionalData1Check, personal);
  }
  if (layout.optionalData2 !== null) put(layout.optionalData2, clean(input.optionalData2 ?? '', 'optionalData2', false), 'optionalData2');
  if (layout.composite !== null) {
    let data = '';
    for (const r of layout.composite.ranges) data += text(r);
    digit(layout.composite.check, data);
  }
  return rows.map((r) => r.join(''));
}

/**
 * Recomputes the composite check digit over the lines as they stand, for test documents whose one
 * defect is another check digit and must stay the only one. Visas have no composite and pass through.
 */
export function recomputeCompositeCheckDigit(format: MrzFormat, lines: readonly string[]): string[] {
  const composite = LAYOUTS[format]?.composite;
  if (composite === undefined) throw new RangeError(`Unknown MRZ format ${JSON.stringify(format)}`);
  if (composite === null) return [...lines];
  const data = composite.ranges.map((r) => lines[r.line].slice(r.start, r.start + r.length)).join('');
  const { line, start } = composite.check;
  const out = [...lines];
  out[line] = out[line].slice(0, start) + String(computeCheckDigit(data)) + out[line].slice(start + 1);
  return out;
}
