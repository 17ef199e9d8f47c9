/**
 * The MRZ OCR plugin: contributes the `ocr-mrz` engine (the host uses it when a reader reads no
 * MRZ itself) and the `tessera ocr` command. The entry stays light — tesseract, sharp and the
 * templates load in the background a moment after the host has started, or on first use.
 */
import { coreServices, definePlugin, extensionPoints, type CliCommand } from '@tessera/sdk';
import { OCR_USAGE, OCR_SUMMARY } from './command-texts.js';
import { createMrzOcrEngine } from './mrz-ocr-engine.js';
import { defaultPoolSize } from './pool-size.js';

export { OCR_MRZ_ERROR_CODES } from './errors.js';

export default definePlugin({
  id: 'ocr-mrz',
  deps: { ocrEngines: extensionPoints.ocrEngines, commands: extensionPoints.commands, config: coreServices.config, logger: coreServices.logger },
  init({ ocrEngines, commands, config, logger }) {
    const settings = {
      workers: typeof config.workers === 'number' ? config.workers : defaultPoolSize(2),
      timeoutMs: Number(config.timeoutMs ?? 4500),
    };
    const handle = createMrzOcrEngine(settings);
    ocrEngines.add(handle.engine);
    const command: CliCommand = {
      id: 'ocr',
      summary: OCR_SUMMARY,
      usage: OCR_USAGE,
      run: async (args, io) => (await import('./ocr-command.js')).createOcrCommand({ engine: handle }).run(args, io),
    };
    commands.add(command);
    let timer: NodeJS.Timeout | undefined;
    return {
      start() {
        if (config.warmOnStart === false) return;
        timer = setTimeout(() => {
          handle.warm().catch((error: unknown) => logger.warn('MRZ OCR could not be prepared', { error: String(error) }));
        }, 1500);
        timer.unref();
      },
      async stop() {
        clearTimeout(timer);
        await handle.close();
      },
    };
  },
});
