/**
 * A streaming CSV parser (RFC 4180) for list files: quoted fields with doubled quotes, line breaks
 * inside quotes, CRLF / LF / CR line ends, a leading byte-order mark, blank lines skipped. Each record
 * carries the line it starts on, so invalid rows can be reported by line number. Strict on purpose: a
 * stray quote is an error, not a guess, because a mis-split row on a stolen-documents list would
 * silently drop a document.
 */
import { TesseraError } from '@tessera/sdk';

export interface CsvRecord {
  /** 1-based line the record starts on (a quoted field may span several lines). */
  line: number;
  fields: string[];
}

export interface CsvOptions {
  /** ',' by default; `detectDelimiter` picks one from the header line. */
  delimiter?: string;
  /** A record longer than this many characters is an error: an unterminated quote would otherwise swallow the file. */
  maxRecordChars?: number;
}

const DEFAULT_MAX_RECORD_CHARS = 1 << 20;

/** The header's most frequent of `,` `;` TAB (spreadsheets in many locales write `;`), `,` on a tie or none. */
export function detectDelimiter(firstLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}

const csvError = (line: number, message: string) =>
  new TesseraError('NATLIST_CSV_INVALID', `Line ${line}: ${message}.`, { hint: 'Fields that hold the delimiter, a quote or a line break must be quoted, with quotes inside doubled ("").' });

/** Push text in, take complete records out; `end()` flushes the last record. */
export class CsvParser {
  private buffer = '';
  private line = 1;
  private started = false;
  private delimiter: string | undefined;
  private readonly maxRecordChars: number;

  constructor(options: CsvOptions = {}) {
    this.delimiter = options.delimiter;
    this.maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  push(text: string): CsvRecord[] {
    this.buffer += text;
    return this.drain(false);
  }

  end(): CsvRecord[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvRecord[] {
    if (!this.started) {
      if (this.buffer.length === 0) return [];
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
      if (this.delimiter === undefined) {
        const firstBreak = this.buffer.search(/[\r\n]/);
        if (firstBreak < 0 && !final) return [];
        this.delimiter = detectDelimiter(firstBreak < 0 ? this.buffer : this.buffer.slice(0, firstBreak));
      }
      this.started = true;
    }
    const records: CsvRecord[] = [];
    let pos = 0;
    for (;;) {
      const parsed = this.parseRecord(pos, final);
      if (!parsed) break;
      pos = parsed.next;
      const startLine = this.line;
      this.line += parsed.lineBreaks;
      const blank = parsed.fields.length === 1 && parsed.fields[0] === '' && !parsed.quoted;
      if (!blank) records.push({ line: startLine, fields: parsed.fields });
      if (pos >= this.buffer.length) break;
    }
    this.buffer = this.buffer.slice(pos);
    if (this.buffer.length > this.maxRecordChars) {
      throw new TesseraError('NATLIST_FILE_TOO_LARGE', `Line ${this.line}: a record is longer than ${this.maxRecordChars} characters.`, { hint: 'Look for an unterminated quoted field at that line.' });
    }
    if (final && this.buffer.length) throw csvError(this.line, 'the file ends inside a record');
    return records;
  }

  /** One record from `start`, or null when the buffer ends before the record does (and more may come). */
  private parseRecord(start: number, final: boolean): { fields: string[]; next: number; lineBreaks: number; quoted: boolean } | null {
    const text = this.buffer;
    const delimiter = this.delimiter!;
    const fields: string[] = [];
    let pos = start;
    let lineBreaks = 0;
    let quoted = false;
    for (;;) {
      if (pos >= text.length) {
        // A record that ends exactly at the end of the data: complete only when no more text follows.
        if (!final) return null;
        if (pos === start) return null;
        fields.push('');
        return { fields, next: pos, lineBreaks, quoted };
      }
      let value: string;
      if (text[pos] === '"') {
        quoted = true;
        let collected = '';
        let from = pos + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) {
            if (final) throw csvError(this.line + lineBreaks, 'a quoted field is not closed before the end of the file');
            return null;
          }
          const piece = text.slice(from, close);
          collected += piece;
          lineBreaks += countLineBreaks(piece);
          if (text[close + 1] === '"') {
            collected += '"';
            from = close + 2;
            continue;
          }
          if (close + 1 >= text.length && !final) return null;
          pos = close + 1;
          break;
        }
        value = collected;
        const after = text[pos];
        if (after !== undefined && after !== delimiter && after !== '\n' && after !== '\r') {
          throw csvError(this.line + lineBreaks, `unexpected "${after}" after a closing quote`);
        }
      } else {
        let end = pos;
        while (end < text.length) {
          const c = text[end];
          if (c === delimiter || c === '\n' || c === '\r') break;
          if (c === '"') throw csvError(this.line + lineBreaks, 'a quote inside an unquoted field');
          end++;
        }
        if (end >= text.length && !final) return null;
        value = text.slice(pos, end);
        pos = end;
      }
      fields.push(value);
      const c = text[pos];
      if (c === delimiter) {
        pos++;
        if (pos >= text.length && final) {
          fields.push('');
          return { fields, next: pos, lineBreaks, quoted };
        }
        continue;
      }
      if (c === undefined) return { fields, next: pos, lineBreaks, quoted };
      // A line break ends the record; "\r" at the very end of the buffer may be the first half of "\r\n".
      if (c === '\r') {
        if (pos + 1 >= text.length && !final) return null;
        pos += text[pos + 1] === '\n' ? 2 : 1;
      } else {
        pos += 1;
      }
      return { fields, next: pos, lineBreaks: lineBreaks + 1, quoted };
    }
  }
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) count++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) count++;
  }
  return count;
}

/** Records from a stream of text chunks. */
export async function* parseCsv(chunks: AsyncIterable<string>, options: CsvOptions = {}): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(options);
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
