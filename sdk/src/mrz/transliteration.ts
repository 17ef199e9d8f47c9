/**
 * Transliteration of names into the MRZ alphabet (A–Z) after ICAO Doc 9303 part 3: the Latin
 * national characters, Cyrillic and Arabic tables, and Greek by ELOT 743 (the scheme Greek passports
 * use; Doc 9303 has no Greek table). The MRZ writer (name-field.ts) and name matching share it, so a
 * name typed in its own script and the same name read from an MRZ come out identical.
 */

// Latin letters that do not decompose into base letter + accent. Doc 9303 recommends the
// multi-letter forms; some of them have a single-letter alternative, listed separately below.
const LATIN: Readonly<Record<string, string>> = {
  Ä: 'AE', Å: 'AA', Æ: 'AE', Ö: 'OE', Ø: 'OE', Ü: 'UE', Œ: 'OE', ß: 'SS', ẞ: 'SS', Þ: 'TH', Ð: 'D', Đ: 'D', Ł: 'L', Ĳ: 'IJ', Ħ: 'H', Ŋ: 'N', Ŧ: 'T', Ə: 'E',
};

// Doc 9303 part 3 allows these letters also as their plain base letter (Ä → AE or A).
const LATIN_SINGLE_LETTER: Readonly<Record<string, string>> = { Ä: 'A', Å: 'A', Ö: 'O', Ü: 'U' };

// Doc 9303 part 3, Cyrillic (Russian, Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian).
const CYRILLIC: Readonly<Record<string, string>> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Ґ: 'G', Д: 'D', Ђ: 'D', Ѓ: 'G', Е: 'E', Ё: 'E', Є: 'IE', Ж: 'ZH', З: 'Z', Ѕ: 'DZ',
  И: 'I', І: 'I', Ї: 'I', Й: 'I', Ј: 'J', К: 'K', Л: 'L', Љ: 'LJ', М: 'M', Н: 'N', Њ: 'NJ', О: 'O', П: 'P', Р: 'R',
  С: 'S', Т: 'T', Ћ: 'C', Ќ: 'K', У: 'U', Ў: 'U', Ф: 'F', Х: 'KH', Ц: 'TS', Ч: 'CH', Џ: 'DZ', Ш: 'SH', Щ: 'SHCH',
  Ъ: 'IE', Ы: 'Y', Ь: '', Э: 'E', Ю: 'IU', Я: 'IA',
};

// Doc 9303 part 3, Arabic: the closest Latin letter, or an 'X' escape that keeps the letter
// recoverable (ح XH versus ه H). Teh marbuta is XTA, or XAH at the end of a name component.
const ARABIC: Readonly<Record<string, string>> = {
  ء: 'XE', آ: 'XAA', أ: 'XAE', ؤ: 'XW', إ: 'I', ئ: 'XI', ا: 'A', ب: 'B', ة: 'XTA', ت: 'T', ث: 'XTH', ج: 'J', ح: 'XH',
  خ: 'XKH', د: 'D', ذ: 'XDH', ر: 'R', ز: 'Z', س: 'S', ش: 'XSH', ص: 'XSS', ض: 'XDZ', ط: 'XTT', ظ: 'XZZ', ع: 'E',
  غ: 'XGH', ف: 'F', ق: 'Q', ك: 'K', ل: 'L', م: 'M', ن: 'N', ه: 'H', و: 'W', ى: 'XAY', ي: 'Y',
};
const TEH_MARBUTA = 'ة';
// Short-vowel marks, shadda, sukun and the tatweel stretch carry no letter of their own.
const ARABIC_SILENT = /[\u064B-\u0652\u0640\u0670]/;

// ELOT 743 (ISO 843 transcription), single letters; the digraph rules are in greekLetter().
const GREEK: Readonly<Record<string, string>> = {
  Α: 'A', Β: 'V', Γ: 'G', Δ: 'D', Ε: 'E', Ζ: 'Z', Η: 'I', Θ: 'TH', Ι: 'I', Κ: 'K', Λ: 'L', Μ: 'M', Ν: 'N', Ξ: 'X',
  Ο: 'O', Π: 'P', Ρ: 'R', Σ: 'S', Τ: 'T', Υ: 'Y', Φ: 'F', Χ: 'CH', Ψ: 'PS', Ω: 'O',
};
// Before these letters (or at the end of a word) ΑΥ/ΕΥ/ΗΥ sound F rather than V.
const GREEK_VOICELESS = new Set(['Θ', 'Κ', 'Ξ', 'Π', 'Σ', 'Τ', 'Φ', 'Χ', 'Ψ']);

export interface TransliterationOptions {
  /** Use Doc 9303's single-letter alternatives (Ä → A, Ö → O, Ü → U, Å → A) instead of AE, OE, UE, AA. */
  singleLetterAlternatives?: boolean;
}

const isLetter = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);

const greekBases = new Map<string, { base: string; diaeresis: boolean }>();

/** Upper-case Greek base letter and whether it carried a diaeresis (which breaks a digraph). */
function greekBase(ch: string | undefined): { base: string; diaeresis: boolean } {
  if (ch === undefined) return { base: '', diaeresis: false };
  let found = greekBases.get(ch);
  if (!found) {
    const nfd = ch.normalize('NFD');
    const base = nfd.replace(/[\u0300-\u036f]/g, '');
    found = { base: base === 'ς' || base === 'Σ' ? 'Σ' : base.toUpperCase(), diaeresis: nfd.includes('\u0308') };
    greekBases.set(ch, found);
  }
  return found;
}

/** One Greek letter at position i of `chars` (already upper case); returns the Latin text and how many letters it used. */
function greekLetter(chars: string[], i: number): [string, number] {
  const here = greekBase(chars[i]).base;
  const next = greekBase(chars[i + 1]);
  const wordStart = !isLetter(chars[i - 1]);
  if (next.diaeresis) return [GREEK[here] ?? '', 1];
  if (here === 'Ο' && next.base === 'Υ') return ['OU', 2];
  if ((here === 'Α' || here === 'Ε' || here === 'Η') && next.base === 'Υ') {
    const after = greekBase(chars[i + 2]).base;
    const voiceless = after === '' || !isLetter(chars[i + 2]) || GREEK_VOICELESS.has(after);
    return [GREEK[here] + (voiceless ? 'F' : 'V'), 2];
  }
  if (here === 'Μ' && next.base === 'Π' && wordStart) return ['B', 2];
  if (here === 'Γ' && (next.base === 'Γ' || next.base === 'Ξ' || next.base === 'Χ')) return ['N', 1];
  return [GREEK[here] ?? '', 1];
}

/**
 * A name in MRZ letters, components separated by single spaces: upper case, Doc 9303 part 3
 * transliteration of Latin national characters, Cyrillic, Arabic and (ELOT 743) Greek; accents
 * stripped; apostrophes and full stops dropped (O'Brien → OBRIEN); any other character separates
 * components. Characters of other scripts are dropped, so callers can tell an empty result.
 */
export function transliterateToLatin(name: string, options: TransliterationOptions = {}): string {
  const chars = [...name.normalize('NFC')];
  const single = options.singleLetterAlternatives === true;
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const code = ch.charCodeAt(0);
    if (code < 0x80) {
      // ASCII, by far the commonest input: no table look-ups.
      if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) out += code >= 97 ? String.fromCharCode(code - 32) : ch;
      else if (ch !== "'" && ch !== '.') out += ' ';
    } else if (ch === TEH_MARBUTA) {
      out += isLetter(chars[i + 1]) ? 'XTA' : 'XAH';
    } else if ((code >= 0x0370 && code <= 0x03ff) || (code >= 0x1f00 && code <= 0x1fff)) {
      const [latin, used] = greekLetter(chars, i);
      out += latin;
      i += used - 1;
    } else {
      out += contextFreeLetter(ch, single);
    }
  }
  return out.replace(/ +/g, ' ').trim();
}

// Per-character results for the letters whose transliteration does not depend on neighbours.
const letterCache = new Map<string, string>();
const singleLetterCache = new Map<string, string>();

function contextFreeLetter(ch: string, single: boolean): string {
  const cache = single ? singleLetterCache : letterCache;
  let latin = cache.get(ch);
  if (latin === undefined) {
    const upper = ch.toUpperCase();
    if (single && LATIN_SINGLE_LETTER[upper]) latin = LATIN_SINGLE_LETTER[upper];
    else if (LATIN[upper] !== undefined) latin = LATIN[upper];
    else if (CYRILLIC[upper] !== undefined) latin = CYRILLIC[upper];
    else if (ARABIC[ch] !== undefined) latin = ARABIC[ch];
    else if (ARABIC_SILENT.test(ch)) latin = '';
    else {
      const base = upper.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      // Letters of scripts without a table are dropped; other characters separate components.
      latin = /^[A-Z]+$/.test(base) ? base : base === '\u2019' || /\p{L}/u.test(base) ? '' : ' ';
    }
    cache.set(ch, latin);
  }
  return latin;
}

/** Whether the text holds Arabic letters (their transliteration spells consonants only). */
export function hasArabicScript(text: string): boolean {
  return /[\u0621-\u064A]/.test(text);
}
