/**
 * DG1 (tag '61'): the MRZ as one string in data element '5F1F', without line breaks. The line
 * layout follows from the length alone — 88 = TD3 / MRV-A (2 × 44), 72 = TD2 / MRV-B (2 × 36),
 * 90 = TD1 (3 × 30). Validating the fields and check digits is the MRZ library's job
 * (parseMrz on the returned lines); this module only gets the lines out faithfully.
 */

import { encodeTlv } from '../codec/ber-tlv.js';
import { dataGroupTag } from './file-ids.js';
import { ldsError } from './lds-errors.js';
import { openTemplate, requireChild } from './template.js';

const TAG_MRZ = 0x5f1f;
const MRZ_ALPHABET = /^[A-Z0-9<]*$/;

export type Dg1Format = 'TD1' | 'TD2' | 'TD3';

const LAYOUTS: Record<number, { format: Dg1Format; lines: number; width: number }> = {
  88: { format: 'TD3', lines: 2, width: 44 },
  72: { format: 'TD2', lines: 2, width: 36 },
  90: { format: 'TD1', lines: 3, width: 30 },
};

export interface Dg1 {
  /** 'TD3' also covers MRV-A visas and 'TD2' MRV-B: same line lengths. */
  format: Dg1Format;
  lines: string[];
  /** False when a character lies outside A–Z, 0–9 and '<'; the lines are returned as stored either way. */
  alphabetValid: boolean;
}

export function parseDg1(bytes: Uint8Array): Dg1 {
  const file = 'DG1';
  const root = openTemplate(bytes, dataGroupTag(1)!, file);
  const mrz = requireChild(root, TAG_MRZ, file, 'MRZ data element');
  const layout = LAYOUTS[mrz.value.length];
  if (!layout) {
    throw ldsError('EMRTD_DG1_INVALID_MRZ', `DG1: the MRZ is ${mrz.value.length} characters long; 88 (TD3), 72 (TD2) or 90 (TD1) expected`, {
      details: { file, length: mrz.value.length },
    });
  }
  for (const b of mrz.value) {
    // The MRZ is ASCII (ICAO 9303 part 3); control and non-ASCII bytes mean the file is not an MRZ.
    if (b < 0x20 || b > 0x7e) {
      throw ldsError('EMRTD_DG1_INVALID_MRZ', `DG1: the MRZ contains the non-printable byte 0x${b.toString(16).padStart(2, '0')}`, { details: { file } });
    }
  }
  const text = String.fromCharCode(...mrz.value);
  const lines: string[] = [];
  for (let i = 0; i < layout.lines; i++) lines.push(text.slice(i * layout.width, (i + 1) * layout.width));
  return { format: layout.format, lines, alphabetValid: MRZ_ALPHABET.test(text) };
}

/** DG1 from MRZ lines (an array, or one string with line breaks). */
export function buildDg1(lines: readonly string[] | string): Uint8Array {
  const list = typeof lines === 'string' ? lines.split(/\r?\n/).filter((l) => l.length > 0) : [...lines];
  const text = list.join('');
  const layout = LAYOUTS[text.length];
  if (!layout || list.length !== layout.lines || list.some((l) => l.length !== layout.width)) {
    throw ldsError('EMRTD_LDS_BUILD_INVALID', `DG1: ${list.length} line(s) of length ${list.map((l) => l.length).join('/')} match no MRZ format (2×44, 2×36, 3×30)`);
  }
  if (!MRZ_ALPHABET.test(text)) throw ldsError('EMRTD_LDS_BUILD_INVALID', "DG1: the MRZ may only contain A–Z, 0–9 and '<'");
  return encodeTlv(dataGroupTag(1)!, [encodeTlv(TAG_MRZ, new TextEncoder().encode(text))]);
}
