/**
 * What the browser tests of the officer UI share: headless Chromium with a download folder, and waits
 * that see inside the app's shadow roots (puppeteer's waitForSelector watches mutations of the document
 * only, which do not fire for changes inside shadow roots, so these poll).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS, findChromium } from '../pdf-renderer.js';

export interface BrowserSession {
  browser: Browser;
  page: Page;
  /** Where clicked downloads land. */
  downloads: string;
  close(): Promise<void>;
}

export async function startBrowserSession(): Promise<BrowserSession> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium is needed for the browser tests: run npm run setup');
  const downloads = await mkdtemp(path.join(os.tmpdir(), 'tessera-ui-downloads-'));
  const profile = await mkdtemp(path.join(os.tmpdir(), 'tessera-ui-profile-'));
  const browser = await puppeteer.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  page.on('pageerror', (e) => console.error('page error:', e));
  return {
    browser,
    page,
    downloads,
    async close() {
      await browser.close();
      for (const d of [downloads, profile]) await rm(d, { recursive: true, force: true });
    },
  };
}

/** A selector inside the inspect view's shadow root. */
export const inView = (selector: string) => `tessera-app >>> tessera-inspect-view >>> ${selector}`;

/** Wait for a selector that pierces shadow roots. */
export async function waitForDeep(page: Page, selector: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await page.$(selector)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${selector} did not appear within ${timeoutMs} ms`);
}

/** Wait until the inspect view shows an inspection other than the one whose report link was `previousHref`. */
export async function waitForVerdict(page: Page, previousHref: string | null, timeoutMs = 15_000): Promise<{ overall: string; text: string; href: string }> {
  const handle = await page.waitForFunction(
    (prev) => {
      const view = document.querySelector('tessera-app')?.shadowRoot?.querySelector('tessera-inspect-view');
      const verdict = view?.shadowRoot?.querySelector('#verdict');
      const href = view?.shadowRoot?.querySelector('#report')?.getAttribute('href');
      return verdict && href && href !== prev ? { overall: verdict.getAttribute('data-overall'), text: verdict.textContent, href } : null;
    },
    { timeout: timeoutMs },
    previousHref,
  );
  return (await handle.jsonValue()) as { overall: string; text: string; href: string };
}

/** The first PDF that appears in the download folder, once Chromium has finished writing it. */
export async function waitForDownloadedPdf(downloads: string): Promise<string> {
  let file: string | undefined;
  for (let i = 0; i < 100 && !file; i++) {
    file = (await readdir(downloads)).find((f) => f.endsWith('.pdf'));
    if (!file) await new Promise((r) => setTimeout(r, 150));
  }
  if (!file) throw new Error('no PDF was downloaded');
  const pdfPath = path.join(downloads, file);
  for (let i = 0; i < 50; i++) {
    const bytes = await readFile(pdfPath);
    if (bytes.subarray(0, 5).toString() === '%PDF-' && bytes.subarray(-1024).toString('latin1').includes('%%EOF')) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  return pdfPath;
}
