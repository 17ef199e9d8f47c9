/**
 * Imports one list file (CSV, JSON / JSON Lines, XLSX) as the next version of a named list: streams
 * it, maps and validates each row, loads the valid rows into a staging table in batches, and swaps
 * the version in only when the whole file has been read and the invalid rows are within the allowed
 * number. Anything else — a broken file, too many bad rows, a crash — leaves the previous version.
 */
import path from 'node:path';
import { isTesseraError, TesseraError } from '@tessera/sdk';
import type { ListInfo, ListStore } from '../store/list-store.js';
import { parseCsv } from './csv-parser.js';
import { decodeText, openFileSource, type FileSource } from './file-source.js';
import { parseJsonRows } from './json-rows.js';
import { documentRow, InvalidRow, parseColumnMapping, personRow, resolveHeader, type ColumnMapping, type DocumentRow, type FieldGetter, type ListKind, type PersonRow } from './row-mapping.js';
import { parseXlsxRows } from './xlsx-rows.js';

export type ListFormat = 'csv' | 'json' | 'xlsx';

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  invalidRows: number;
}

export interface ImportOptions {
  file: string;
  list: string;
  kind: ListKind;
  actor: string;
  /** Parsed `--map`; undefined for the default column names. */
  mapping?: unknown;
  format?: ListFormat;
  /** How many invalid rows are tolerated (skipped and reported); one more aborts. Default 0. */
  maxInvalidRows?: number;
  /** Accept a file with no valid row, which empties the list. */
  allowEmpty?: boolean;
  /** Screening threshold to record for a persons list (kept from the previous version when absent). */
  threshold?: number;
  maxFileBytes?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Called with each invalid row as it is found. */
  onInvalidRow?: (row: InvalidRow) => void;
  /** Rows per staging batch (tests make it small to fail "mid-import"). */
  batchSize?: number;
}

export interface ImportSummary {
  list: ListInfo;
  invalidRows: InvalidRow[];
  /** Staging tables of earlier, interrupted imports that this import cleaned up. */
  abandonedImportsCleaned: number;
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;
/** The invalid rows kept for the summary; more are counted (and passed to onInvalidRow) but not kept. */
const INVALID_ROWS_KEPT = 1000;

export function formatOfFile(file: string, explicit?: string): ListFormat {
  const wanted = (explicit ?? path.extname(file).slice(1)).toLowerCase();
  if (wanted === 'csv' || wanted === 'txt') return 'csv';
  if (wanted === 'json' || wanted === 'jsonl' || wanted === 'ndjson') return 'json';
  if (wanted === 'xlsx') return 'xlsx';
  throw new TesseraError('NATLIST_FORMAT_UNKNOWN', `Cannot tell the format of "${file}"${explicit ? ` from --format ${explicit}` : ''}.`, { hint: 'Name the file .csv, .json, .jsonl or .xlsx, or pass --format csv|json|xlsx.' });
}

interface SourceRow {
  line: number;
  get: FieldGetter;
  /** A structural problem (wrong number of fields) that makes the row invalid before validation. */
  problem?: string;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}

/** Rows of any format as field getters, the header (or first JSON object's keys) resolved through the mapping. */
async function* sourceRows(format: ListFormat, source: FileSource, kind: ListKind, mapping: ColumnMapping): AsyncGenerator<SourceRow> {
  if (format === 'json') {
    let keys: Map<string, string> | undefined;
    for await (const element of parseJsonRows(decodeText(source.bytes()))) {
      if (!keys) {
        const names = Object.keys(element.value);
        const positions = resolveHeader(kind, mapping, names);
        keys = new Map([...positions].map(([field, index]) => [field, names[index]!]));
      }
      const fieldKeys = keys;
      yield { line: element.line, get: (field) => { const key = fieldKeys.get(field); return key === undefined ? undefined : element.value[key]; } };
    }
    if (!keys) throw new TesseraError('NATLIST_NO_ROWS', 'The JSON list is an empty array.', { hint: 'Export the list again; to empty a list on purpose pass --allow-empty.' });
    return;
  }
  const rows: AsyncIterable<{ line: number; cells: unknown[] }> =
    format === 'csv'
      ? (async function* () {
          for await (const record of parseCsv(decodeText(source.bytes()))) yield { line: record.line, cells: record.fields };
        })()
      : parseXlsxRows(source.bytes());
  let positions: Map<string, number> | undefined;
  let width = 0;
  for await (const row of rows) {
    if (!positions) {
      const header = row.cells.map(cellText);
      positions = resolveHeader(kind, mapping, header);
      width = header.length;
      continue;
    }
    if (format === 'xlsx' && row.cells.every((c) => c === null || c === '')) continue;
    const cells = row.cells;
    const fieldPositions = positions;
    const problem = format === 'csv' && cells.length !== width ? `${cells.length} fields where the header has ${width}` : undefined;
    yield { line: row.line, get: (field) => { const i = fieldPositions.get(field); return i === undefined ? undefined : cells[i]; }, ...(problem ? { problem } : {}) };
  }
  if (!positions) throw new TesseraError('NATLIST_FILE_EMPTY', `The ${format.toUpperCase()} file has no header row.`, { hint: 'The first row names the columns; export the list again.' });
}

export async function importList(store: ListStore, options: ImportOptions): Promise<ImportSummary> {
  const format = formatOfFile(options.file, options.format);
  const mapping = parseColumnMapping(options.kind, options.mapping);
  const maxInvalid = options.maxInvalidRows ?? 0;
  const batchSize = options.batchSize ?? 2000;
  const source = await openFileSource(options.file, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const { staged, abandonedCleaned } = await store.beginImport(options.list, options.kind, options.actor);

  const invalid: InvalidRow[] = [];
  let invalidCount = 0;
  let rowsRead = 0;
  let validRows = 0;
  const seenPersonIds = new Map<string, number>();
  let batch: Array<DocumentRow | PersonRow> = [];
  const progress = () => options.onProgress?.({ bytesRead: source.bytesRead, totalBytes: source.totalBytes, rowsRead, invalidRows: invalidCount });

  try {
    for await (const row of sourceRows(format, source, options.kind, mapping)) {
      rowsRead++;
      try {
        if (row.problem) throw new InvalidRow(row.line, row.problem);
        let valid: DocumentRow | PersonRow;
        if (options.kind === 'documents') valid = documentRow(row.line, row.get);
        else {
          const person = personRow(row.line, row.get, mapping);
          const earlier = seenPersonIds.get(person.id);
          if (earlier !== undefined) throw new InvalidRow(row.line, `id "${person.id}" is already used on line ${earlier}`);
          seenPersonIds.set(person.id, row.line);
          valid = person;
        }
        batch.push(valid);
        validRows++;
      } catch (error) {
        if (!(error instanceof InvalidRow)) throw error;
        invalidCount++;
        if (invalid.length < INVALID_ROWS_KEPT) invalid.push(error);
        options.onInvalidRow?.(error);
        if (invalidCount > maxInvalid) {
          const shown = invalid.slice(0, 3).map((r) => r.message).join('; ');
          throw new TesseraError('NATLIST_TOO_MANY_INVALID_ROWS', `More than ${maxInvalid} invalid row${maxInvalid === 1 ? '' : 's'} (${shown}${invalidCount > 3 ? '; …' : ''}); the list was not changed.`, {
            hint: 'Fix the rows in the export, or allow some with --max-invalid N (they are skipped and reported).',
          });
        }
      }
      if (batch.length >= batchSize) {
        await staged.insert(batch);
        batch = [];
        progress();
      }
    }
    await staged.insert(batch);
    batch = [];
    progress();
    if (validRows === 0 && !options.allowEmpty) {
      throw new TesseraError('NATLIST_NO_ROWS', `The file "${options.file}" has no valid row; importing it would empty the list "${options.list}".`, { hint: 'Check the export; to empty the list on purpose pass --allow-empty.' });
    }
    const list = await staged.commit({
      rowCount: validRows,
      invalidRows: invalidCount,
      sourceFile: path.basename(options.file),
      sourceFormat: format,
      sourceSha256: source.sha256(),
      threshold: options.threshold ?? null,
    });
    return { list, invalidRows: invalid, abandonedImportsCleaned: abandonedCleaned };
  } catch (error) {
    await staged.abort(error instanceof Error ? error.message : String(error)).catch(() => undefined);
    if (isTesseraError(error)) throw error;
    throw new TesseraError('NATLIST_IMPORT_FAILED', `The import of "${options.file}" into "${options.list}" stopped: ${(error as Error).message}; the list was not changed.`, {
      hint: 'Retry; if it fails again, report it with the file (or its first rows).',
      cause: error,
    });
  }
}
