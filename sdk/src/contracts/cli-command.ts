/**
 * A sub-command a plugin adds to the `tessera` command line (e.g. `tessera pa verify`), so a plugin's
 * tools ship with the plugin and reach users without the CLI importing any plugin.
 */
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
