/**
 * The error codes of the national-lists plugin (import, storage, `tessera lists …`), one meaning each:
 * the catalogue docs/error-codes.md is generated from.
 */
export const NATIONAL_LISTS_ERROR_CODES = {
  NATLIST_FILE_UNREADABLE: 'The list file cannot be opened (no such file, no permission).',
  NATLIST_FILE_TOO_LARGE: 'The list file is larger than the import limit (maxFileBytes), or one record in it is larger than the record limit.',
  NATLIST_FILE_EMPTY: 'The list file holds nothing: no header row, no JSON element.',
  NATLIST_FILE_NOT_TEXT: 'A CSV or JSON list file is not UTF-8 text (binary data, NUL bytes or a wrong encoding); the message gives the line.',
  NATLIST_FORMAT_UNKNOWN: 'The file format could not be told from the extension (.csv, .json, .jsonl, .xlsx) and no --format was given.',
  NATLIST_CSV_INVALID: 'The CSV file breaks the format: an unterminated quoted field, or a quote in the middle of an unquoted field; the message gives the line.',
  NATLIST_JSON_INVALID: 'The JSON file is not an array of objects (or JSON Lines of objects); the message gives the line.',
  NATLIST_XLSX_INVALID: 'The XLSX file cannot be read as a workbook, or its first worksheet is empty.',
  NATLIST_COLUMNS_MISSING: 'The header lacks a column the list kind requires (after applying --map), or names a column twice.',
  NATLIST_MAPPING_INVALID: 'The --map column mapping is not a JSON object of known fields to column names, or names an unknown option.',
  NATLIST_NO_ROWS: 'The file has a header but no valid row; importing it would empty the list (pass --allow-empty to do so).',
  NATLIST_TOO_MANY_INVALID_ROWS: 'More rows are invalid than the import allows (--max-invalid, default 0); the previous version of the list is kept.',
  NATLIST_LIST_NAME_INVALID: 'A list name is 1–64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit.',
  NATLIST_LIST_NOT_FOUND: 'No list of that name (and kind) has been imported.',
  NATLIST_KIND_MISMATCH: 'The list exists with the other kind (documents vs persons); a list keeps its kind.',
  NATLIST_NO_DATA_FOLDER: 'The data folder does not exist, so an import would only reach an in-memory database and be lost.',
  NATLIST_IMPORT_FAILED: 'The import stopped for a reason that is not one of the codes above (database or stream error); the previous version of the list is kept.',
  NATLIST_QUERIES_INVALID: 'The queries file of `tessera lists screen --file` lacks the columns id,surname,given_names,birth_date,nationality or has an invalid row.',
} as const;

export type NationalListsErrorCode = keyof typeof NATIONAL_LISTS_ERROR_CODES;
