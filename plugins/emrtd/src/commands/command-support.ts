/** What the eMRTD plugin's CLI commands share: file reading, error lines and usage errors. */

import { readFile } from 'node:fs/promises';
import { COMMAND_EXIT, isTesseraError, TesseraError, type CommandIo } from '@tessera/sdk';

export const EXIT_OK = COMMAND_EXIT.ok;
export const EXIT_FAILURE = COMMAND_EXIT.failure;
export const EXIT_USAGE = COMMAND_EXIT.usage;

export interface EmrtdCommandDeps {
  /** Reads a file given on the command line; defaults to node:fs. Tests replace it. */
  readFile?: (path: string) => Promise<Uint8Array>;
}

export type FileReader = (path: string) => Promise<Uint8Array>;

export function fileReader(deps: EmrtdCommandDeps): FileReader {
  return deps.readFile ?? (async (path) => new Uint8Array(await readFile(path)));
}

export { printUsageError as usageError, printCommandFailure as reportFailure } from '@tessera/sdk';

/** Reads a file named by an option; an unreadable file is `code` with the option and the system's reason. */
export async function readInput(read: FileReader, path: string, what: string, code: string): Promise<Uint8Array> {
  try {
    return await read(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new TesseraError(code, `Cannot read ${what} "${path}": ${reason}`, { hint: `Check the path given to ${what}.`, cause: error });
  }
}
