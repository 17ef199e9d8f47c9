/**
 * Streaming XLSX reader over exceljs's WorkbookReader: the first worksheet, row by row, each cell
 * reduced to a plain value (text, number, boolean or Date) with the spreadsheet's row number as the
 * line. Rich text, hyperlinks and formulas give their displayed text or cached result.
 */
import { Readable } from 'node:stream';
import { TesseraError } from '@tessera/sdk';

export type SheetValue = string | number | boolean | Date | null;

export interface SheetRow {
  line: number;
  cells: SheetValue[];
}

function plainValue(value: unknown): SheetValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((part) => part.text).join('');
    if ('result' in v) return plainValue(v.result);
    if (v.text !== undefined) return plainValue(v.text);
    if (v.error !== undefined) return String(v.error);
  }
  return String(value);
}

export async function* parseXlsxRows(bytes: AsyncIterable<Buffer>): AsyncGenerator<SheetRow> {
  // exceljs takes ~0.7 s to load: imported on the first XLSX import, never on the host's start path.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'emit' });
  let sawSheet = false;
  try {
    for await (const worksheet of workbook) {
      sawSheet = true;
      for await (const row of worksheet) {
        const values = row.values as unknown[];
        // exceljs rows are 1-based: values[0] is always empty.
        yield { line: row.number, cells: values.slice(1).map(plainValue) };
      }
      break;
    }
  } catch (error) {
    if (error instanceof TesseraError) throw error;
    throw new TesseraError('NATLIST_XLSX_INVALID', `The file cannot be read as an XLSX workbook: ${(error as Error).message}.`, {
      hint: 'Save the spreadsheet again as .xlsx (Excel workbook), or export it as CSV UTF-8.',
      cause: error,
    });
  }
  if (!sawSheet) throw new TesseraError('NATLIST_XLSX_INVALID', 'The workbook has no worksheet.', { hint: 'Put the list on the first worksheet, with a header row.' });
}
