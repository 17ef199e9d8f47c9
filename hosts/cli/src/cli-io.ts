/** How commands print: results on stdout, messages on stderr; errors as code + sentence + hint, never a bare stack. */
import { isTesseraError } from '@tessera/sdk';

export interface CliIo {
  stdin: NodeJS.ReadableStream | null;
  stdinIsTTY: boolean;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdout: (line) => process.stdout.write(line + '\n'),
    stderr: (line) => process.stderr.write(line + '\n'),
  };
}

export function reportError(io: CliIo, error: unknown): void {
  if (isTesseraError(error)) {
    io.stderr(`error ${error.code}: ${error.message}`);
    if (error.hint) io.stderr(`  ${error.hint}`);
  } else {
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}`);
    io.stderr('  This is unexpected; run again with TESSERA_DEBUG=1 to see the stack, and report it.');
  }
  if (process.env.TESSERA_DEBUG && error instanceof Error && error.stack) io.stderr(error.stack);
}

export class UsageError extends Error {}
