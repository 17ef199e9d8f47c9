/**
 * The column mapping and row validation of list imports. A list file's columns are mapped onto the
 * fields of its kind by a small schema (`--map`), whose defaults are the column names of the issue's
 * CSV layouts; each row is then checked and normalised, and a bad row yields a reason an agency can
 * fix in its export, never a silent drop.
 */
import { TesseraError } from '@tessera/sdk';

export type ListKind = 'documents' | 'persons';

export const LIST_FIELDS = {
  documents: { required: ['document_number', 'issuing_state', 'status'], optional: ['document_type', 'reference'] },
  persons: { required: ['id', 'surname'], optional: ['given_names', 'birth_date', 'nationality', 'aliases'] },
} as const satisfies Record<ListKind, { required: readonly string[]; optional: readonly string[] }>;

/** The statuses a document list may give; `stolen blank` and `STOLEN-BLANK` are read as stolen_blank. */
export const DOCUMENT_STATUSES = ['lost', 'stolen', 'revoked', 'invalid', 'stolen_blank'] as const;

export type DateOrder = 'YMD' | 'DMY' | 'MDY';

export interface ColumnMapping {
  /** List field → column name (header cell or JSON key) in the file. */
  columns: Record<string, string>;
  aliasSeparator: string;
  dateOrder: DateOrder;
}

export interface DocumentRow {
  line: number;
  /** Upper case, letters and digits only: how both the list and MRZ queries are compared. */
  documentNumber: string;
  documentNumberAsListed: string;
  issuingState: string;
  documentType: string | null;
  status: string;
  reference: string | null;
}

export interface PersonRow {
  line: number;
  id: string;
  surname: string;
  givenNames: string | null;
  birthDate: string | null;
  nationality: string | null;
  aliases: string[];
}

const MAX_FIELD_CHARS = 200;

const mappingError = (message: string) =>
  new TesseraError('NATLIST_MAPPING_INVALID', message, {
    hint: 'Give --map as a JSON object, e.g. {"document_number":"Doc No","dateOrder":"DMY","aliasSeparator":"|"}; keys are list fields, values column names.',
  });

/** Reads `--map` (already JSON-parsed, or undefined for the defaults) for a list kind. */
export function parseColumnMapping(kind: ListKind, raw: unknown): ColumnMapping {
  const fields: readonly string[] = [...LIST_FIELDS[kind].required, ...LIST_FIELDS[kind].optional];
  const mapping: ColumnMapping = { columns: {}, aliasSeparator: ';', dateOrder: 'YMD' };
  if (raw === undefined) return mapping;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw mappingError('The column mapping must be a JSON object.');
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === 'aliasSeparator') {
      if (typeof value !== 'string' || value.length === 0) throw mappingError('aliasSeparator must be a non-empty string.');
      mapping.aliasSeparator = value;
    } else if (key === 'dateOrder') {
      if (value !== 'YMD' && value !== 'DMY' && value !== 'MDY') throw mappingError('dateOrder must be "YMD", "DMY" or "MDY".');
      mapping.dateOrder = value;
    } else if (fields.includes(key)) {
      if (typeof value !== 'string' || !value.trim()) throw mappingError(`The column for ${key} must be a non-empty string.`);
      mapping.columns[key] = value.trim();
    } else {
      throw mappingError(`"${key}" is not a field of a ${kind} list (fields: ${fields.join(', ')}; options: aliasSeparator, dateOrder).`);
    }
  }
  return mapping;
}

/** Where each mapped field sits in a header row; fails on a missing required column or a duplicate. */
export function resolveHeader(kind: ListKind, mapping: ColumnMapping, header: readonly string[]): Map<string, number> {
  const positions = new Map<string, number[]>();
  header.forEach((cell, index) => {
    const key = cell.trim().toLowerCase();
    if (key) positions.set(key, [...(positions.get(key) ?? []), index]);
  });
  const found = new Map<string, number>();
  const missing: string[] = [];
  for (const field of [...LIST_FIELDS[kind].required, ...LIST_FIELDS[kind].optional]) {
    const column = mapping.columns[field] ?? field;
    const at = positions.get(column.toLowerCase());
    const required = (LIST_FIELDS[kind].required as readonly string[]).includes(field);
    if (!at) {
      // An optional column the mapping names explicitly is as wrong as a missing required one.
      if (required || mapping.columns[field]) missing.push(column === field ? field : `${field} (column "${column}")`);
      continue;
    }
    if (at.length > 1) {
      throw new TesseraError('NATLIST_COLUMNS_MISSING', `The header names the column "${column}" ${at.length} times.`, { hint: 'Rename or remove the duplicate column.' });
    }
    found.set(field, at[0]!);
  }
  if (missing.length) {
    throw new TesseraError('NATLIST_COLUMNS_MISSING', `A ${kind} list needs the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the header has: ${header.map((h) => h.trim()).filter(Boolean).join(', ') || '(nothing)'}.`, {
      hint: `Expected ${[...LIST_FIELDS[kind].required, ...LIST_FIELDS[kind].optional].join(',')}; map other names with --map '{"${LIST_FIELDS[kind].required[0]}":"Your column"}'.`,
    });
  }
  return found;
}

/** A row that cannot be imported, and why, in words for whoever maintains the export. */
export class InvalidRow extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
  }
}

/** Text of a cell or JSON value; numbers become their digits, spreadsheet dates an ISO date. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return isoDay(value);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A birth date as YYYY, YYYY-MM or YYYY-MM-DD (watchlists often know only the year). `00` for an
 * unknown month or day, common in national exports, makes the date partial. Other orders per dateOrder.
 */
export function parseListDate(raw: string, order: DateOrder): string | null {
  let parts: { year: string; month?: string; day?: string } | null = null;
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(raw);
  const local = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(raw);
  const monthYear = /^(\d{1,2})[./-](\d{4})$/.exec(raw);
  if (iso) parts = { year: iso[1]!, month: iso[2], day: iso[3] };
  else if (local && order !== 'YMD') parts = { year: local[3]!, month: order === 'DMY' ? local[2] : local[1], day: order === 'DMY' ? local[1] : local[2] };
  else if (monthYear && order !== 'YMD') parts = { year: monthYear[2]!, month: monthYear[1] };
  if (!parts) return null;
  const { year, month, day } = parts;
  const y = Number(year);
  if (y < 1800 || y > 2999) return null;
  const m = month === undefined ? 0 : Number(month);
  const d = day === undefined ? 0 : Number(day);
  if (m === 0) return d === 0 ? year : null;
  if (m > 12) return null;
  const mm = String(m).padStart(2, '0');
  if (d === 0) return `${year}-${mm}`;
  if (d > daysInMonth(y, m)) return null;
  return `${year}-${mm}-${String(d).padStart(2, '0')}`;
}

const STATE = /^[A-Z]{1,3}$/;

function stateCode(raw: string): string {
  return raw.toUpperCase().replace(/[<\s]/g, '');
}

/** What MRZ and list numbers are compared on: upper case, fillers, spaces and dashes removed. */
export function normaliseDocumentNumber(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Field → value, for one source row (JSON object, or a tabular row through its header). */
export type FieldGetter = (field: string) => unknown;

function fieldText(get: FieldGetter, line: number, field: string, required: boolean): string {
  const value = text(get(field));
  if (required && !value) throw new InvalidRow(line, `${field} is empty`);
  if (value.length > MAX_FIELD_CHARS) throw new InvalidRow(line, `${field} is longer than ${MAX_FIELD_CHARS} characters`);
  return value;
}

export function documentRow(line: number, get: FieldGetter): DocumentRow {
  const listed = fieldText(get, line, 'document_number', true);
  const documentNumber = normaliseDocumentNumber(listed);
  if (!documentNumber) throw new InvalidRow(line, `document_number "${listed}" has no letters or digits`);
  if (documentNumber.length > 35) throw new InvalidRow(line, `document_number "${listed}" is longer than 35 characters`);
  const state = stateCode(fieldText(get, line, 'issuing_state', true));
  if (!STATE.test(state)) throw new InvalidRow(line, `issuing_state "${text(get('issuing_state'))}" is not a 1–3 letter ICAO code`);
  const typeText = fieldText(get, line, 'document_type', false).toUpperCase().replace(/</g, '');
  if (typeText && !/^[A-Z]{1,2}$/.test(typeText)) throw new InvalidRow(line, `document_type "${typeText}" is not a 1–2 letter ICAO document code`);
  const statusText = fieldText(get, line, 'status', true);
  const status = statusText.toLowerCase().replace(/[\s-]+/g, '_');
  if (!(DOCUMENT_STATUSES as readonly string[]).includes(status)) throw new InvalidRow(line, `status "${statusText}" is not one of ${DOCUMENT_STATUSES.join(', ')}`);
  const reference = fieldText(get, line, 'reference', false);
  return { line, documentNumber, documentNumberAsListed: listed, issuingState: state, documentType: typeText || null, status, reference: reference || null };
}

export function personRow(line: number, get: FieldGetter, mapping: ColumnMapping): PersonRow {
  const id = fieldText(get, line, 'id', true);
  if (id.length > 64) throw new InvalidRow(line, `id "${id.slice(0, 20)}…" is longer than 64 characters`);
  const surname = fieldText(get, line, 'surname', true);
  const givenNames = fieldText(get, line, 'given_names', false);
  const birthText = fieldText(get, line, 'birth_date', false);
  let birthDate: string | null = null;
  if (birthText) {
    birthDate = parseListDate(birthText, mapping.dateOrder);
    if (!birthDate) {
      const expected = mapping.dateOrder === 'YMD' ? 'YYYY, YYYY-MM or YYYY-MM-DD' : `a ${mapping.dateOrder === 'DMY' ? 'DD.MM.YYYY' : 'MM/DD/YYYY'} date, MM.YYYY, YYYY or YYYY-MM-DD`;
      throw new InvalidRow(line, `birth_date "${birthText}" is not a valid date (${expected})`);
    }
  }
  const nationalityText = fieldText(get, line, 'nationality', false);
  const nationality = nationalityText ? stateCode(nationalityText) : null;
  if (nationality !== null && !STATE.test(nationality)) throw new InvalidRow(line, `nationality "${nationalityText}" is not a 1–3 letter ICAO code`);
  const rawAliases = get('aliases');
  const aliasList = Array.isArray(rawAliases) ? rawAliases.map(text) : text(rawAliases).split(mapping.aliasSeparator);
  const aliases = aliasList.map((a) => a.trim()).filter(Boolean);
  for (const alias of aliases) if (alias.length > MAX_FIELD_CHARS) throw new InvalidRow(line, `an alias is longer than ${MAX_FIELD_CHARS} characters`);
  return { line, id, surname, givenNames: givenNames || null, birthDate, nationality, aliases };
}
