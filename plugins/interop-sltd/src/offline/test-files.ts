/** Helpers for the offline store's tests: a scratch folder, and ways to damage a snapshot file. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

export function scratchDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Decompress, edit the text, recompress: the gzip is valid, so only the SHA-256 can notice. */
export function editContent(file: string, edit: (text: string) => string, out = file): void {
  writeFileSync(out, gzipSync(edit(gunzipSync(readFileSync(file)).toString('utf8'))));
}

/** Keep only the first `share` of the compressed bytes, as an interrupted download would. */
export function truncate(file: string, share: number, out = file): void {
  const bytes = readFileSync(file);
  writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length * share)));
}

export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<Error & { code: string }> {
  try {
    await promise;
  } catch (error) {
    if ((error as { code?: string }).code === code) return error as Error & { code: string };
    throw new Error(`expected ${code}, got ${(error as { code?: string }).code}: ${(error as Error).message}`);
  }
  throw new Error(`expected ${code}, but it resolved`);
}

export function throwsWithCode(run: () => unknown, code: string): Error & { code: string } {
  try {
    run();
  } catch (error) {
    if ((error as { code?: string }).code === code) return error as Error & { code: string };
    throw new Error(`expected ${code}, got ${(error as { code?: string }).code}: ${(error as Error).message}`);
  }
  throw new Error(`expected ${code}, but it returned`);
}
