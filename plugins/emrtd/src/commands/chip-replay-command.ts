/**
 * `tessera chip replay TRACE.json [--keys]`: replays a recorded reader session through Tessera's
 * eMRTD engine (see trace-replay.ts) and says whether, and where, the two part ways.
 */

import { parseArgs } from 'node:util';
import { TesseraError, type CliCommand, type CommandIo } from '@tessera/sdk';
import { EXIT_FAILURE, EXIT_OK, fileReader, readInput, reportFailure, usageError, type EmrtdCommandDeps } from './command-support.js';
import { parseTrace, replayTrace } from './trace-replay.js';

export const CHIP_REPLAY_USAGE = `Usage: tessera chip replay TRACE.json [--keys]

Replays a recorded terminal-chip session (BAC, then commands under secure messaging) through
Tessera's eMRTD engine and reports the first step where the engine and the recording differ.

  --keys    also print the session keys (ksEnc, ksMac) as hex

Trace: {"access": {"protocol": "BAC"|"PACE", "mrzInfo"?, "can"?, "cardAccess"?}, "terminalRandom": hex,
        "steps": [{"command": hex, "response": hex}], "plain": [{"command": hex, "response": hex}]}
Example: plugins/emrtd/examples/icao-9303-11-appendix-d.trace.json
Prints {"ok": true, "steps": N} or {"ok": false, "step": i, "expected": hex, "actual": hex, "reason": …}.
Exit status: 0 replayed; 1 diverged, or the trace cannot be read or is malformed; 2 usage error.`;

export function createChipReplayCommand(deps: EmrtdCommandDeps = {}): CliCommand {
  const read = fileReader(deps);
  return {
    id: 'chip replay',
    summary: 'Replay a recorded reader session (BAC + secure messaging) and find where it diverges',
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
