/** The tessera command line: dispatches to one command module per sub-command. */
import { TESSERA_API_VERSION } from '@tessera/sdk';
import { EXIT_OK, EXIT_USAGE, processIo, reportError, type CliIo } from './cli-io.js';

const USAGE = `Usage: tessera <command> [options]

Commands:
  mrz [--correct] [--reference-date YYYY-MM-DD] [LINE …]
                        Validate MRZ lines (arguments form one document; without them,
                        stdin, documents separated by a blank line). One JSON line per document.
  start [local|central] [--port N] [--data DIR] [--database URL]
                        Run a host until Ctrl-C. local: SQLite in --data (default ./tessera-data).
  plugins [--data DIR] [--json]
                        List the plugins and their state.
  commands              List the commands that plugins add (e.g. pa verify, chip read).
  --version             Print the version.`;

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'mrz': {
        const { runMrzCommand } = await import('./commands/mrz-command.js');
        return await runMrzCommand(rest, io);
      }
      case 'start': {
        const { runStartCommand } = await import('./commands/start-command.js');
        return await runStartCommand(rest, io);
      }
      case 'plugins': {
        const { runPluginsCommand } = await import('./commands/plugins-command.js');
        return await runPluginsCommand(rest, io);
      }
      case '--version':
      case 'version':
        io.stdout(TESSERA_API_VERSION);
        return EXIT_OK;
      case undefined:
      case '--help':
      case 'help':
        io.stdout(USAGE);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default: {
        const { runPluginCommand } = await import('./commands/plugin-command.js');
        const code = await runPluginCommand(argv, io);
        if (code !== null) return code;
        io.stderr(`usage error: unknown command "${command}" (see also: tessera commands).\n${USAGE}`);
        return EXIT_USAGE;
      }
    }
  } catch (error) {
    reportError(io, error);
    return 1;
  }
}
