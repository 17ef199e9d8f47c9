/**
 * Nationality codes as lists and MRZs write them, reduced to one comparable code: ICAO's single
 * letter D is Germany (DEU), the British nationality classes (GBD, GBN, GBO, GBP, GBS) are
 * compared as GBR, and Kosovo's RKS and XXK are one state.
 */
import { isKnownStateCode } from '@tessera/sdk/mrz';

const SAME_STATE: Readonly<Record<string, string>> = {
  D: 'DEU', GBD: 'GBR', GBN: 'GBR', GBO: 'GBR', GBP: 'GBR', GBS: 'GBR', XXK: 'RKS',
};

/** The comparable code, or undefined for an absent or unknown code (which is then not compared). */
export function canonicalNationality(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const c = code.trim().toUpperCase().replace(/<+$/, '');
  if (!c || !isKnownStateCode(c)) return undefined;
  return SAME_STATE[c] ?? c;
}

export function compareNationalities(query: string, queryCanonical: string, record: string, recordCanonical: string): { score: number; detail: string } {
  if (queryCanonical === recordCanonical) {
    return { score: 1, detail: query === record ? `${query} equals ${record}` : `${query} and ${record} are the same state` };
  }
  return { score: 0, detail: `${query} differs from ${record}` };
}
