/**
 * The screening index: a list of persons held in flat typed arrays (one name entry per name or
 * alias, tokens interned once in a TokenDictionary, an inverted index from token to entries), and
 * the screening itself — retrieve candidates through the query's tokens and their typo, sound and
 * skeleton neighbours weighted by rarity, with the birth year as a blocking bonus, then score the
 * best few feature by feature. Nothing is scanned per query: cost follows the postings touched.
 */
import { TesseraError } from '@tessera/sdk';
import { compareBirthDates, packDate, parseBirthDate, unpackDate, type DateAgreement, type PartialDate } from './birth-dates.js';
import { GrowableUint32 } from './growable.js';
import type { Candidate, FeatureScore, PersonIndex, PersonQuery, PersonRecord, ScreenOptions } from './index.js';
import { normaliseName } from './name-normalise.js';
import { canonicalNationality, compareNationalities } from './nationality.js';
import { compareTokens, describeTokenMatch, tokenInfo, type TokenInfo, type TokenMatch } from './token-similarity.js';
import { TokenDictionary, type TokenCandidate } from './token-dictionary.js';

/**
 * A candidate at or above it is shown as a match. Calibrated on the calibration half of
 * scripts/bench-screening.ts (1,000,000 persons): the middle of 0.71–0.89, the thresholds that meet
 * recall ≥ 0.98 at precision ≥ 0.95 there; the other half of the queries reports the result.
 * (yente's 0.7 is on its own scale, not this one.)
 */
export const DEFAULT_THRESHOLD = 0.8;
const DEFAULT_LIMIT = 10;

/** Feature weights: the name carries the decision, the date of birth confirms or refutes it. */
export const FEATURE_WEIGHTS = { name: 0.55, birthDate: 0.35, nationality: 0.1 } as const;
/** A candidate never scores more than this above its name score: a shared date cannot make a weak name a match. */
const NAME_CAP_MARGIN = 0.05;
/**
 * Further cost of each listed name part the query leaves out, by how far the date of birth agrees.
 * With the full date a partial name is still strong evidence (few people share name and birthday);
 * with only the year it is weak: DANIELA GARCIA born 1978 is several people on a large list, DANIELA
 * GARCIA RUIZ born 1978 one. With no date compared the name stands alone and pays the most.
 */
const UNCONFIRMED_PART_PENALTY: Readonly<Record<DateAgreement, number>> = { day: 0, month: 0.05, year: 0.1, none: 0.1 };
/** Entries fully scored per query, after retrieval ranked them. */
const CANDIDATES_SCORED = 80;
/** Retrieval bonus for the same birth year: blocking without excluding persons whose year is wrong or unknown. */
const BIRTH_YEAR_BONUS = 3;
/** Query tokens beyond this are ignored in retrieval (a bit each in a 16-bit mask). */
const MAX_QUERY_TOKENS = 16;

const enum Role {
  Given = 0,
  Surname = 1,
  Alias = 2,
}
const enum EntryKind {
  Name = 0,
  Alias = 1,
  Alternative = 2,
}

export function buildPersonIndex(records: Iterable<PersonRecord>): PersonIndex {
  const dict = new TokenDictionary();
  const ids: string[] = [];
  const birthDates = new GrowableUint32();
  const nationalities = new GrowableUint32();
  const nationalityCodes: string[] = [''];
  const nationalityIndex = new Map<string, number>([['', 0]]);
  const entryRecord = new GrowableUint32();
  const entryKind = new GrowableUint32();
  const entryStart = new GrowableUint32();
  const entryTokens = new GrowableUint32();

  const addEntry = (record: number, kind: EntryKind, tokens: Array<[string, Role]>, arabic: boolean) => {
    if (!tokens.length) return;
    entryRecord.push(record);
    entryKind.push(kind);
    entryStart.push(entryTokens.length);
    for (const [text, role] of tokens) entryTokens.push(dict.intern(text, arabic) * 4 + role);
  };

  for (const person of records) {
    const who = `person ${person.id}`;
    const record = ids.length;
    const surname = normaliseName(person.surname);
    if (!surname.tokens.length) throw emptyName(person.surname, who);
    const given = normaliseName(person.givenNames);
    const date = parseBirthDate(person.birthDate, who);
    ids.push(person.id);
    birthDates.push(packDate(date));
    const raw = person.nationality?.trim().toUpperCase() ?? '';
    const nat = canonicalNationality(raw) ? raw : '';
    let natIndex = nationalityIndex.get(nat);
    if (natIndex === undefined) {
      natIndex = nationalityCodes.length;
      nationalityCodes.push(nat);
      nationalityIndex.set(nat, natIndex);
    }
    nationalities.push(natIndex);
    const arabic = surname.arabic || given.arabic;
    addEntry(record, EntryKind.Name, withRoles(surname.tokens, given.tokens), arabic);
    if (surname.alternative || given.alternative) {
      addEntry(record, EntryKind.Alternative, withRoles(surname.alternative ?? surname.tokens, given.alternative ?? given.tokens), arabic);
    }
    for (const alias of person.aliases ?? []) {
      const name = normaliseName(alias);
      addEntry(record, EntryKind.Alias, name.tokens.map((t) => [t, Role.Alias]), name.arabic);
      if (name.alternative) addEntry(record, EntryKind.Alternative, name.alternative.map((t) => [t, Role.Alias]), name.arabic);
    }
  }
  entryStart.push(entryTokens.length);
  dict.finish();
  return new TypedPersonIndex(dict, ids, birthDates.toArray(), nationalities.toArray(), nationalityCodes,
    entryRecord.toArray(), new Uint8Array(entryKind.toArray()), entryStart.toArray(), entryTokens.toArray());
}

function withRoles(surname: string[], given: string[]): Array<[string, Role]> {
  return [...surname.map((t): [string, Role] => [t, Role.Surname]), ...given.map((t): [string, Role] => [t, Role.Given])];
}

function emptyName(surname: string, who: string): TesseraError {
  return new TesseraError('NATLIST_SCREEN_NAME_EMPTY', `The surname "${surname}" of ${who} has no letter that transliterates into A–Z.`, {
    hint: 'Give the surname in Latin, Cyrillic, Greek or Arabic script.',
  });
}

interface QueryToken extends TokenInfo {
  role: Role;
}

class TypedPersonIndex implements PersonIndex {
  private readonly postingStart: Uint32Array;
  private readonly postings: Uint32Array;
  // Per-query scratch, sized to the entries once: a stamp marks the entries this query touched.
  private readonly stamp: Uint32Array;
  private readonly accumulated: Float32Array;
  private readonly matchedTokens: Uint16Array;
  private readonly touched: Uint32Array;
  private readonly touchedScores: Float32Array;
  private currentStamp = 0;

  constructor(
    private readonly dict: TokenDictionary,
    private readonly ids: string[],
    private readonly birthDates: Uint32Array,
    private readonly nationalities: Uint32Array,
    private readonly nationalityCodes: string[],
    private readonly entryRecord: Uint32Array,
    private readonly entryKind: Uint8Array,
    private readonly entryStart: Uint32Array,
    private readonly entryTokens: Uint32Array,
  ) {
    // Inverted index in CSR form: the entries holding token t are postings[postingStart[t] .. postingStart[t+1]).
    const counts = new Uint32Array(dict.size + 1);
    for (let i = 0; i < entryTokens.length; i++) counts[(entryTokens[i] >>> 2) + 1]++;
    for (let t = 0; t < dict.size; t++) counts[t + 1] += counts[t];
    this.postingStart = counts;
    this.postings = new Uint32Array(entryTokens.length);
    const fill = counts.slice(0, dict.size);
    for (let e = 0; e < entryRecord.length; e++) {
      for (let i = entryStart[e]; i < entryStart[e + 1]; i++) {
        const t = entryTokens[i] >>> 2;
        // An entry naming the same token twice is posted once.
        if (fill[t] > counts[t] && this.postings[fill[t] - 1] === e) continue;
        this.postings[fill[t]++] = e;
      }
    }
    this.stamp = new Uint32Array(entryRecord.length);
    this.accumulated = new Float32Array(entryRecord.length);
    this.matchedTokens = new Uint16Array(entryRecord.length);
    this.touched = new Uint32Array(entryRecord.length);
    this.touchedScores = new Float32Array(entryRecord.length);
  }

  get size(): number {
    return this.ids.length;
  }

  screen(query: PersonQuery, opts: ScreenOptions = {}): Candidate[] {
    const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
    const limit = opts.limit ?? DEFAULT_LIMIT;
    if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1) || !Number.isInteger(limit) || limit < 1) {
      throw new TesseraError('NATLIST_SCREEN_OPTIONS_INVALID', `Screening options out of range: threshold ${threshold}, limit ${limit}.`, {
        hint: 'The threshold is a number from 0 to 1 and the limit a positive integer.',
      });
    }
    const who = query.id ? `query ${query.id}` : 'the query';
    const surname = normaliseName(query.surname);
    if (!surname.tokens.length) throw emptyName(query.surname, who);
    const given = normaliseName(query.givenNames);
    const date = parseBirthDate(query.birthDate, who);
    const nationality = query.nationality?.trim().toUpperCase() || undefined;
    const nationalityCanonical = canonicalNationality(nationality);
    const arabic = surname.arabic || given.arabic;
    const spellings: QueryToken[][] = [queryTokens(surname.tokens, given.tokens, arabic)];
    if (surname.alternative || given.alternative) {
      spellings.push(queryTokens(surname.alternative ?? surname.tokens, given.alternative ?? given.tokens, arabic));
    }

    const entries = this.retrieve(spellings, date);
    const best = new Map<number, Candidate>();
    for (const entry of entries) {
      const record = this.entryRecord[entry];
      for (const tokens of spellings) {
        const candidate = this.scoreEntry(entry, tokens, date, nationality, nationalityCanonical, threshold);
        const previous = best.get(record);
        if (!previous || candidate.score > previous.score) best.set(record, candidate);
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, limit);
  }

  /** Entries sharing query tokens (or their neighbours), ranked by rarity-weighted overlap; the best CANDIDATES_SCORED. */
  private retrieve(spellings: QueryToken[][], date: PartialDate | undefined): number[] {
    if (++this.currentStamp === 0xffffffff) {
      this.stamp.fill(0);
      this.currentStamp = 1;
    }
    const stamp = this.currentStamp;
    const touched = this.touched;
    let touchedCount = 0;
    const totalEntries = this.entryRecord.length;
    const lookups = new Map<string, TokenCandidate[]>();
    for (const tokens of spellings) {
      for (let position = 0; position < Math.min(tokens.length, MAX_QUERY_TOKENS); position++) {
        const token = tokens[position];
        let found = lookups.get(token.text);
        if (!found) lookups.set(token.text, (found = this.dict.lookup(token)));
        const bit = 1 << position;
        for (const match of found) {
          const from = this.postingStart[match.id];
          const to = this.postingStart[match.id + 1];
          const weight = match.score * Math.log(1 + totalEntries / (to - from));
          for (let p = from; p < to; p++) {
            const e = this.postings[p];
            if (this.stamp[e] !== stamp) {
              this.stamp[e] = stamp;
              this.accumulated[e] = 0;
              this.matchedTokens[e] = 0;
              touched[touchedCount++] = e;
            }
            if (!(this.matchedTokens[e] & bit)) {
              this.matchedTokens[e] |= bit;
              this.accumulated[e] += weight;
            }
          }
        }
      }
    }
    if (date) {
      for (let i = 0; i < touchedCount; i++) {
        const e = touched[i];
        if (Math.floor(this.birthDates[this.entryRecord[e]] / 10000) === date.year) this.accumulated[e] += BIRTH_YEAR_BONUS;
      }
    }
    if (touchedCount <= CANDIDATES_SCORED) return Array.from(touched.subarray(0, touchedCount));
    const scores = this.touchedScores.subarray(0, touchedCount);
    for (let i = 0; i < touchedCount; i++) scores[i] = this.accumulated[touched[i]];
    const cut = kthLargest(scores, CANDIDATES_SCORED);
    const out: number[] = [];
    for (let i = 0; i < touchedCount; i++) if (this.accumulated[touched[i]] > cut) out.push(touched[i]);
    for (let i = 0; i < touchedCount && out.length < CANDIDATES_SCORED; i++) if (this.accumulated[touched[i]] === cut) out.push(touched[i]);
    return out;
  }

  private scoreEntry(
    entry: number,
    query: QueryToken[],
    date: PartialDate | undefined,
    nationality: string | undefined,
    nationalityCanonical: string | undefined,
    threshold: number,
  ): Candidate {
    const record = this.entryRecord[entry];
    const tokens: Array<{ info: TokenInfo; role: Role }> = [];
    for (let i = this.entryStart[entry]; i < this.entryStart[entry + 1]; i++) {
      tokens.push({ info: this.dict.info(this.entryTokens[i] >>> 2), role: (this.entryTokens[i] & 3) as Role });
    }
    const features: Record<string, FeatureScore> = {};
    const name = scoreName(query, tokens);
    const kind = this.entryKind[entry];
    const via = kind === EntryKind.Alias ? ' [alias]' : kind === EntryKind.Alternative ? ' [Doc 9303 single-letter spelling]' : '';
    features.name = { score: round(name.score), weight: FEATURE_WEIGHTS.name, detail: name.detail + via };

    const recordDate = unpackDate(this.birthDates[record]);
    let agreement: DateAgreement = 'none';
    if (date && recordDate) {
      const d = compareBirthDates(date, recordDate);
      agreement = d.agreement;
      features.birthDate = { score: d.score, weight: FEATURE_WEIGHTS.birthDate, detail: d.detail };
    } else {
      features.birthDate = { score: 0, weight: 0, detail: date ? 'not on the list entry: not compared' : 'not in the query: not compared' };
    }
    const recordNationality = this.nationalityCodes[this.nationalities[record]];
    if (nationality && nationalityCanonical && recordNationality) {
      const n = compareNationalities(nationality, nationalityCanonical, recordNationality, canonicalNationality(recordNationality)!);
      features.nationality = { score: n.score, weight: FEATURE_WEIGHTS.nationality, detail: n.detail };
    } else {
      const why = !nationality ? 'not in the query' : !nationalityCanonical ? `query code ${nationality} unknown` : 'not on the list entry';
      features.nationality = { score: 0, weight: 0, detail: `${why}: not compared` };
    }
    let sum = 0;
    let weights = 0;
    for (const f of Object.values(features)) {
      sum += f.score * f.weight;
      weights += f.weight;
    }
    let score = Math.min(sum / weights, name.score + NAME_CAP_MARGIN);
    const unconfirmed = name.missingParts * UNCONFIRMED_PART_PENALTY[agreement];
    if (unconfirmed > 0) {
      score = Math.max(0, score - unconfirmed);
      const date = agreement === 'none' ? 'no date of birth agrees' : `the date of birth agrees only to the ${agreement}`;
      features.name.detail += `; ${name.missingParts === 1 ? 'a listed name part' : `${name.missingParts} listed name parts`} left out while ${date} (−${round(unconfirmed)} overall)`;
    }
    score = round(score);
    return { id: this.ids[record], score, match: score >= threshold, features };
  }
}

function queryTokens(surname: string[], given: string[], arabic: boolean): QueryToken[] {
  return [
    ...surname.map((t) => ({ ...tokenInfo(t, arabic), role: Role.Surname })),
    ...given.map((t) => ({ ...tokenInfo(t, arabic), role: Role.Given })),
  ];
}

/** Below this two tokens are not paired at all. */
const MIN_PAIR_SCORE = 0.7;
/** Names that only look somewhat alike (CHARLES, CHRISTOPHER: Jaro-Winkler 0.73) are different names. */
const MIN_SIMILAR_SCORE = 0.84;
/** Each name part of the list entry that the query does not mention costs this much. */
const MISSING_PART_PENALTY = 0.04;
/** ... and more when the query gives no given name at all, since then only the surname was compared. */
const SURNAME_ONLY_PENALTY = 0.08;
/** A query name part and a list name part that pair with nothing contradict each other: this much each. */
const CONFLICT_PENALTY = 0.1;

/**
 * Connecting words of compound names — Spanish DE, DEL, LA, Y (GARCÍA Y RUIZ, DE LA CRUZ), Arabic
 * AL, EL and the nasab links BIN, IBN, BINT, BEN (MOHAMMED BIN SALMAN), Dutch and German VAN, VON,
 * DER — are kept or dropped at will between documents and lists. Left unpaired they are neither a
 * contradiction nor a missing part. (ABU is not one: ABU BAKR is a name.)
 */
const NAME_PARTICLES = new Set(['AL', 'EL', 'BIN', 'IBN', 'BINT', 'BEN', 'DE', 'DEL', 'LA', 'LAS', 'LOS', 'Y', 'E', 'DA', 'DI', 'DO', 'DOS', 'DAS', 'VAN', 'VON', 'DER', 'DEN', 'TER']);

/**
 * Order-free name comparison: the best pairing of query tokens with entry tokens (greedy on
 * score), weighted by token length, so swapped surname and given names still match and a missing
 * middle name costs little; unpaired query tokens count as zero. Compound parts written as one
 * word on one side and apart on the other (ALHUSSEINI / AL HUSSEINI, GARCIARUIZ / GARCIA RUIZ)
 * pair as one before the rest.
 */
function scoreName(query: QueryToken[], entry: Array<{ info: TokenInfo; role: Role }>): { score: number; detail: string; missingParts: number } {
  const queryUsed = new Array<TokenMatch | undefined>(query.length);
  const pairedWith = new Array<number>(query.length).fill(-1);
  const entryUsed = new Array<boolean>(entry.length).fill(false);
  const joinedDetail = new Map<number, string>();
  const exact: TokenMatch = { score: 1, kind: 'exact' };
  for (let q = 0; q + 1 < query.length; q++) {
    const together = query[q].text + query[q + 1].text;
    const e = entry.findIndex((t, i) => !entryUsed[i] && t.info.text === together);
    if (e < 0) continue;
    queryUsed[q] = queryUsed[q + 1] = exact;
    pairedWith[q] = pairedWith[q + 1] = e;
    entryUsed[e] = true;
    joinedDetail.set(q, `${query[q].text} ${query[q + 1].text} = ${together} (written as one word)`);
    joinedDetail.set(q + 1, '');
    q++;
  }
  for (let e = 0; e + 1 < entry.length; e++) {
    if (entryUsed[e] || entryUsed[e + 1]) continue;
    const together = entry[e].info.text + entry[e + 1].info.text;
    const q = query.findIndex((t, i) => !queryUsed[i] && t.text === together);
    if (q < 0) continue;
    queryUsed[q] = exact;
    pairedWith[q] = e;
    entryUsed[e] = entryUsed[e + 1] = true;
    joinedDetail.set(q, `${together} = ${entry[e].info.text} ${entry[e + 1].info.text} (written apart)`);
    e++;
  }
  const pairs: Array<{ q: number; e: number; m: TokenMatch }> = [];
  for (let q = 0; q < query.length; q++) {
    if (queryUsed[q]) continue;
    for (let e = 0; e < entry.length; e++) {
      if (entryUsed[e]) continue;
      const m = compareTokens(query[q], entry[e].info);
      // A connecting word pairs only with itself: Y is not the initial of YOLANDA.
      if (m.kind !== 'exact' && (NAME_PARTICLES.has(query[q].text) || NAME_PARTICLES.has(entry[e].info.text))) continue;
      if (m.score >= (m.kind === 'similar' ? MIN_SIMILAR_SCORE : MIN_PAIR_SCORE)) pairs.push({ q, e, m });
    }
  }
  pairs.sort((a, b) => b.m.score - a.m.score);
  for (const p of pairs) {
    if (queryUsed[p.q] || entryUsed[p.e]) continue;
    queryUsed[p.q] = p.m;
    pairedWith[p.q] = p.e;
    entryUsed[p.e] = true;
  }
  let matched = 0;
  let total = 0;
  let unpairedQuery = 0;
  const parts: string[] = [];
  const ignored: string[] = [];
  for (let q = 0; q < query.length; q++) {
    const m = queryUsed[q];
    if (!m && NAME_PARTICLES.has(query[q].text)) {
      ignored.push(query[q].text);
      continue;
    }
    const weight = Math.max(3, query[q].text.length);
    total += weight;
    if (m) {
      matched += weight * m.score;
      const joined = joinedDetail.get(q);
      if (joined !== '') parts.push(joined ?? describeTokenMatch(query[q].text, entry[pairedWith[q]].info.text, m));
    } else {
      unpairedQuery++;
      parts.push(`${query[q].text} not on the list entry`);
    }
  }
  const missing: string[] = [];
  entry.forEach((t, e) => {
    if (entryUsed[e]) return;
    if (NAME_PARTICLES.has(t.info.text)) ignored.push(t.info.text);
    else missing.push(t.info.text);
  });
  const queryHasGiven = query.some((t) => t.role === Role.Given);
  // A name part on each side that pairs with nothing (JENS against ANNA) is a contradiction, not an omission.
  const conflicts = Math.min(unpairedQuery, missing.length);
  let score = total ? matched / total - missing.length * (queryHasGiven ? MISSING_PART_PENALTY : SURNAME_ONLY_PENALTY) - conflicts * CONFLICT_PENALTY : 0;
  const swapped = pairedWith.some((e, q) => e >= 0 && entry[e].role !== Role.Alias && entry[e].role !== query[q].role);
  if (missing.length) parts.push(`${missing.join(' ')} not in the query`);
  if (ignored.length) parts.push(`${ignored.join(' ')} on one side only (a connecting word, not compared)`);
  if (swapped) parts.push('surname and given names in another order');
  score = Math.max(0, score);
  return { score, detail: parts.join('; '), missingParts: missing.length };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The k-th largest value (1-based) by quickselect; reorders `values`. */
function kthLargest(values: Float32Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target];
  }
  return values[target];
}
