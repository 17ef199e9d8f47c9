/**
 * `tessera lists screen --list NAME`: screens one person (--name, --birth-date, --nationality) or a
 * CSV of queries (id,surname,given_names,birth_date,nationality) against a persons list and prints one
 * JSON line per query: {"query": id, "candidates": [{"id", "score", "match", "features"}]}. Every
 * query is audit-logged with the user and the legal purpose.
 */
import { TesseraError, type CliCommand, type CommandIo } from '@tessera/sdk';
import { parseCsv } from '../import/csv-parser.js';
import { decodeText, openFileSource } from '../import/file-source.js';
import { parseListDate } from '../import/row-mapping.js';
import type { PersonQuery } from '../matching/index.js';
import type { ScreeningService } from '../screening/screening-service.js';
import { checkListName } from '../store/list-store.js';
import { actingUser, EXIT_FAILURE, EXIT_OK, numberOption, parseArgs, reportFailure, requireDataFolder, usageError, UsageError } from './command-support.js';
import type { ListsCommandDeps } from './lists-import-command.js';

export const LISTS_SCREEN_USAGE = `usage: tessera lists screen --list NAME [--data DIR]
         [--name "SURNAME, GIVEN NAMES" [--birth-date YYYY[-MM[-DD]]] [--nationality XXX] [--id ID] | --file QUERIES.csv]
         [--threshold 0..1] [--limit N] [--user NAME] [--purpose PURPOSE]
  Prints one JSON line per query: {"query": id, "candidates": [{"id", "score", "match", "features"}]}.
  match is true when the score reaches the list's threshold; candidates below it may follow.
  --name       "SURNAME, GIVEN NAMES", the MRZ form SURNAME<<GIVEN<NAMES, or the names in any order
  --file       a CSV with the columns id,surname,given_names,birth_date,nationality
  --purpose    the legal purpose recorded in the audit log (default border-control)`;

export interface ScreenQuery extends PersonQuery {
  id: string;
}

/** `--name`: "SURNAME, GIVEN" or MRZ "SURNAME<<GIVEN<NAMES" split; otherwise the whole name as surname (order is tolerated). */
export function queryFromName(name: string): Pick<PersonQuery, 'surname' | 'givenNames'> {
  const tidy = (s: string) => s.replace(/</g, ' ').replace(/\s+/g, ' ').trim();
  const split = name.includes('<<') ? name.split('<<') : name.includes(',') ? name.split(',') : [name];
  const surname = tidy(split[0]!);
  const givenNames = tidy(split.slice(1).join(' '));
  return { surname, ...(givenNames ? { givenNames } : {}) };
}

function checkedBirthDate(raw: string, where: string): string {
  const date = parseListDate(raw.trim(), 'YMD');
  if (!date) throw new UsageError(`${where}birth date "${raw}" is not YYYY, YYYY-MM or YYYY-MM-DD`);
  return date;
}

function checkedNationality(raw: string, where: string): string {
  const code = raw.trim().toUpperCase().replace(/</g, '');
  if (!/^[A-Z]{1,3}$/.test(code)) throw new UsageError(`${where}nationality "${raw}" is not a 1–3 letter ICAO code`);
  return code;
}

const QUERY_COLUMNS = ['id', 'surname', 'given_names', 'birth_date', 'nationality'] as const;

/** Queries from the CSV; a bad row is reported on stderr and skipped (the exit code then says so). */
async function* queriesFromFile(file: string, io: CommandIo, onBadRow: () => void): AsyncGenerator<ScreenQuery> {
  const source = await openFileSource(file, 256 * 1024 ** 2);
  let columns: Map<string, number> | undefined;
  for await (const record of parseCsv(decodeText(source.bytes()))) {
    if (!columns) {
      const header = record.fields.map((f) => f.trim().toLowerCase());
      columns = new Map(QUERY_COLUMNS.map((c) => [c, header.indexOf(c)] as const).filter(([, i]) => i >= 0));
      const missing = ['id', 'surname'].filter((c) => !columns!.has(c));
      if (missing.length) {
        throw new TesseraError('NATLIST_QUERIES_INVALID', `The queries file lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; its header is: ${record.fields.join(',')}.`, { hint: `Use the columns ${QUERY_COLUMNS.join(',')}.` });
      }
      continue;
    }
    const cell = (c: (typeof QUERY_COLUMNS)[number]) => {
      const i = columns!.get(c);
      return i === undefined ? '' : (record.fields[i] ?? '').trim();
    };
    try {
      const id = cell('id');
      const surname = cell('surname');
      if (!id) throw new UsageError('id is empty');
      if (!surname) throw new UsageError('surname is empty');
      const givenNames = cell('given_names');
      const birthDate = cell('birth_date');
      const nationality = cell('nationality');
      yield {
        id,
        surname,
        ...(givenNames ? { givenNames } : {}),
        ...(birthDate ? { birthDate: checkedBirthDate(birthDate, '') } : {}),
        ...(nationality ? { nationality: checkedNationality(nationality, '') } : {}),
      };
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`error NATLIST_QUERIES_INVALID: line ${record.line}: ${error.message}; query skipped`);
      onBadRow();
    }
  }
  if (!columns) throw new TesseraError('NATLIST_QUERIES_INVALID', `The queries file "${file}" has no header row.`, { hint: `Use the columns ${QUERY_COLUMNS.join(',')}.` });
}

export function createListsScreenCommand(deps: ListsCommandDeps & { screening: ScreeningService }): CliCommand {
  return {
    id: 'lists screen',
    summary: 'Screen persons against a national watchlist (one JSON line per query)',
    usage: LISTS_SCREEN_USAGE,
    async run(args, io) {
      let options;
      try {
        const parsed = parseArgs(args, ['list', 'name', 'birth-date', 'nationality', 'id', 'file', 'threshold', 'limit', 'user', 'purpose']);
        if (parsed.positional.length) throw new UsageError(`unexpected argument ${parsed.positional[0]}`);
        const list = parsed.values.get('list');
        if (!list) throw new UsageError('--list NAME is required');
        const name = parsed.values.get('name');
        const file = parsed.values.get('file');
        if ((name === undefined) === (file === undefined)) throw new UsageError('give either --name (with --birth-date, --nationality) or --file QUERIES.csv');
        if (file !== undefined && ['birth-date', 'nationality', 'id'].some((o) => parsed.values.has(o))) throw new UsageError('--birth-date, --nationality and --id go with --name, not --file');
        let single: ScreenQuery | undefined;
        if (name !== undefined) {
          const names = queryFromName(name);
          if (!names.surname) throw new UsageError('--name is empty');
          const birthDate = parsed.values.get('birth-date');
          const nationality = parsed.values.get('nationality');
          single = {
            id: parsed.values.get('id') ?? '1',
            ...names,
            ...(birthDate !== undefined ? { birthDate: checkedBirthDate(birthDate, '--birth-date: ') } : {}),
            ...(nationality !== undefined ? { nationality: checkedNationality(nationality, '--nationality: ') } : {}),
          };
        }
        const threshold = numberOption(parsed, 'threshold', (n) => n > 0 && n <= 1, 'a number above 0 and at most 1');
        const limit = numberOption(parsed, 'limit', (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'a whole number from 1 to 1000');
        options = { list, single, file, threshold, limit, actor: actingUser(parsed), purpose: parsed.values.get('purpose') ?? 'border-control' };
      } catch (error) {
        if (error instanceof UsageError) return usageError(io, error.message, LISTS_SCREEN_USAGE);
        throw error;
      }
      try {
        requireDataFolder(deps.plugin, deps.host);
        checkListName(options.list);
        let badRows = 0;
        const queries: AsyncIterable<ScreenQuery> | ScreenQuery[] = options.single ? [options.single] : queriesFromFile(options.file!, io, () => badRows++);
        for await (const query of queries) {
          const { id, ...person } = query;
          const result = await deps.screening.screen(options.list, person, { ...(options.threshold !== undefined ? { threshold: options.threshold } : {}), ...(options.limit !== undefined ? { limit: options.limit } : {}) });
          await deps.audit.record({
            actor: options.actor,
            action: 'lists.screen',
            subject: options.list,
            purpose: options.purpose,
            outcome: 'success',
            // The query's id and the counts, not the names: the audit log is not a second copy of the watchlist.
            details: { list: options.list, version: result.list.version, query: id, candidates: result.candidates.length, matches: result.candidates.filter((c) => c.match).length },
          });
          io.stdout(JSON.stringify({ query: id, candidates: result.candidates.map((c) => ({ id: c.id, score: c.score, match: c.match, features: c.features })) }));
        }
        return badRows ? EXIT_FAILURE : EXIT_OK;
      } catch (error) {
        await deps.audit.record({ actor: options.actor, action: 'lists.screen', subject: options.list, purpose: options.purpose, outcome: 'failure', details: { error: (error as { code?: string }).code ?? (error as Error).message } }).catch(() => undefined);
        return reportFailure(io, error);
      }
    },
  };
}
