/**
 * Reads a list file once, as a stream: counts bytes for progress, hashes it (the SHA-256 recorded
 * with the list version, so an agency can tell which file a version came from), and decodes text
 * strictly — a file that is not UTF-8 is refused rather than imported as mojibake names.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { TesseraError } from '@tessera/sdk';

export interface FileSource {
  path: string;
  totalBytes: number;
  bytesRead: number;
  /** Hex SHA-256 of the bytes read; complete once the stream is finished. */
  sha256(): string;
  bytes(): AsyncGenerator<Buffer>;
}

export async function openFileSource(path: string, maxFileBytes: number): Promise<FileSource> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'not a file' : (error as Error).message;
    throw new TesseraError('NATLIST_FILE_UNREADABLE', `Cannot read the list file "${path}": ${reason}.`, { hint: 'Check the path and its permissions.', cause: error });
  }
  if (size > maxFileBytes) {
    throw new TesseraError('NATLIST_FILE_TOO_LARGE', `The list file "${path}" has ${size} bytes; the limit is ${maxFileBytes}.`, {
      hint: 'Split the list, or raise the plugin setting maxFileBytes if the file is genuine.',
    });
  }
  if (size === 0) throw new TesseraError('NATLIST_FILE_EMPTY', `The list file "${path}" is empty.`, { hint: 'Export the list again.' });
  const hash: Hash = createHash('sha256');
  let digest: string | undefined;
  const source: FileSource = {
    path,
    totalBytes: size,
    bytesRead: 0,
    sha256: () => (digest ??= hash.digest('hex')),
    async *bytes() {
      for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
        const buffer = chunk as Buffer;
        source.bytesRead += buffer.length;
        if (source.bytesRead > maxFileBytes) throw new TesseraError('NATLIST_FILE_TOO_LARGE', `The list file "${path}" grew past ${maxFileBytes} bytes while it was read.`, { hint: 'Import a file that is not being written.' });
        hash.update(buffer);
        yield buffer;
      }
    },
  };
  return source;
}

/** UTF-8 text from bytes; invalid UTF-8 or a NUL character is NATLIST_FILE_NOT_TEXT with the line reached. */
export async function* decodeText(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lines = 1;
  const notText = (detail: string) =>
    new TesseraError('NATLIST_FILE_NOT_TEXT', `The file is not UTF-8 text (${detail}, near line ${lines}).`, {
      hint: 'Save the list as CSV UTF-8 (or JSON in UTF-8); for a spreadsheet import the .xlsx itself.',
    });
  const check = (text: string) => {
    const nul = text.indexOf('\u0000');
    if (nul >= 0) {
      lines += countNewlines(text.slice(0, nul));
      throw notText('a NUL byte');
    }
    lines += countNewlines(text);
    return text;
  };
  for await (const chunk of bytes) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw notText('invalid UTF-8');
    }
    if (text) yield check(text);
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw notText('the file ends inside a UTF-8 character');
  }
  if (tail) yield check(tail);
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
