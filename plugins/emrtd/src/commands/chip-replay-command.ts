/**
 * `tessera chip replay TRACE.json [--keys]`: replays a recorded reader session through Tessera's
 * eMRTD engine (see trace-replay.ts) and says whether, and where, the two part ways.
 */

import { parseArgs } from 'node:util';
import { TesseraError, type CliCommand, type CommandIo } from '@tessera/sdk';
import { EXIT_FAILURE, EXIT_OK, fileReader, readInput, reportFailure, usageError, type EmrtdCommandDeps } from './command-support.js';
import { parseTrace, replayTrace } from './trace-replay.js';

import { CHIP_REPLAY_SUMMARY, CHIP_REPLAY_USAGE } from './command-texts.js';

export { CHIP_REPLAY_USAGE };

export function createChipReplayCommand(deps: EmrtdCommandDeps = {}): CliCommand {
  const read = fileReader(deps);
  return {
    id: 'chip replay',
    summary: CHIP_REPLAY_SUMMARY,
    usage: CHIP_REPLAY_USAGE,
    async run(args: string[], io: CommandIo): Promise<number> {
      let file: string;
      let keys: boolean;
      try {
        const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { keys: { type: 'boolean' } } });
        if (positionals.length !== 1) return usageError(io, positionals.length === 0 ? 'missing TRACE.json.' : `one trace at a time; got ${positionals.length}.`, CHIP_REPLAY_USAGE);
        file = positionals[0];
        keys = values.keys === true;
      } catch (error) {
        return usageError(io, (error as Error).message, CHIP_REPLAY_USAGE);
      }
      try {
        const bytes = await readInput(read, file, 'the trace', 'EMRTD_TRACE_UNREADABLE');
        let json: unknown;
        try {
          json = JSON.parse(new TextDecoder().decode(bytes));
        } catch (error) {
          throw new TesseraError('EMRTD_TRACE_INVALID', `${file} is not JSON: ${(error as Error).message}`, { hint: 'Pass a trace file in the format shown by `tessera chip replay --help`.' });
        }
        const result = await replayTrace(parseTrace(json), { keys });
        if (result.ok) {
          io.stdout(JSON.stringify({ ok: true, steps: result.steps, ...(result.keys ? { ksEnc: result.keys.ksEnc, ksMac: result.keys.ksMac } : {}) }));
          return EXIT_OK;
        }
        io.stdout(JSON.stringify(result));
        io.stderr(`replay diverged at step ${result.step}${result.plain !== undefined ? ` (plain[${result.plain}])` : ''}: ${result.reason}`);
        return EXIT_FAILURE;
      } catch (error) {
        return reportFailure(io, error);
      }
    },
  };
}
