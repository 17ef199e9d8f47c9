/**
 * ICAO Doc 9303 part 3 check digits: weights 7-3-1 repeating, digits at face value,
 * A–Z as 10–35, the filler '<' as 0. The slice helpers exist so the parser can check
 * fields in place without cutting substrings on the hot path.
 */

const CHAR_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d <= 9; d++) CHAR_VALUE[48 + d] = d;
for (let l = 0; l < 26; l++) CHAR_VALUE[65 + l] = 10 + l;
CHAR_VALUE[60] = 0; // '<'

const WEIGHTS = [7, 3, 1] as const;

/** Value of one MRZ character code, or -1 when it is not in the MRZ alphabet. */
export function charValue(code: number): number {
  return code < 128 ? CHAR_VALUE[code] : -1;
}

/** Computes the check digit of an MRZ field; throws RangeError on characters outside A–Z, 0–9, '<'. */
export function computeCheckDigit(value: string): number {
  if (typeof value !== 'string') throw new TypeError('computeCheckDigit expects a string');
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    const v = charValue(value.charCodeAt(i));
    if (v < 0) {
      throw new RangeError(
        `Character ${JSON.stringify(value[i])} at position ${i + 1} is not in the MRZ alphabet (A–Z, 0–9, '<')`,
      );
    }
    sum += v * WEIGHTS[i % 3];
  }
  return sum % 10;
}

/**
 * Weighted sum of `s[start, start+length)` with the weight cycle starting at `weightIndex`,
 * so composite check digits can chain several ranges. Characters outside the alphabet count
 * as 0: they are reported separately and must not make the parser throw.
 */
export function weightedSum(s: string, start: number, length: number, weightIndex: number): number {
  let sum = 0;
  let w = weightIndex % 3;
  for (let i = start, end = start + length; i < end; i++) {
    const v = charValue(s.charCodeAt(i));
    if (v > 0) sum += v * WEIGHTS[w];
    w = w === 2 ? 0 : w + 1;
  }
  return sum;
}
