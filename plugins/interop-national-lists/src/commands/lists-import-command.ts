/**
 * `tessera lists import FILE --list NAME --kind documents|persons`: loads a list file as the next
 * version of a named list (atomically), reporting progress and every invalid row on stderr and a
 * one-line JSON summary on stdout. Audited with the user who imported it.
 */
import { readFile } from 'node:fs/promises';
import { TesseraError, type AuditLog, type CliCommand, type HostInfo, type PluginInfo } from '@tessera/sdk';
import { importList, type ImportProgress, type ListFormat } from '../import/import-list.js';
import type { ListKind } from '../import/row-mapping.js';
import type { ListStore } from '../store/list-store.js';
import { actingUser, EXIT_OK, numberOption, parseArgs, reportFailure, requireDataFolder, usageError, UsageError } from './command-support.js';

export const LISTS_IMPORT_USAGE = `usage: tessera lists import FILE --list NAME --kind documents|persons [--data DIR] [--map JSON|@FILE]
         [--format csv|json|xlsx] [--max-invalid N|all] [--allow-empty] [--threshold 0..1] [--user NAME]
  Imports a CSV, JSON (array or JSON Lines) or XLSX file as the next version of the list NAME. The
  previous version stays in force until the whole file has loaded; a failed import changes nothing.
  Columns — documents: document_number,issuing_state,document_type,status (lost|stolen|revoked|invalid|stolen_blank)
            persons:   id,surname,given_names,birth_date,nationality,aliases (aliases separated by ;)
  --map        other column names: '{"document_number":"Doc No","dateOrder":"DMY","aliasSeparator":"|"}'
  --max-invalid  invalid rows to skip (reported with their line) before the import is refused; default 0
  --threshold  the screening threshold recorded for a persons list`;

export interface ListsCommandDeps {
  store: ListStore;
  audit: AuditLog;
  plugin: PluginInfo;
  host: HostInfo;
  maxFileBytes?: number;
}

async function mappingOption(raw: string | undefined): Promise<unknown> {
  if (raw === undefined) return undefined;
  let text = raw;
  if (raw.startsWith('@')) {
    try {
      text = await readFile(raw.slice(1), 'utf8');
    } catch (error) {
      throw new TesseraError('NATLIST_MAPPING_INVALID', `Cannot read the mapping file "${raw.slice(1)}": ${(error as Error).message}.`, { hint: 'Give --map inline JSON or @path/to/mapping.json.' });
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new TesseraError('NATLIST_MAPPING_INVALID', `--map is not valid JSON: ${text.slice(0, 80)}`, { hint: `Quote it for the shell: --map '{"document_number":"Doc No"}'.` });
  }
}

export function createListsImportCommand(deps: ListsCommandDeps): CliCommand {
  return {
    id: 'lists import',
    summary: 'Import a national document list or persons watchlist (CSV, JSON, XLSX)',
    usage: LISTS_IMPORT_USAGE,
    async run(args, io) {
      let options;
      try {
        const parsed = parseArgs(args, ['list', 'kind', 'map', 'format', 'max-invalid', 'threshold', 'user'], ['allow-empty']);
        if (parsed.positional.length !== 1) throw new UsageError(parsed.positional.length ? `one FILE expected, got ${parsed.positional.length}` : 'the FILE to import is missing');
        const list = parsed.values.get('list');
        if (!list) throw new UsageError('--list NAME is required');
        const kind = parsed.values.get('kind');
        if (kind !== 'documents' && kind !== 'persons') throw new UsageError('--kind must be documents or persons');
        const format = parsed.values.get('format');
        if (format !== undefined && !['csv', 'json', 'xlsx'].includes(format)) throw new UsageError('--format must be csv, json or xlsx');
        const maxInvalidRaw = parsed.values.get('max-invalid');
        const maxInvalid = maxInvalidRaw === 'all' ? Infinity : numberOption(parsed, 'max-invalid', (n) => Number.isInteger(n) && n >= 0, 'a whole number or "all"');
        const threshold = numberOption(parsed, 'threshold', (n) => n > 0 && n <= 1, 'a number above 0 and at most 1');
        if (threshold !== undefined && kind !== 'persons') throw new UsageError('--threshold applies to persons lists only');
        options = { file: parsed.positional[0]!, list, kind: kind as ListKind, format: format as ListFormat | undefined, maxInvalid, threshold, allowEmpty: parsed.flags.has('allow-empty'), actor: actingUser(parsed), map: parsed.values.get('map') };
      } catch (error) {
        if (error instanceof UsageError) return usageError(io, error.message, LISTS_IMPORT_USAGE);
        throw error;
      }
      try {
        requireDataFolder(deps.plugin, deps.host);
        const mapping = await mappingOption(options.map);
        let lastReport = 0;
        let invalidShown = 0;
        const summary = await importList(deps.store, {
          file: options.file,
          list: options.list,
          kind: options.kind,
          actor: options.actor,
          mapping,
          ...(options.format ? { format: options.format } : {}),
          ...(options.maxInvalid !== undefined ? { maxInvalidRows: options.maxInvalid } : {}),
          ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
          allowEmpty: options.allowEmpty,
          ...(deps.maxFileBytes ? { maxFileBytes: deps.maxFileBytes } : {}),
          onInvalidRow: (row) => {
            if (invalidShown++ < 1000) io.stderr(`line ${row.line}: ${row.reason}`);
          },
          onProgress: (p: ImportProgress) => {
            const now = Date.now();
            if (now - lastReport < 1000 && p.bytesRead < p.totalBytes) return;
            lastReport = now;
            io.stderr(`progress: ${Math.floor((100 * p.bytesRead) / p.totalBytes)}% of ${p.totalBytes} bytes, ${p.rowsRead} rows, ${p.invalidRows} invalid`);
          },
        });
        if (invalidShown > 1000) io.stderr(`… and ${invalidShown - 1000} more invalid rows`);
        const { list } = summary;
        await deps.audit.record({ actor: options.actor, action: 'lists.import', subject: list.name, outcome: 'success', details: { kind: list.kind, version: list.version, rows: list.rowCount, invalidRows: list.invalidRows, sha256: list.sourceSha256, file: list.sourceFile } });
        io.stdout(
          JSON.stringify({
            list: list.name,
            kind: list.kind,
            version: list.version,
            rows: list.rowCount,
            invalidRows: list.invalidRows,
            format: list.sourceFormat,
            sha256: list.sourceSha256,
            importedAt: list.importedAt,
            importedBy: list.importedBy,
            abandonedImportsCleaned: summary.abandonedImportsCleaned,
          }),
        );
        return EXIT_OK;
      } catch (error) {
        await deps.audit
          .record({ actor: options.actor, action: 'lists.import', subject: options.list, outcome: 'failure', details: { kind: options.kind, error: (error as { code?: string }).code ?? (error as Error).message } })
          .catch(() => undefined);
        return reportFailure(io, error);
      }
    },
  };
}
