/** What the eMRTD plugin's CLI commands share: file reading, error lines and usage errors. */

import { readFile } from 'node:fs/promises';
import { isTesseraError, TesseraError, type CommandIo } from '@tessera/sdk';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface EmrtdCommandDeps {
  /** Reads a file given on the command line; defaults to node:fs. Tests replace it. */
  readFile?: (path: string) => Promise<Uint8Array>;
}

export type FileReader = (path: string) => Promise<Uint8Array>;

export function fileReader(deps: EmrtdCommandDeps): FileReader {
  return deps.readFile ?? (async (path) => new Uint8Array(await readFile(path)));
}

/** Prints a usage problem and what to do about it; returns exit code 2. */
export function usageError(io: CommandIo, message: string, usage: string): number {
  io.stderr(`error: ${message}`);
  io.stderr(usage);
  return EXIT_USAGE;
}

/** Prints an error the user can act on as `error CODE: message` and its hint; returns exit code 1. */
export function reportFailure(io: CommandIo, error: unknown): number {
  if (isTesseraError(error)) {
    io.stderr(`error ${error.code}: ${error.message}`);
    if (error.hint) io.stderr(`  ${error.hint}`);
  } else {
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}`);
    io.stderr('  This is unexpected; please report it with the command you ran.');
  }
  return EXIT_FAILURE;
}

/** Reads a file named by an option; an unreadable file is `code` with the option and the system's reason. */
export async function readInput(read: FileReader, path: string, what: string, code: string): Promise<Uint8Array> {
  try {
    return await read(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new TesseraError(code, `Cannot read ${what} "${path}": ${reason}`, { hint: `Check the path given to ${what}.`, cause: error });
  }
}
