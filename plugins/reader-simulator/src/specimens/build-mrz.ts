/**
 * Composes ICAO Doc 9303 machine readable zones (TD1, TD2, TD3, MRV-A, MRV-B) from the data printed
 * in the visual zone, so every specimen's MRZ agrees with its VIZ by construction and its check
 * digits are computed rather than typed in by hand.
 */
import { computeCheckDigit } from '@tessera/sdk';

export type MrzBuildFormat = 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB';

export interface MrzInput {
  /** One or two letters: 'P', 'I', 'ID', 'IR', 'V' … padded with '<' to two positions. */
  documentCode: string;
  issuingState: string;
  /** As printed in the VIZ; transliterated here. */
  surname: string;
  givenNames: string;
  documentNumber: string;
  nationality: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  sex: 'M' | 'F' | 'X';
  /** YYYY-MM-DD. */
  expiryDate: string;
  /** TD3: the personal number; TD1: optional data of line 1; others: the optional data field. */
  optionalData?: string;
  /** TD1 only: optional data of line 2. */
  optionalData2?: string;
}

export const MRZ_LINE_LENGTH: Readonly<Record<MrzBuildFormat, number>> = { TD1: 30, TD2: 36, TD3: 44, MRVA: 44, MRVB: 36 };

// ICAO Doc 9303 part 3 recommends these multi-letter forms; everything else is handled by
// stripping diacritics after Unicode decomposition (é → E, ñ → N, ł needs the table).
const TRANSLITERATION: Readonly<Record<string, string>> = {
  Ä: 'AE', Å: 'AA', Æ: 'AE', Ö: 'OE', Ø: 'OE', Ü: 'UE', Œ: 'OE', ß: 'SS', Þ: 'TH', Ð: 'D', Đ: 'D', Ł: 'L', Ĳ: 'IJ', Ħ: 'H', Ŋ: 'N', Ŧ: 'T', Ə: 'E',
};

/**
 * One name component list in MRZ form: upper case, ICAO transliteration, apostrophes dropped
 * (O'BRIEN → OBRIEN), while spaces, hyphens and other separators become a single filler.
 */
export function transliterateName(name: string): string {
  let out = '';
  for (const ch of name.toUpperCase()) {
    const mapped = TRANSLITERATION[ch];
    if (mapped) {
      out += mapped;
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (/^[A-Z]$/.test(base)) out += base;
    else if (base === "'" || base === '\u2019' || base === '.') continue;
    else out += '<';
  }
  return out.replace(/<+/g, '<').replace(/^<|<$/g, '');
}

/**
 * The name field: primary identifier, '<<', secondary identifier, fillers. When the name does not
 * fit, ICAO has the secondary identifier shortened first — dropping whole trailing components, then
 * cutting the last one down to an initial — and the primary identifier only as a last resort.
 */
export function mrzNameField(surname: string, givenNames: string, length: number): string {
  const primary = transliterateName(surname);
  if (!primary) throw new RangeError('A name needs a primary identifier (surname)');
  let secondary = transliterateName(givenNames);
  const fits = (s: string) => primary.length + (s ? 2 + s.length : 0) <= length;
  if (!fits(secondary)) {
    const parts = secondary.split('<');
    while (parts.length > 1 && !fits(parts.join('<'))) {
      const shortened = parts.slice(0, -1).join('<');
      if (fits(shortened + '<' + parts[parts.length - 1][0])) {
        // Keep as much of the last component as still fits rather than losing it altogether.
        const room = length - primary.length - 2 - shortened.length - 1;
        parts[parts.length - 1] = parts[parts.length - 1].slice(0, room);
        break;
      }
      parts.pop();
    }
    secondary = parts.join('<');
    if (!fits(secondary)) secondary = secondary.slice(0, Math.max(0, length - primary.length - 2));
  }
  let field = secondary ? `${primary}<<${secondary}` : primary;
  if (field.length > length) field = primary.slice(0, length - 3) + '<<' + transliterateName(givenNames).charAt(0);
  return pad(field, length);
}

/** Upper-cased, spaces to fillers, padded; refuses values that would silently lose characters. */
export function mrzField(value: string, length: number, what = 'field'): string {
  const v = value.toUpperCase().replace(/[\s-]/g, '<');
  if (v.length > length) throw new RangeError(`The ${what} "${value}" is longer than its ${length} MRZ positions`);
  if (!/^[A-Z0-9<]*$/.test(v)) throw new RangeError(`The ${what} "${value}" has characters outside the MRZ alphabet`);
  return pad(v, length);
}

/** YYYY-MM-DD → YYMMDD. */
export function mrzDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`"${iso}" is not a YYYY-MM-DD date`);
  return m[1].slice(2) + m[2] + m[3];
}

function pad(value: string, length: number): string {
  return value + '<'.repeat(length - value.length);
}

function cd(value: string): string {
  return String(computeCheckDigit(value));
}

/** ICAO writes an unspecified sex as '<' in the MRZ although the VIZ prints 'X'. */
function mrzSex(sex: MrzInput['sex']): string {
  return sex === 'X' ? '<' : sex;
}

/**
 * Document number with its check digit for TD1/TD2, where numbers longer than nine characters
 * continue in the optional data: '<' in the check position, then the rest, its check digit, '<'.
 */
function longNumber(number: string): { field: string; check: string; spill: string } {
  const n = mrzField(number, 64, 'document number').replace(/<+$/, '');
  if (n.length <= 9) return { field: pad(n, 9), check: cd(pad(n, 9)), spill: '' };
  return { field: n.slice(0, 9), check: '<', spill: n.slice(9) + cd(n) + '<' };
}

/** Builds the MRZ lines of one document; throws RangeError when a field cannot be represented. */
export function buildMrz(format: MrzBuildFormat, input: MrzInput): string[] {
  const code = mrzField(input.documentCode, 2, 'document code');
  const state = mrzField(input.issuingState, 3, 'issuing state');
  const nationality = mrzField(input.nationality, 3, 'nationality');
  const birth = mrzDate(input.birthDate);
  const expiry = mrzDate(input.expiryDate);
  const sex = mrzSex(input.sex);
  const len = MRZ_LINE_LENGTH[format];

  if (format === 'TD1') {
    const num = longNumber(input.documentNumber);
    const line1 = code + state + num.field + num.check + mrzField(num.spill + (input.optionalData ?? ''), 15, 'optional data');
    const line2 = birth + cd(birth) + sex + expiry + cd(expiry) + nationality + mrzField(input.optionalData2 ?? '', 11, 'optional data 2') + '<';
    return recomputeComposite('TD1', [line1, line2, mrzNameField(input.surname, input.givenNames, 30)]);
  }

  const line1 = code + state + mrzNameField(input.surname, input.givenNames, len - 5);
  const tail = birth + cd(birth) + sex + expiry + cd(expiry);

  if (format === 'TD3') {
    const personal = mrzField(input.optionalData ?? '', 14, 'personal number');
    // An unused personal number may carry '<' as its check digit (Doc 9303 part 4).
    const personalCheck = /^<+$/.test(personal) ? '<' : cd(personal);
    const head = mrzField(input.documentNumber, 9, 'document number');
    return recomputeComposite('TD3', [line1, head + cd(head) + nationality + tail + personal + personalCheck + '<']);
  }
  if (format === 'TD2') {
    const num = longNumber(input.documentNumber);
    const optional = mrzField(num.spill + (input.optionalData ?? ''), 7, 'optional data');
    return recomputeComposite('TD2', [line1, num.field + num.check + nationality + tail + optional + '<']);
  }
  // Visas carry no composite check digit; the optional data runs to the end of the line.
  const head = mrzField(input.documentNumber, 9, 'document number');
  const body = head + cd(head) + nationality + tail;
  return [line1, body + mrzField(input.optionalData ?? '', len - body.length, 'optional data')];
}

/**
 * Recomputes the composite check digit over lines as they stand, for specimens whose defect is
 * another check digit and must stay the only one. Visas have no composite and pass through.
 */
export function recomputeComposite(format: MrzBuildFormat, lines: readonly string[]): string[] {
  const out = [...lines];
  if (format === 'TD1') {
    const [a, b] = out;
    out[1] = b.slice(0, 29) + cd(a.slice(5, 30) + b.slice(0, 7) + b.slice(8, 15) + b.slice(18, 29));
  } else if (format === 'TD2' || format === 'TD3') {
    const b = out[1];
    const end = b.length - 1;
    out[1] = b.slice(0, end) + cd(b.slice(0, 10) + b.slice(13, 20) + b.slice(21, end));
  }
  return out;
}
