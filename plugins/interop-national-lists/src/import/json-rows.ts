/**
 * Streaming JSON list reader: a top-level array of objects (`[{…},{…}]`) or JSON Lines (one object a
 * line). Only one element is held in memory at a time, so a list of millions of rows imports in
 * constant memory; each element carries the line it starts on, for error reports.
 */
import { TesseraError } from '@tessera/sdk';

export interface JsonElement {
  line: number;
  value: Record<string, unknown>;
}

const jsonError = (line: number, message: string) =>
  new TesseraError('NATLIST_JSON_INVALID', `Line ${line}: ${message}.`, { hint: 'A JSON list is an array of objects, one per row, or JSON Lines with one object per line.' });

function asObject(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw jsonError(line, `not valid JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw jsonError(line, 'the element is not an object');
  return value as Record<string, unknown>;
}

type Mode = 'start' | 'array' | 'lines' | 'done';

/** Elements from a stream of text chunks (already decoded, BOM removed or not). */
export async function* parseJsonRows(chunks: AsyncIterable<string>, options: { maxElementChars?: number } = {}): AsyncGenerator<JsonElement> {
  const maxElementChars = options.maxElementChars ?? 1 << 20;
  let mode: Mode = 'start';
  let line = 1;
  // Inside an array: the element being collected, and the scanner's state within it.
  let element = '';
  let elementLine = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectComma = false;
  let sawAnyElement = false;

  for await (let chunk of chunks) {
    if (mode === 'start' && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    let segmentStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (depth > 0) {
        // Inside an element: only strings and brackets matter.
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          else if (c === '\n') line++;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') {
          depth--;
          if (depth === 0) {
            element += chunk.slice(segmentStart, i + 1);
            yield { line: elementLine, value: asObject(element, elementLine) };
            element = '';
            sawAnyElement = true;
            expectComma = mode === 'array';
          }
        } else if (c === '\n') line++;
        continue;
      }
      if (c === '\n') {
        line++;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') continue;
      if (mode === 'start') {
        if (c === '[') {
          mode = 'array';
          continue;
        }
        if (c === '{') mode = 'lines';
        else throw jsonError(line, 'the file must start with "[" (an array of objects) or "{" (JSON Lines)');
      }
      if (mode === 'done') throw jsonError(line, 'text after the end of the array');
      if (mode === 'array') {
        if (c === ']') {
          mode = 'done';
          continue;
        }
        if (c === ',') {
          if (!expectComma) throw jsonError(line, 'a comma where an element was expected');
          expectComma = false;
          continue;
        }
        if (expectComma) throw jsonError(line, 'a comma or "]" was expected between elements');
      }
      if (c !== '{') throw jsonError(line, `the element starting with "${c}" is not an object`);
      depth = 1;
      elementLine = line;
      segmentStart = i;
    }
    if (depth > 0) {
      element += chunk.slice(segmentStart);
      if (element.length > maxElementChars) {
        throw new TesseraError('NATLIST_FILE_TOO_LARGE', `Line ${elementLine}: an element is longer than ${maxElementChars} characters.`, { hint: 'Look for an unclosed object or string at that line.' });
      }
    }
  }
  if (mode === 'start') throw new TesseraError('NATLIST_FILE_EMPTY', 'The JSON file holds no array and no object.', { hint: 'Export the list again; the file is empty.' });
  if (depth > 0) throw jsonError(elementLine, 'the file ends inside an element');
  if (mode === 'array') throw jsonError(line, 'the file ends before the closing "]"');
  if (!sawAnyElement && mode !== 'done') throw jsonError(line, 'no element');
}
