/**
 * A small pool of tesseract.js workers running the legacy engine (its shape classifier reads
 * OCR-B fillers as '<', where the LSTM engine reads K/L/C), restricted to the MRZ alphabet, one
 * line per job. Workers start on first use or when `warm()` is called after the host has
 * started, and stay warm; each job honours an AbortSignal and a time limit, and a worker that
 * overruns is replaced rather than trusted with the next job.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { TesseraError } from '@tessera/sdk';
import type Tesseract from 'tesseract.js';
import { MRZ_ALPHABET } from './glyph-templates.js';

export interface LineText {
  text: string;
  /** Per recognised symbol: its character, confidence 0–1 and horizontal centre in the line image. */
  symbols: Array<{ char: string; confidence: number; centre: number }>;
}

interface Slot {
  worker: Promise<Tesseract.Worker>;
  busy: boolean;
}

function trainedDataFolder(): string {
  const require = createRequire(import.meta.url);
  // @tesseract.js-data/eng ships 4.0.0/eng.traineddata.gz with both the legacy and LSTM models.
  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
}

/** A few MRZ characters in OCR-B (a blank image makes tesseract print diagnostics). */
async function warmUpImage(): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><rect width="100%" height="100%" fill="#fff"/><text x="10" y="38" font-family="OCR B" font-size="40">P&lt;UTO</text></svg>';
  return sharp(Buffer.from(svg)).greyscale().png().toBuffer();
}

export class TesseractPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(private readonly size: number, private readonly jobTimeoutMs: number) {}

  /** Starts the workers without waiting for them. */
  warm(): void {
    while (!this.closed && this.slots.length < this.size) this.slots.push({ worker: this.startWorker(), busy: false });
    for (const slot of this.slots) slot.worker.catch(() => undefined);
  }

  /** Starts the workers and resolves when every one is ready (rejects if one cannot start). */
  async ready(): Promise<void> {
    this.warm();
    await Promise.all(this.slots.map((s) => s.worker));
  }

  private async startWorker(): Promise<Tesseract.Worker> {
    const { createWorker, OEM, PSM } = (await import('tesseract.js')).default;
    const worker = await createWorker('eng', OEM.TESSERACT_ONLY, {
      langPath: trainedDataFolder(),
      cacheMethod: 'none', // never write or read a copy of the trained data in the working folder
      legacyCore: true,
      legacyLang: true,
      gzip: true,
      errorHandler: () => undefined,
    } as Partial<Tesseract.WorkerOptions>, { load_system_dawg: '0', load_freq_dawg: '0' } as unknown as Partial<Tesseract.InitOptions>);
    await worker.setParameters({ tessedit_char_whitelist: MRZ_ALPHABET, tessedit_pageseg_mode: PSM.SINGLE_LINE, user_defined_dpi: '300' });
    // The first recognition loads the legacy model (about a second); do it now, not in a reader's time limit.
    await worker.recognize(await warmUpImage());
    return worker;
  }

  private async acquire(signal?: AbortSignal): Promise<Slot> {
    this.warm();
    for (;;) {
      if (this.closed) throw new TesseraError('OCR_MRZ_ENGINE_FAILED', 'The OCR engine has been stopped.');
      if (signal?.aborted) throw new TesseraError('OCR_MRZ_ABORTED', 'The read was aborted.');
      const free = this.slots.find((s) => !s.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    this.waiting.shift()?.();
  }

  /** Recognises one line image (PNG). */
  async recognizeLine(png: Buffer, signal?: AbortSignal): Promise<LineText> {
    const slot = await this.acquire(signal);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      const worker = await slot.worker;
      const job = worker.recognize(png, {}, { text: true, blocks: true });
      const stop = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TesseraError('OCR_MRZ_TIMEOUT', `Recognising a line took longer than ${this.jobTimeoutMs} ms.`)), this.jobTimeoutMs);
        onAbort = () => reject(new TesseraError('OCR_MRZ_ABORTED', 'The read was aborted.'));
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      const { data } = await Promise.race([job, stop]);
      const symbols: LineText['symbols'] = [];
      for (const block of data.blocks ?? []) {
        for (const paragraph of block.paragraphs) {
          for (const line of paragraph.lines) {
            for (const word of line.words) {
              for (const s of word.symbols) symbols.push({ char: s.text, confidence: s.confidence / 100, centre: (s.bbox.x0 + s.bbox.x1) / 2 });
            }
          }
        }
      }
      return { text: data.text.replace(/\s+/g, ''), symbols };
    } catch (error) {
      if ((error as { code?: string }).code === 'OCR_MRZ_TIMEOUT' || (error as { code?: string }).code === 'OCR_MRZ_ABORTED') {
        // The worker is still busy with the abandoned job: replace it so the next job does not queue behind it.
        const old = slot.worker;
        slot.worker = this.startWorker();
        slot.worker.catch(() => undefined);
        old.then((w) => w.terminate()).catch(() => undefined);
        throw error;
      }
      throw new TesseraError('OCR_MRZ_ENGINE_FAILED', `tesseract failed on a line: ${(error as Error).message ?? String(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const resolve of this.waiting.splice(0)) resolve();
    await Promise.all(this.slots.splice(0).map((s) => s.worker.then((w) => w.terminate()).catch(() => undefined)));
  }
}
