/**
 * `national-persons`: a traveller screened against the agency's persons watchlists, from the name,
 * birth date and nationality in the MRZ (the host builds the query with the SDK's `personQueryFromMrz`).
 * Candidates at or above a list's threshold are hits, each with its score and a per-feature
 * explanation: candidates for an officer to assess, never a verdict.
 */
import type { Clock, InteropConnector, InteropRecord, InteropResult, PersonQuery } from '@tessera/sdk';
import { demoDataReason, isDemoList } from '../demo/demo-lists.js';
import type { ListStore } from '../store/list-store.js';
import type { ScreeningService } from '../screening/screening-service.js';

export const PERSONS_CONNECTOR_ID = 'national-persons';

export class NationalPersonsConnector implements InteropConnector {
  readonly id = PERSONS_CONNECTOR_ID;
  readonly displayName = 'National persons watchlists';
  readonly queries = ['person'] as const;

  constructor(
    private readonly store: ListStore,
    private readonly screening: ScreeningService,
    private readonly clock: Clock,
    /** The lists to screen; empty for every persons list. */
    private readonly listNames: readonly string[] = [],
  ) {}

  async queryPerson(query: PersonQuery): Promise<InteropResult> {
    const checkedAt = this.clock.now().toISOString();
    const notChecked = (reason: string): InteropResult => ({ connectorId: this.id, outcome: 'not_checked', reason, records: [], checkedAt });
    if (!query.surname?.trim()) return notChecked('The query has no surname, so the watchlists were not screened.');
    try {
      const lists = this.listNames.length ? this.listNames : (await this.store.lists('persons')).map((l) => l.name);
      if (!lists.length) return notChecked('No persons watchlist has been imported on this workstation (tessera lists import … --kind persons).');
      const records: InteropRecord[] = [];
      const asOf: string[] = [];
      const demoLists: string[] = [];
      for (const name of lists) {
        const result = await this.screening.screen(name, { ...query, surname: query.surname.trim() });
        asOf.push(result.list.importedAt);
        const demo = isDemoList(result.list);
        if (demo) demoLists.push(name);
        for (const candidate of result.candidates.filter((c) => c.match)) {
          const person = result.people.get(candidate.id);
          const explanation = Object.fromEntries(Object.entries(candidate.features).map(([feature, f]) => [`feature.${feature}`, `${f.score.toFixed(2)} (weight ${f.weight}): ${f.detail}`]));
          records.push({
            status: 'watchlist_candidate',
            reference: candidate.id,
            score: candidate.score,
            details: {
              list: name,
              listVersion: String(result.list.version),
              threshold: String(result.threshold),
              ...(person ? { surname: person.surname, givenNames: person.givenNames ?? '', birthDate: person.birthDate ?? '', nationality: person.nationality ?? '' } : {}),
              ...explanation,
              ...(demo ? { source: 'demo data' } : {}),
              note: 'A candidate for the officer to assess, not an identification.',
            },
          });
        }
      }
      records.sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
      return { connectorId: this.id, outcome: records.length ? 'hit' : 'no_hit', records, checkedAt, dataAsOf: asOf.sort()[0]!, ...(demoLists.length ? { reason: demoDataReason(demoLists) } : {}) };
    } catch (error) {
      return notChecked(`The watchlists could not be screened (${(error as Error).message}). Retry, or screen by another channel.`);
    }
  }
}
