/**
 * The distinct name tokens of a list, each stored once, with the lookups candidate retrieval
 * needs: exact, within one or two edits (a deletion neighbourhood: every token and its
 * one-letter deletions, hashed into a sorted typed array, so a typo finds its token without a
 * scan), by Double Metaphone code, and by consonant skeleton (for Arabic-script queries).
 */
import { GrowableUint32 } from './growable.js';
import { compareTokens, tokenInfo, type TokenInfo, type TokenMatch } from './token-similarity.js';
import { editDistance } from './string-similarity.js';

/** Tokens shorter than this are looked up exactly and by sound only: one edit changes them too much. */
const MIN_FUZZY_LENGTH = 4;
/** A looked-up token is kept when it scores at least this against the query token. */
export const MIN_TOKEN_SCORE = 0.75;

function fnv1a(text: string, skip: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    if (i === skip) continue;
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface TokenCandidate extends TokenMatch {
  id: number;
}

export class TokenDictionary {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private arabicFlags = new GrowableUint32();
  private infos: TokenInfo[] = [];
  private byPhonetic = new Map<string, number[]>();
  private bySkeleton = new Map<string, number[]>();
  private deletionHashes = new Uint32Array(0);
  private deletionTokens = new Uint32Array(0);

  get size(): number {
    return this.texts.length;
  }

  intern(text: string, arabic: boolean): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(text, id);
      this.texts.push(text);
      this.arabicFlags.push(arabic ? 1 : 0);
    }
    return id;
  }

  text(id: number): string {
    return this.texts[id];
  }

  info(id: number): TokenInfo {
    return this.infos[id];
  }

  /** Builds the lookups once every token is interned. */
  finish(): void {
    const pairs = new GrowableUint32(this.texts.length * 16);
    for (let id = 0; id < this.texts.length; id++) {
      const text = this.texts[id];
      const info = tokenInfo(text, this.arabicFlags.get(id) === 1);
      this.infos.push(info);
      addTo(this.byPhonetic, info.phonetic[0], id);
      if (info.phonetic[1] !== info.phonetic[0]) addTo(this.byPhonetic, info.phonetic[1], id);
      if (info.skeleton.length >= 2) addTo(this.bySkeleton, info.skeleton, id);
      if (text.length >= MIN_FUZZY_LENGTH) {
        for (let skip = -1; skip < text.length; skip++) {
          pairs.push(fnv1a(text, skip));
          pairs.push(id);
        }
      }
    }
    // Sort (hash, token) pairs by hash through one Float64Array: hash·2^21 + id is exact below 2^53.
    const count = pairs.length / 2;
    if (this.texts.length >= 2 ** 21) throw new RangeError('More than 2,097,152 distinct name tokens');
    const keys = new Float64Array(count);
    for (let i = 0; i < count; i++) keys[i] = pairs.get(2 * i) * 2097152 + pairs.get(2 * i + 1);
    keys.sort();
    this.deletionHashes = new Uint32Array(count);
    this.deletionTokens = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      this.deletionHashes[i] = Math.floor(keys[i] / 2097152);
      this.deletionTokens[i] = keys[i] % 2097152;
    }
    this.arabicFlags = new GrowableUint32(1);
  }

  /** Dictionary tokens like `query`, best first, each with its score and kind. */
  lookup(query: TokenInfo): TokenCandidate[] {
    const seen = new Set<number>();
    const found: TokenCandidate[] = [];
    const consider = (id: number) => {
      if (seen.has(id)) return;
      seen.add(id);
      const m = compareTokens(query, this.infos[id]);
      if (m.score >= MIN_TOKEN_SCORE) found.push({ id, ...m });
    };
    const exact = this.ids.get(query.text);
    if (exact !== undefined) consider(exact);
    const text = query.text;
    if (text.length >= MIN_FUZZY_LENGTH) {
      const maxEdits = text.length >= 7 ? 2 : 1;
      for (let skip = -1; skip < text.length; skip++) {
        const h = fnv1a(text, skip);
        for (let i = lowerBound(this.deletionHashes, h); i < this.deletionHashes.length && this.deletionHashes[i] === h; i++) {
          const id = this.deletionTokens[i];
          if (!seen.has(id) && editDistance(text, this.texts[id], maxEdits) <= maxEdits) consider(id);
        }
      }
    }
    for (const code of new Set(query.phonetic)) for (const id of this.byPhonetic.get(code) ?? []) consider(id);
    if (query.arabic && query.skeleton.length >= 2) for (const id of this.bySkeleton.get(query.skeleton) ?? []) consider(id);
    return found.sort((a, b) => b.score - a.score);
  }
}

function addTo(map: Map<string, number[]>, key: string, id: number): void {
  if (!key) return;
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

function lowerBound(array: Uint32Array, value: number): number {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (array[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
