/**
 * The reference service as a program of its own, without the tessera CLI:
 *   node --import tsx plugins/interop-sltd/src/reference-service/main.ts [--port N] [--records N] …
 * (the same options as `tessera sltd serve`).
 */
import { isTesseraError } from '@tessera/sdk';
import { SLTD_COMMAND_TEXTS } from '../commands/command-texts.js';
import { parseServeOptions, serveUntilInterrupted } from './serve.js';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(SLTD_COMMAND_TEXTS['sltd serve'].usage);
} else {
  try {
    await serveUntilInterrupted(parseServeOptions(args), (line) => console.log(line));
  } catch (error) {
    if (isTesseraError(error)) {
      console.error(`error ${error.code}: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
      process.exitCode = 1;
    } else if (error instanceof TypeError) {
      console.error(`error: ${error.message}\n${SLTD_COMMAND_TEXTS['sltd serve'].usage}`);
      process.exitCode = 2;
    } else throw error;
  }
}
