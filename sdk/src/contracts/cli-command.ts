/**
 * A sub-command a plugin adds to the `tessera` command line (e.g. `tessera pa verify`), so a plugin's
 * tools ship with the plugin and reach users without the CLI importing any plugin.
 */
import { isTesseraError } from '../errors.js';
import type { ReaderDriver } from './reader-driver.js';

export interface CommandIo {
  stdin: NodeJS.ReadableStream | null;
  stdinIsTTY: boolean;
  stdout(line: string): void;
  stderr(line: string): void;
  /**
   * The reader drivers every plugin of the host contributed, for commands that read documents
   * (`tessera chip read`). Absent where the host runs commands without loading readers.
   */
  readers?: () => readonly ReaderDriver[];
}

export interface CliCommand {
  /** The words after `tessera`, space-separated, e.g. 'pa verify'. Declared in the manifest's contributes.commands. */
  readonly id: string;
  /** One line for `tessera --help`. */
  readonly summary: string;
  /** Usage text shown with --help and on usage errors. */
  readonly usage: string;
  /** Runs with the arguments after the command words; resolves to the exit code (0 ok, 1 failure, 2 usage). */
  run(args: string[], io: CommandIo): Promise<number>;
}

/** The exit codes every `tessera` command keeps to. */
export const COMMAND_EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Prints a usage problem and the command's usage text; returns the usage exit code (2). */
export function printUsageError(io: Pick<CommandIo, 'stderr'>, message: string, usage: string): number {
  io.stderr(`error: ${message}`);
  io.stderr(usage);
  return COMMAND_EXIT.usage;
}

/**
 * Prints a failure the way every `tessera` command does — `error CODE: sentence` and the hint for a
 * TesseraError, never a stack trace — and returns the failure exit code (1).
 */
export function printCommandFailure(io: Pick<CommandIo, 'stderr'>, error: unknown): number {
  if (isTesseraError(error)) {
    io.stderr(`error ${error.code}: ${error.message}`);
    if (error.hint) io.stderr(`  ${error.hint}`);
  } else {
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}`);
    io.stderr('  This is unexpected; please report it with the command you ran.');
  }
  return COMMAND_EXIT.failure;
}
