/**
 * Turns report HTML into PDF in Debian's Chromium through puppeteer-core. One browser is kept warm
 * for the host's lifetime (cold launch ~1 s, a warm render ~300 ms); it is launched on first use so
 * the host is ready before Chromium is.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { TesseraError } from '@tessera/sdk';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | null {
  const fromEnv = process.env.TESSERA_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Flags for a closed network and a root user; see docs/dependency notes in the README. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--font-render-hinting=none',
];

export interface PdfOptions {
  paper?: 'A4' | 'Letter';
  footerLabel?: string;
}

export class PdfRenderer {
  private browser: Promise<Browser> | null = null;
  private profileDir: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  // Once closed, nothing may launch Chromium again: a warm-up timer firing during shutdown would
  // otherwise leave a browser behind that keeps the process alive.
  private closed = false;

  private async launch(): Promise<Browser> {
    const executablePath = findChromium();
    if (!executablePath) {
      throw new TesseraError('TSR_BROWSER_UNAVAILABLE', 'Chromium was not found, so no PDF can be made.', {
        hint: 'Install it with "apt-get install -y chromium" (npm run setup does this), or set TESSERA_CHROMIUM to its path.',
      });
    }
    this.profileDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-chromium-'));
    try {
      // Imported on first use: puppeteer-core alone costs ~0.5 s of start-up.
      const { default: puppeteer } = await import('puppeteer-core');
      const browser = await puppeteer.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, `--user-data-dir=${this.profileDir}`], timeout: 30_000 });
      browser.on('disconnected', () => {
        this.browser = null;
      });
      return browser;
    } catch (cause) {
      throw new TesseraError('TSR_BROWSER_UNAVAILABLE', `Chromium at ${executablePath} did not start: ${(cause as Error).message}`, {
        cause,
        hint: 'Check that Chromium runs on this machine (chromium --headless --version).',
      });
    }
  }

  private getBrowser(): Promise<Browser> {
    if (this.closed) return Promise.reject(new TesseraError('TSR_REPORT_RENDER_FAILED', 'The host is shutting down; no report can be made now.', { hint: 'Start the host again.' }));
    if (!this.browser) {
      this.browser = this.launch();
      this.browser.catch(() => (this.browser = null));
    }
    return this.browser;
  }

  /** Start Chromium now (e.g. right after the host is ready) so the first report is fast. */
  warmUp(): void {
    this.getBrowser().catch(() => undefined);
  }

  /** Render one page at a time: Chromium on 2 cores gains nothing from parallel PDF jobs. */
  render(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
    const job = this.queue.then(() => this.renderNow(html, options));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async renderNow(html: string, options: PdfOptions): Promise<Uint8Array> {
    const browser = await this.getBrowser();
    const page = await browser.newPage();
    try {
      // No network: the report is self-contained, and a hostile value must not make Chromium fetch anything.
      await page.setRequestInterception(true);
      page.on('request', (req) => (req.url().startsWith('data:') || req.url() === 'about:blank' ? req.continue() : req.abort()));
      await page.setContent(html, { waitUntil: 'load', timeout: 30_000 });
      const label = (options.footerLabel ?? '').replace(/[<>&]/g, '');
      const pdf = await page.pdf({
        format: options.paper ?? 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="font-size:7pt;width:100%;text-align:center;color:#666">${label} · <span class="pageNumber"></span>/<span class="totalPages"></span></div>`,
      });
      return pdf;
    } catch (cause) {
      if (cause instanceof TesseraError) throw cause;
      throw new TesseraError('TSR_REPORT_RENDER_FAILED', `Chromium could not render the report: ${(cause as Error).message}`, { cause, hint: 'Try again; if it keeps failing, restart the host.' });
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.browser;
    this.browser = null;
    const profileDir = this.profileDir;
    const cleanUp = async (browser: Browser | null) => {
      await browser?.close().catch(() => undefined);
      if (profileDir) await rm(profileDir, { recursive: true, force: true }).catch(() => undefined);
    };
    // A Chromium still starting (the warm-up right after ready) can take seconds on a busy machine;
    // shutdown does not wait for it — it is closed when it comes up (and puppeteer kills it if the
    // process exits first). A browser that is already up is closed now.
    const ready = await Promise.race([pending?.catch(() => null) ?? Promise.resolve(null), new Promise<'starting'>((r) => setImmediate(() => r('starting')))]);
    if (ready === 'starting') {
      void pending!.then(cleanUp, () => cleanUp(null));
      return;
    }
    await cleanUp(ready);
  }

}
