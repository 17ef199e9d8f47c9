/**
 * The MrzOcrEngine this plugin contributes, and the reader behind it. Nothing heavy happens at
 * construction: the OCR-B templates render on `warm()` (which the plugin calls in the background
 * after the host has started) or on the first read; the tesseract workers start on `warm()` or
 * when a first line needs a second opinion.
 */
import type { MrzOcrEngine, PageImage } from '@tessera/sdk';
import { MrzReader, type MrzRead, type ReadOptions } from './mrz-reader.js';

export const ENGINE_ID = 'ocr-mrz';

export interface EngineSettings {
  /** tesseract workers for the second opinion; 0 reads with the template recogniser alone. */
  workers: number;
  /** Whole-image time limit, ms. */
  timeoutMs: number;
}

export interface MrzOcrEngineHandle {
  engine: MrzOcrEngine;
  /** Reads image bytes with the full result (format, validity, ambiguity, reason). */
  read(bytes: Uint8Array, options?: ReadOptions): Promise<MrzRead>;
  /** Loads templates and starts the workers; resolves when the reader is ready. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

export function createMrzOcrEngine(settings: EngineSettings): MrzOcrEngineHandle {
  let reader: Promise<MrzReader> | undefined;
  let pool: import('./tesseract-pool.js').TesseractPool | null = null;
  const load = (): Promise<MrzReader> => {
    reader ??= (async () => {
      const [{ loadGlyphTemplates }, { TemplateClassifier }, poolModule] = await Promise.all([
        import('./glyph-templates.js'),
        import('./template-classifier.js'),
        settings.workers > 0 ? import('./tesseract-pool.js') : Promise.resolve(null),
      ]);
      // The workers start on `warm()` or when a line first needs them, not here: starting one
      // (about a second of CPU) alongside the first read would slow that read on a single core.
      if (poolModule) pool = new poolModule.TesseractPool(settings.workers, Math.min(settings.timeoutMs, 3000));
      return new MrzReader(new TemplateClassifier(await loadGlyphTemplates()), pool);
    })();
    reader.catch(() => (reader = undefined)); // a failed load (font missing) is retried by the next read
    return reader;
  };
  const read = async (bytes: Uint8Array, options: ReadOptions = {}) => (await load()).read(bytes, { timeoutMs: settings.timeoutMs, ...options });
  const engine: MrzOcrEngine = {
    id: ENGINE_ID,
    displayName: 'MRZ OCR (OCR-B templates + tesseract legacy)',
    async recognize(image: PageImage, options?: { signal?: AbortSignal }) {
      return read(image.data, { signal: options?.signal });
    },
  };
  return {
    engine,
    read,
    async warm() {
      await load();
      await pool?.ready();
    },
    async close() {
      const loaded = reader;
      reader = undefined;
      await loaded?.catch(() => undefined);
      await pool?.close();
    },
  };
}
