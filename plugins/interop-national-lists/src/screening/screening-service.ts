/**
 * Screening against persons lists, for the `national-persons` connector and `tessera lists screen`:
 * keeps one matching index per list, rebuilt only when a new version of the list has been imported,
 * and applies the list's threshold (else the configured one, else the engine's default).
 */
import { buildPersonIndex, DEFAULT_THRESHOLD, type Candidate, type PersonIndex, type PersonQuery } from '../matching/index.js';
import type { PersonRow } from '../import/row-mapping.js';
import type { ListInfo, ListStore } from '../store/list-store.js';

export interface ScreeningResult {
  list: ListInfo;
  threshold: number;
  candidates: Candidate[];
  /** The listed persons behind the candidates, by id, for showing the officer who matched. */
  people: Map<string, PersonRow>;
}

interface LoadedList {
  version: number;
  index: PersonIndex;
  people: Map<string, PersonRow>;
}

export class ScreeningService {
  private readonly loaded = new Map<string, Promise<LoadedList>>();

  constructor(
    private readonly store: ListStore,
    private readonly defaults: { threshold?: number; limit?: number } = {},
  ) {}

  private async index(name: string): Promise<{ list: ListInfo; loaded: LoadedList }> {
    const current = await this.store.get(name);
    const cached = this.loaded.get(name);
    if (current && cached) {
      const loaded = await cached;
      if (loaded.version === current.version) return { list: current, loaded };
    }
    const building = this.store.loadPersons(name).then(({ list, rows }) => ({
      list,
      loaded: {
        version: list.version,
        people: new Map(rows.map((r) => [r.id, r])),
        index: buildPersonIndex(
          rows.map((r) => ({
            id: r.id,
            surname: r.surname,
            ...(r.givenNames ? { givenNames: r.givenNames } : {}),
            ...(r.birthDate ? { birthDate: r.birthDate } : {}),
            ...(r.nationality ? { nationality: r.nationality } : {}),
            ...(r.aliases.length ? { aliases: r.aliases } : {}),
          })),
        ),
      },
    }));
    this.loaded.set(name, building.then((b) => b.loaded));
    try {
      return await building;
    } catch (error) {
      this.loaded.delete(name);
      throw error;
    }
  }

  /** Loads (or reuses) the index of a list ahead of the first query. */
  async warm(name: string): Promise<void> {
    await this.index(name);
  }

  async screen(name: string, query: PersonQuery, options: { threshold?: number; limit?: number } = {}): Promise<ScreeningResult> {
    const { list, loaded } = await this.index(name);
    const threshold = options.threshold ?? list.threshold ?? this.defaults.threshold ?? DEFAULT_THRESHOLD;
    const limit = options.limit ?? this.defaults.limit ?? 10;
    const candidates = loaded.index.screen(query, { threshold, limit });
    return { list, threshold, candidates, people: loaded.people };
  }
}
