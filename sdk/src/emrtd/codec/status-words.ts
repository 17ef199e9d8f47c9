/**
 * ISO/IEC 7816-4 status words (SW1 SW2) that eMRTD chips answer with, in words a border
 * officer's log can show. Families whose second byte is a count (61xx, 6Cxx, 63Cx) are
 * described by rule rather than by table.
 */

export const SW_OK = 0x9000;
export const SW_END_OF_FILE = 0x6282;
export const SW_FILE_NOT_FOUND = 0x6a82;
export const SW_SECURITY_STATUS_NOT_SATISFIED = 0x6982;
export const SW_SM_DATA_OBJECTS_MISSING = 0x6987;
export const SW_SM_DATA_OBJECTS_INCORRECT = 0x6988;

export const STATUS_WORDS: Readonly<Record<number, string>> = Object.freeze({
  0x9000: 'Normal processing',
  0x6281: 'Part of the returned data may be corrupted',
  0x6282: 'End of file reached before reading the expected number of bytes',
  0x6283: 'Selected file deactivated',
  0x6284: 'File control information not formatted correctly',
  0x6300: 'Verification or authentication failed',
  0x6400: 'Execution error, state of non-volatile memory unchanged',
  0x6581: 'Memory failure',
  0x6700: 'Wrong length',
  0x6881: 'Logical channel not supported',
  0x6882: 'Secure messaging not supported',
  0x6883: 'Last command of the chain expected',
  0x6884: 'Command chaining not supported',
  0x6981: 'Command incompatible with file structure',
  0x6982: 'Security status not satisfied',
  0x6983: 'Authentication method blocked',
  0x6984: 'Reference data not usable',
  0x6985: 'Conditions of use not satisfied',
  0x6986: 'Command not allowed (no current EF)',
  0x6987: 'Expected secure messaging data objects missing',
  0x6988: 'Incorrect secure messaging data objects',
  0x6a80: 'Incorrect parameters in the command data field',
  0x6a81: 'Function not supported',
  0x6a82: 'File or application not found',
  0x6a83: 'Record not found',
  0x6a84: 'Not enough memory space in the file',
  0x6a86: 'Incorrect parameters P1-P2',
  0x6a87: 'Lc inconsistent with P1-P2',
  0x6a88: 'Referenced data not found',
  0x6b00: 'Wrong parameters P1-P2 (offset outside the file)',
  0x6d00: 'Instruction code not supported or invalid',
  0x6e00: 'Class not supported',
  0x6f00: 'No precise diagnosis',
});

/** 'SW 6A82 (File or application not found)'-style text for any status word. */
export function describeStatusWord(sw: number): string {
  const hex = (sw & 0xffff).toString(16).toUpperCase().padStart(4, '0');
  return `SW ${hex} (${statusWordText(sw)})`;
}

/** The human text alone. */
export function statusWordText(sw: number): string {
  const known = STATUS_WORDS[sw];
  if (known) return known;
  const sw1 = (sw >> 8) & 0xff;
  const sw2 = sw & 0xff;
  if (sw1 === 0x61) return `${sw2 === 0 ? 256 : sw2} more response bytes available (GET RESPONSE)`;
  if (sw1 === 0x6c) return `Wrong Le; the exact length is ${sw2 === 0 ? 256 : sw2}`;
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) return `Verification failed, ${sw2 & 0x0f} tries left`;
  if (sw1 === 0x62 || sw1 === 0x63) return 'Warning, state of non-volatile memory may have changed';
  if (sw1 === 0x64 || sw1 === 0x65) return 'Execution error';
  if (sw1 === 0x67) return 'Wrong length';
  if (sw1 === 0x68) return 'Function in CLA not supported';
  if (sw1 === 0x69) return 'Command not allowed';
  if (sw1 === 0x6a) return 'Wrong parameters P1-P2';
  return 'Unknown status word';
}
