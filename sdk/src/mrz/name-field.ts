/**
 * Writing names into an MRZ (ICAO Doc 9303 part 3): transliteration of the printed name into
 * A–Z and fillers, and the shortening rules for names longer than their field. The reading side
 * is names.ts.
 */

import { transliterateToLatin } from './transliteration.js';

/**
 * One name component list in MRZ form: upper case, ICAO transliteration (Latin national
 * characters, Cyrillic, Arabic, Greek; see transliteration.ts), apostrophes dropped
 * (O'BRIEN → OBRIEN), while spaces, hyphens and other separators become a single filler.
 */
export function transliterateName(name: string): string {
  return transliterateToLatin(name).replace(/ /g, '<');
}

/**
 * Primary and secondary identifier, already in MRZ form, fitted into `length` positions without
 * the trailing fillers. ICAO has the secondary identifier shortened first — dropping whole trailing
 * components, then cutting the last one down — and the primary identifier only as a last resort.
 */
export function shortenIcaoName(primary: string, secondary: string, length: number): string {
  const fits = (s: string) => primary.length + (s ? 2 + s.length : 0) <= length;
  const initial = secondary.charAt(0);
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
  const field = secondary ? `${primary}<<${secondary}` : primary;
  if (field.length <= length) return field;
  // Even the primary identifier does not fit: cut it, and keep the initial of the secondary one.
  // A cut that ends on a component separator would run into the '<<' and misplace the given names.
  return initial ? primary.slice(0, length - 3).replace(/<+$/, '') + '<<' + initial : primary.slice(0, length);
}

/** The whole name field from the printed name: transliterated, shortened, padded with fillers. */
export function mrzNameField(surname: string, givenNames: string, length: number): string {
  const primary = transliterateName(surname);
  if (!primary) throw new RangeError('A name needs a primary identifier (surname)');
  return shortenIcaoName(primary, transliterateName(givenNames), length).padEnd(length, '<');
}
