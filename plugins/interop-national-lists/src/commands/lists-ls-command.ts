/** `tessera lists ls`: the imported lists with their kind, version, size, import time and source. */
import type { CliCommand } from '@tessera/sdk';
import { EXIT_OK, parseArgs, reportFailure, requireDataFolder, usageError, UsageError } from './command-support.js';
import type { ListsCommandDeps } from './lists-import-command.js';

export const LISTS_LS_USAGE = `usage: tessera lists ls [--data DIR] [--json]
  Lists the imported national lists: name, kind, version, rows, when and by whom imported, source file.
  --json  one JSON object per list, one per line`;

export function createListsLsCommand(deps: Pick<ListsCommandDeps, 'store' | 'plugin' | 'host'>): CliCommand {
  return {
    id: 'lists ls',
    summary: 'Show the imported national lists and their versions',
    usage: LISTS_LS_USAGE,
    async run(args, io) {
      let json: boolean;
      try {
        const parsed = parseArgs(args, [], ['json']);
        if (parsed.positional.length) throw new UsageError(`unexpected argument ${parsed.positional[0]}`);
        json = parsed.flags.has('json');
      } catch (error) {
        if (error instanceof UsageError) return usageError(io, error.message, LISTS_LS_USAGE);
        throw error;
      }
      try {
        requireDataFolder(deps.plugin, deps.host);
        const lists = await deps.store.lists();
        if (json) {
          for (const list of lists) io.stdout(JSON.stringify(list));
          return EXIT_OK;
        }
        if (!lists.length) {
          io.stdout('No lists imported yet (tessera lists import FILE --list NAME --kind documents|persons).');
          return EXIT_OK;
        }
        const rows = [['NAME', 'KIND', 'VERSION', 'ROWS', 'IMPORTED', 'BY', 'SOURCE'], ...lists.map((l) => [l.name, l.kind, String(l.version), String(l.rowCount), l.importedAt, l.importedBy, `${l.sourceFile} (sha256 ${l.sourceSha256.slice(0, 12)}…)`])];
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
        for (const row of rows) io.stdout(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
        return EXIT_OK;
      } catch (error) {
        return reportFailure(io, error);
      }
    },
  };
}
