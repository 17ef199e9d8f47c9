/**
 * Names reduced to comparable tokens. Any script the SDK transliterates (Doc 9303 part 3 Latin,
 * Cyrillic, Arabic; ELOT 743 Greek) becomes A–Z tokens; a name with letters that have a Doc 9303
 * single-letter alternative (Ü → UE or U) yields both spellings. Arabic-script names also get a
 * consonant skeleton, because their Doc 9303 form spells consonants only (محمد → MXHMD) while
 * lists carry vowelled transcriptions (MOHAMMED): both reduce to MHMD.
 */
import { hasArabicScript, transliterateToLatin } from '@tessera/sdk/mrz';

export interface NormalisedName {
  /** Tokens in Doc 9303 form, in the order written. */
  tokens: string[];
  /** The same tokens with Doc 9303's single-letter alternatives, when that spelling differs. */
  alternative?: string[];
  /** Written in Arabic script: compare by consonant skeleton too. */
  arabic: boolean;
}

export function normaliseName(text: string | undefined): NormalisedName {
  if (!text) return { tokens: [], arabic: false };
  const primary = transliterateToLatin(text);
  const tokens = primary ? primary.split(' ') : [];
  // Only Ä, Å, Ö, Ü have a single-letter alternative: skip the second pass for names without them.
  const single = /[äåöüÄÅÖÜ]/.test(text.normalize('NFC')) ? transliterateToLatin(text, { singleLetterAlternatives: true }) : primary;
  return { tokens, ...(single !== primary ? { alternative: single.split(' ') } : {}), arabic: hasArabicScript(text) };
}

// Doc 9303 escapes for Arabic letters, longest first, reduced to what a transcription writes.
const ARABIC_ESCAPES: ReadonlyArray<[RegExp, string]> = [
  [/XKH/g, 'K'], [/XTH/g, 'T'], [/XDH/g, 'D'], [/XSH/g, 'S'], [/XGH/g, 'G'], [/XSS/g, 'S'], [/XDZ/g, 'D'], [/XTT/g, 'T'],
  [/XZZ/g, 'Z'], [/XAA|XAE|XAH|XAY|XTA/g, ''], [/XH/g, 'H'], [/XE|XW|XI/g, ''],
];

/**
 * Consonants only, digraphs reduced (KH → K, SH and CH → S, TH → T, DH → D, GH → G), letters that
 * transcriptions swap merged (Q → K as in QASSEM / KASSEM, J → G as in JAMAL / GAMAL), doubled
 * letters once: MOHAMMED → MHMD. For a Doc 9303 Arabic token the escapes are decoded first and
 * ع (E) is silent, so محمد (MXHMD) gives MHMD as well.
 */
export function consonantSkeleton(token: string, fromArabic: boolean): string {
  let t = token;
  if (fromArabic) {
    for (const [pattern, replacement] of ARABIC_ESCAPES) t = t.replace(pattern, replacement);
  } else {
    t = t.replace(/CH/g, 'S').replace(/([KSTDG])H/g, '$1');
  }
  t = t.replace(/[AEIOUYW]/g, '').replace(/Q/g, 'K').replace(/J/g, 'G');
  return t.replace(/(.)\1+/g, '$1');
}
