/** What the `tessera lists …` commands share: option parsing, the acting user, error lines and exit codes. */
import { userInfo } from 'node:os';
import { COMMAND_EXIT, isTesseraError, TesseraError, type CommandIo, type HostInfo, type PluginInfo } from '@tessera/sdk';

export const EXIT_OK = COMMAND_EXIT.ok;
export const EXIT_FAILURE = COMMAND_EXIT.failure;
export const EXIT_USAGE = COMMAND_EXIT.usage;

export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

/**
 * `--name VALUE` / `--name=VALUE` for the options in `valued`, bare `--flag` for those in `flags`.
 * `--data` is always accepted: the CLI reads it to pick the data folder before the command runs.
 */
export function parseArgs(args: readonly string[], valued: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], values: new Map(), flags: new Set() };
  const takesValue = new Set([...valued, 'data']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      parsed.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (flags.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      parsed.flags.add(name);
    } else if (takesValue.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      if (parsed.values.has(name)) throw new UsageError(`--${name} is given twice`);
      parsed.values.set(name, value);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  return parsed;
}

/** Who is acting, for the audit log: --user, else TESSERA_USER, else the operating-system account. */
export function actingUser(parsed: ParsedArgs): string {
  return parsed.values.get('user') ?? process.env.TESSERA_USER ?? userInfo().username;
}

/** A command writing to or reading lists needs the data folder; without one the CLI's database is in memory. */
export function requireDataFolder(plugin: PluginInfo, host: HostInfo): void {
  if (plugin.dataDir === '' && host.kind !== 'test') {
    throw new TesseraError('NATLIST_NO_DATA_FOLDER', 'There is no data folder, so the lists would only live in memory for this command.', {
      hint: 'Pass --data DIR with the folder the local host uses (or set TESSERA_DATA); `tessera start local --data DIR` creates it.',
    });
  }
}

export { printUsageError as usageError, printCommandFailure as reportFailure } from '@tessera/sdk';

export function numberOption(parsed: ParsedArgs, name: string, check: (n: number) => boolean, what: string): number | undefined {
  const raw = parsed.values.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!raw.trim() || !Number.isFinite(value) || !check(value)) throw new UsageError(`--${name} must be ${what}, not "${raw}"`);
  return value;
}
