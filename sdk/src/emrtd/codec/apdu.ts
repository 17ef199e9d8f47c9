/**
 * ISO/IEC 7816-4 APDUs: command encoding for cases 1–4 in short and extended length, command
 * decoding (the virtual chip in the reader simulator receives commands), and response parsing.
 *
 * `ne` is the number of response bytes expected, as an integer: 256 is written as Le '00' in a
 * short APDU and 65536 as '0000' in an extended one, so callers never deal with the zero encodings.
 */

import { TesseraError } from '../../errors.js';
import { concatBytes } from './bytes.js';

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Lc is its length); absent or empty means none. */
  data?: Uint8Array;
  /** Expected response length Ne, 1..65536; absent or 0 means no Le field. */
  ne?: number;
}

export interface DecodedCommandApdu extends CommandApdu {
  data: Uint8Array;
  ne: number;
  /** The command used extended length fields. */
  extended: boolean;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
  sw1: number;
  sw2: number;
  /** SW is 9000. Warnings such as 6282 (end of file) are not ok; callers that accept them check `sw`. */
  ok: boolean;
}

export interface EncodeCommandOptions {
  /** Use extended length fields even when the short form would do. */
  extended?: boolean;
}

const MAX_SHORT_LC = 255;
const MAX_SHORT_NE = 256;
const MAX_EXTENDED_LC = 65535;
const MAX_EXTENDED_NE = 65536;

function invalid(message: string): TesseraError {
  return new TesseraError('EMRTD_APDU_INVALID', message, { hint: 'This is a programming error in the caller building the command.' });
}

function malformed(message: string, details?: Record<string, unknown>): TesseraError {
  return new TesseraError('EMRTD_APDU_MALFORMED', message, {
    hint: 'The bytes do not form a valid ISO/IEC 7816-4 APDU.',
    ...(details ? { details } : {}),
  });
}

function checkByte(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw invalid(`${name} must be a byte (0..255), got ${String(value)}`);
}

/** Checks the fields of a command and returns Lc and Ne as numbers. */
function commandLengths(command: CommandApdu): { lc: number; ne: number } {
  checkByte(command.cla, 'CLA');
  checkByte(command.ins, 'INS');
  checkByte(command.p1, 'P1');
  checkByte(command.p2, 'P2');
  const lc = command.data?.length ?? 0;
  if (lc > MAX_EXTENDED_LC) throw invalid(`Command data of ${lc} bytes exceeds the extended-length maximum of ${MAX_EXTENDED_LC}`);
  const ne = command.ne ?? 0;
  if (!Number.isInteger(ne) || ne < 0 || ne > MAX_EXTENDED_NE) throw invalid(`ne must be an integer from 0 to ${MAX_EXTENDED_NE}, got ${String(ne)}`);
  return { lc, ne };
}

/** True when the command cannot be expressed with short length fields. */
export function needsExtendedLength(command: CommandApdu): boolean {
  const { lc, ne } = commandLengths(command);
  return lc > MAX_SHORT_LC || ne > MAX_SHORT_NE;
}

/** Encodes a command APDU, choosing extended length when the data or Ne need it (or when asked to). */
export function encodeCommandApdu(command: CommandApdu, options: EncodeCommandOptions = {}): Uint8Array {
  const { lc, ne } = commandLengths(command);
  const header = Uint8Array.of(command.cla, command.ins, command.p1, command.p2);
  const data = command.data ?? new Uint8Array(0);
  if (lc === 0 && ne === 0) return header; // case 1 has no length fields to extend
  const extended = options.extended === true || lc > MAX_SHORT_LC || ne > MAX_SHORT_NE;
  if (!extended) {
    const lcField = lc > 0 ? concatBytes(Uint8Array.of(lc), data) : new Uint8Array(0);
    const leField = ne > 0 ? Uint8Array.of(ne === MAX_SHORT_NE ? 0 : ne) : new Uint8Array(0);
    return concatBytes(header, lcField, leField);
  }
  const le = ne === MAX_EXTENDED_NE ? 0 : ne;
  if (lc === 0) return concatBytes(header, Uint8Array.of(0, le >> 8, le & 0xff)); // case 2E
  const lcField = concatBytes(Uint8Array.of(0, lc >> 8, lc & 0xff), data);
  // In case 4E the Le field is two bytes: the leading '00' was already given before Lc.
  const leField = ne > 0 ? Uint8Array.of(le >> 8, le & 0xff) : new Uint8Array(0);
  return concatBytes(header, lcField, leField);
}

/** Decodes a command APDU (ISO/IEC 7816-4 §5.1 length rules). The data is a copy. */
export function decodeCommandApdu(bytes: Uint8Array): DecodedCommandApdu {
  const n = bytes.length;
  if (n < 4) throw malformed(`A command APDU has at least 4 bytes, got ${n}`, { length: n });
  const base = { cla: bytes[0], ins: bytes[1], p1: bytes[2], p2: bytes[3] };
  if (n === 4) return { ...base, data: new Uint8Array(0), ne: 0, extended: false };
  const b4 = bytes[4];
  if (n === 5) return { ...base, data: new Uint8Array(0), ne: b4 === 0 ? 256 : b4, extended: false };
  if (b4 !== 0) {
    if (n === 5 + b4) return { ...base, data: bytes.slice(5, 5 + b4), ne: 0, extended: false };
    if (n === 6 + b4) {
      const le = bytes[n - 1];
      return { ...base, data: bytes.slice(5, 5 + b4), ne: le === 0 ? 256 : le, extended: false };
    }
    throw malformed(`Command APDU of ${n} bytes does not match its Lc of ${b4}`, { length: n, lc: b4 });
  }
  if (n < 7) throw malformed(`Command APDU of ${n} bytes has an incomplete extended length field`, { length: n });
  const word = (bytes[5] << 8) | bytes[6];
  if (n === 7) return { ...base, data: new Uint8Array(0), ne: word === 0 ? 65536 : word, extended: true };
  if (word === 0) throw malformed('Extended command APDU declares Lc = 0', { length: n });
  if (n === 7 + word) return { ...base, data: bytes.slice(7, 7 + word), ne: 0, extended: true };
  if (n === 9 + word) {
    const le = (bytes[n - 2] << 8) | bytes[n - 1];
    return { ...base, data: bytes.slice(7, 7 + word), ne: le === 0 ? 65536 : le, extended: true };
  }
  throw malformed(`Extended command APDU of ${n} bytes does not match its Lc of ${word}`, { length: n, lc: word });
}

/** Splits a response APDU into data and status word. The data is a view into `bytes`. */
export function parseResponseApdu(bytes: Uint8Array): ResponseApdu {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) {
    throw malformed(`A response APDU has at least the 2 status bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`);
  }
  const sw1 = bytes[bytes.length - 2];
  const sw2 = bytes[bytes.length - 1];
  const sw = (sw1 << 8) | sw2;
  return { data: bytes.subarray(0, bytes.length - 2), sw, sw1, sw2, ok: sw === 0x9000 };
}

/** Builds response bytes (data followed by SW1 SW2), as the card side sends them. */
export function encodeResponseApdu(data: Uint8Array, sw: number): Uint8Array {
  if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) throw invalid(`Status word must be 0..FFFF, got ${String(sw)}`);
  return concatBytes(data, Uint8Array.of(sw >> 8, sw & 0xff));
}
