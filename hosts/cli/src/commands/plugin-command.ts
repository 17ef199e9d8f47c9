/**
 * Sub-commands contributed by plugins (e.g. `tessera pa verify` from the eMRTD plugin). The CLI loads
 * the plugins as the local host would — from the data folder's configuration when there is one — and
 * runs the command whose words match the start of the arguments, longest match first.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createLogger, loadHostConfig, startKernel, type Kernel } from '@tessera/core';
import { BUILT_IN_PLUGIN_FOLDER } from '@tessera/host-local';
import type { CliCommand } from '@tessera/sdk';
import { reportError, type CliIo } from '../cli-io.js';
import { DEFAULT_DATA_DIR } from './start-command.js';

/** `--data DIR` (or `--data=DIR`) among the command's arguments chooses the data folder, as for `start`. */
export function dataDirOption(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data' && argv[i + 1] !== undefined) return argv[i + 1];
    if (argv[i]!.startsWith('--data=')) return argv[i]!.slice('--data='.length);
  }
  return undefined;
}

async function loadPlugins(dataOption: string | undefined): Promise<Kernel> {
  const dataDir = path.resolve(dataOption ?? process.env.TESSERA_DATA ?? DEFAULT_DATA_DIR);
  const hasData = existsSync(dataDir);
  const config = hasData ? await loadHostConfig(dataDir, { createDefault: false }) : {};
  return startKernel({
    kind: 'local',
    // Commands never write inspections; without a data folder they run on an in-memory database.
    dataDir: hasData ? dataDir : null,
    config,
    pluginFolders: [BUILT_IN_PLUGIN_FOLDER, ...(config.plugins?.folders ?? [])],
    logger: createLogger({ level: 'silent' }),
  });
}

export function matchCommand(commands: CliCommand[], argv: string[]): { command: CliCommand; args: string[] } | null {
  const sorted = [...commands].sort((a, b) => b.id.split(' ').length - a.id.split(' ').length);
  for (const command of sorted) {
    const words = command.id.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, args: argv.slice(words.length) };
  }
  return null;
}

/** Returns null when no plugin offers the command, so the caller can print the usage. */
export async function runPluginCommand(argv: string[], io: CliIo): Promise<number | null> {
  let kernel: Kernel;
  try {
    kernel = await loadPlugins(dataDirOption(argv));
  } catch (error) {
    reportError(io, error);
    return 1;
  }
  try {
    const commands = kernel.registry.list('commands').map((c) => c.item);
    if (argv[0] === 'commands') {
      for (const c of commands.sort((a, b) => a.id.localeCompare(b.id))) io.stdout(`${c.id.padEnd(16)}  ${c.summary}`);
      return 0;
    }
    const match = matchCommand(commands, argv);
    if (!match) return null;
    if (match.args.includes('--help')) {
      io.stdout(match.command.usage);
      return 0;
    }
    try {
      // Commands that read documents reach the readers through the same registry `start` scans with.
      return await match.command.run(match.args, { ...io, readers: () => kernel.registry.list('readers').map((r) => r.item) });
    } catch (error) {
      reportError(io, error);
      return 1;
    }
  } finally {
    await kernel.stop();
  }
}

