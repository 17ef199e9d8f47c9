/**
 * Similarity of two name tokens with the reason an officer can read: exact, a typing slip
 * (edit distance, Jaro-Winkler), the same sound (Double Metaphone), the same consonant skeleton
 * (Arabic-script names against vowelled transcriptions) or an initial.
 */
import { doubleMetaphone } from 'double-metaphone';
import { consonantSkeleton } from './name-normalise.js';
import { editDistance, jaroWinkler } from './string-similarity.js';

export interface TokenInfo {
  text: string;
  arabic: boolean;
  /** Double Metaphone primary and alternate codes */
  phonetic: readonly [string, string];
  skeleton: string;
}

export function tokenInfo(text: string, arabic: boolean): TokenInfo {
  const codes = doubleMetaphone(text);
  return { text, arabic, phonetic: [codes[0], codes[1]], skeleton: consonantSkeleton(text, arabic) };
}

export type TokenMatchKind = 'exact' | 'typo' | 'similar' | 'phonetic' | 'skeleton' | 'initial';

export interface TokenMatch {
  score: number;
  kind: TokenMatchKind;
}

/** Codes of one or two letters ("L" for LI, LEE, LOW) say too little to call two names alike. */
const MIN_PHONETIC_CODE = 2;

export function phoneticallyEqual(a: TokenInfo, b: TokenInfo): boolean {
  const [a1, a2] = a.phonetic;
  const [b1, b2] = b.phonetic;
  return (a1.length >= MIN_PHONETIC_CODE && (a1 === b1 || a1 === b2)) || (a2.length >= MIN_PHONETIC_CODE && (a2 === b1 || a2 === b2));
}

export function compareTokens(q: TokenInfo, r: TokenInfo): TokenMatch {
  if (q.text === r.text) return { score: 1, kind: 'exact' };
  if (q.text.length === 1 || r.text.length === 1) {
    return q.text[0] === r.text[0] ? { score: 0.75, kind: 'initial' } : { score: 0, kind: 'similar' };
  }
  const longer = Math.max(q.text.length, r.text.length);
  const shorter = Math.min(q.text.length, r.text.length);
  const jw = jaroWinkler(q.text, r.text);
  // Jaro-Winkler alone rates names with a long common prefix too close (PAPADAKIS, PAPADIDIS:
  // 0.91); the share of letters an edit changes keeps such pairs apart.
  const distance = jw >= 0.5 ? editDistance(q.text, r.text, 3) : 4;
  const editSimilarity = 1 - Math.min(distance, longer) / longer;
  let best: TokenMatch = { score: Math.min(jw, editSimilarity + 0.05), kind: 'similar' };
  // One slip in a long name is a typo; in a four-letter name it is as often another name (QING, PING).
  const typo = distance === 1 ? (shorter >= 6 ? 0.92 : shorter === 5 ? 0.86 : 0) : distance === 2 && shorter >= 7 ? 0.85 : 0;
  if (typo) best = { score: Math.max(typo, best.score), kind: 'typo' };
  // Sound alone is weak evidence for names that also look different (PAUL and BELL share PL), and
  // for short names that start with different consonants it is none: YANG and WANG, CHEN and SHEN
  // are other families (a vowel against a consonant stays a spelling: IURI and YURI).
  const differentShortName = shorter < 5 && q.text[0] !== r.text[0] && !/[AEIOU]/.test(q.text[0] + r.text[0]);
  if (best.score < 0.9 && jw >= 0.7 && editSimilarity >= 0.55 && !differentShortName && phoneticallyEqual(q, r)) best = { score: 0.9, kind: 'phonetic' };
  if ((q.arabic || r.arabic) && best.score < 0.9 && q.skeleton && r.skeleton) {
    // One-consonant skeletons (عائشة and AISHA are both S) agree less convincingly than longer ones.
    if (q.skeleton === r.skeleton) best = { score: q.skeleton.length >= 2 ? 0.9 : 0.85, kind: 'skeleton' };
    else {
      const s = 0.85 * jaroWinkler(q.skeleton, r.skeleton);
      if (s > best.score) best = { score: s, kind: 'skeleton' };
    }
  }
  return best;
}

export function describeTokenMatch(q: string, r: string, m: TokenMatch): string {
  switch (m.kind) {
    case 'exact':
      return `${q} = ${r}`;
    case 'typo':
      return `${q} ≈ ${r} (typing slip)`;
    case 'phonetic':
      return `${q} ≈ ${r} (sounds alike)`;
    case 'skeleton':
      return `${q} ≈ ${r} (same consonants, Arabic script)`;
    case 'initial':
      return `${q} ≈ ${r} (initial)`;
    default:
      return `${q} ~ ${r} (Jaro-Winkler ${m.score.toFixed(2)})`;
  }
}
