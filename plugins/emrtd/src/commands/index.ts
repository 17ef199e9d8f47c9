/**
 * The eMRTD plugin's contributions to the `tessera` command line. The plugin's entry point adds
 * these to `extensionPoints.commands`; the manifest declares them under `contributes.commands`.
 */

import type { CliCommand } from '@tessera/sdk';
import type { EmrtdCommandDeps } from './command-support.js';
import { createChipReplayCommand } from './chip-replay-command.js';
import { createPaVerifyCommand } from './pa-verify-command.js';

export type { EmrtdCommandDeps } from './command-support.js';
export { createPaVerifyCommand, parsePaVerifyArgs, PA_VERIFY_USAGE } from './pa-verify-command.js';
export { createChipReplayCommand, CHIP_REPLAY_USAGE } from './chip-replay-command.js';
export { createChipReadCommand, parseChipReadArgs, mrzKeyFromOption, overallVerdict, CHIP_READ_USAGE, EXIT_INCONCLUSIVE, type ChipReadCommandDeps } from './chip-read-command.js';
export { EMRTD_COMMAND_ERROR_CODES } from './command-errors.js';
export { parseTrace, replayTrace, PlaybackTransport, type ReplayTrace, type ReplayResult, type ReplayOptions, type TraceExchange } from './trace-replay.js';

/** `pa verify` and `chip replay` (`chip read` needs the plugin's settings: createChipReadCommand). */
export function createEmrtdCommands(deps: EmrtdCommandDeps = {}): CliCommand[] {
  return [createPaVerifyCommand(deps), createChipReplayCommand(deps)];
}
