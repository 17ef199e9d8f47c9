// Drives the real officer UI in headless Chromium: choose a document on the simulator, scan with the
// keyboard and the mouse, read the result lines and evidence, download the PDF report and read its text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createLogger } from '@tessera/core';
import { startLocalHost, type LocalHost } from '../local-host.js';
import { CHROMIUM_ARGS, findChromium } from '../pdf-renderer.js';

let host: LocalHost;
let browser: Browser;
let page: Page;
let dataDir: string;
let downloads: string;
let profile: string;

test.before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-ui-test-'));
  downloads = await mkdtemp(path.join(os.tmpdir(), 'tessera-ui-downloads-'));
  profile = await mkdtemp(path.join(os.tmpdir(), 'tessera-ui-profile-'));
  host = await startLocalHost({ dataDir, port: 0, logger: createLogger({ level: 'silent' }), defaultOfficer: 'officer.ui' });
  const executablePath = findChromium();
  assert.ok(executablePath, 'Chromium is needed for the browser test: run npm run setup');
  browser = await puppeteer.launch({ executablePath: executablePath!, headless: true, args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`] });
  page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  page.on('pageerror', (e) => console.error('page error:', e));
});

test.after(async () => {
  await browser?.close();
  await host?.close();
  for (const d of [dataDir, downloads, profile]) await rm(d, { recursive: true, force: true });
});

/** Text and attributes inside the app's shadow roots. */
const inView = (selector: string) => `tessera-app >>> tessera-inspect-view >>> ${selector}`;

async function waitForVerdict(previousId: string | null): Promise<{ overall: string; text: string }> {
  const handle = await page.waitForFunction(
    (prev) => {
      const view = document.querySelector('tessera-app')?.shadowRoot?.querySelector('tessera-inspect-view');
      const verdict = view?.shadowRoot?.querySelector('#verdict');
      const id = view?.shadowRoot?.querySelector('#report')?.getAttribute('href');
      return verdict && id && id !== prev ? { overall: verdict.getAttribute('data-overall'), text: verdict.textContent, href: id } : null;
    },
    { timeout: 15_000 },
    previousId,
  );
  return (await handle.jsonValue()) as { overall: string; text: string };
}

/**
 * Wait for a selector that pierces shadow roots. Puppeteer's waitForSelector watches DOM mutations of
 * the document, which do not fire for changes inside shadow roots, so poll instead.
 */
async function waitForDeep(selector: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await page.$(selector)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${selector} did not appear within ${timeoutMs} ms`);
}

async function reportHref(): Promise<string | null> {
  const el = await page.$(inView('#report'));
  return el ? el.evaluate((a) => a.getAttribute('href')) : null;
}

test('the UI loads, lists the simulator and its specimens', async () => {
  await page.goto(host.url, { waitUntil: 'networkidle0' });
  await waitForDeep(inView('select[data-setting="document"]'));
  const devices = await page.$$eval(inView('#device option'), (opts) => opts.map((o) => o.textContent ?? ''));
  assert.ok(devices.some((d) => d.includes('simulator:fpr-1')), devices.join());
  const specimens = await page.$$eval(inView('select[data-setting="document"] option'), (opts) => opts.map((o) => (o as HTMLOptionElement).value));
  assert.ok(specimens.includes('genuine-td3') && specimens.includes('bad-check-digit-td3'), specimens.join());
  const shortcuts = await page.$eval('tessera-app >>> #shortcuts', (el) => el.textContent ?? '');
  assert.match(shortcuts, /scan/);
});

test('keyboard: S scans the genuine passport; every check line passes', async () => {
  await page.keyboard.press('s');
  const verdict = await waitForVerdict(null);
  assert.is(verdict.overall, 'pass');
  const lines = await page.$$eval(inView('.check'), (els) => els.map((e) => `${e.getAttribute('data-check')}:${e.querySelector('[data-status]')?.getAttribute('data-status')}`));
  for (const id of ['mrz.check-digits', 'mrz.expiry', 'mrz.state-codes', 'chip.access', 'chip.passive-auth']) assert.ok(lines.includes(`${id}:pass`), lines.join());
  assert.ok(lines.every((l) => l.endsWith(':pass')), lines.join());
  const surname = await page.$eval(inView('[data-field="surname"]'), (el) => el.textContent);
  assert.ok(surname && surname.length > 1);
  const images = await page.$$eval(inView('.images img'), (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
  assert.is(images.length, 3);
  assert.ok(images.every((w) => w > 500), `images loaded: ${images}`);
});

/** The element focused inside the shadow roots, as its data-verdict. */
const focusedVerdict = () =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('data-verdict') ?? null;
  });

test('the chip section: the printed photo beside the chip portrait, PA/AA/CA lines that open to their evidence', async () => {
  await waitForDeep(inView('#chip-panel'));
  const faces = await page.$$eval(inView('#faces img'), (imgs) => imgs.map((i) => ({ w: (i as HTMLImageElement).naturalWidth, alt: i.getAttribute('alt') })));
  assert.is(faces.length, 2, JSON.stringify(faces));
  assert.ok(faces.every((f) => f.w > 50), `both faces loaded: ${JSON.stringify(faces)}`);
  // The simulator reports where the photo is, so the page image is cropped to it, not shown whole.
  assert.is(await page.$eval(inView('#face-page'), (el) => el.getAttribute('data-cropped')), 'true');
  assert.match(await page.$eval(inView('#face-chip'), (el) => el.textContent ?? ''), /DG2/);
  const lines = await page.$$eval(inView('[data-verdict]'), (els) => els.map((e) => `${e.getAttribute('data-verdict')}:${e.querySelector('[data-status]')?.getAttribute('data-status')}`));
  for (const id of ['chip.passive-auth', 'chip.active-auth', 'chip.chip-auth']) assert.ok(lines.includes(`${id}:pass`), lines.join());
  assert.ok(lines.indexOf('chip.passive-auth:pass') < lines.indexOf('chip.active-auth:pass'), 'PA is read before AA');
  // Keyboard: C focuses the first verdict line; Enter opens its evidence.
  await page.keyboard.press('c');
  assert.is(await focusedVerdict(), 'chip.access');
  await page.click(inView('[data-verdict="chip.passive-auth"]'));
  const evidence = await page.$eval(inView('#chip-evidence-chip-passive-auth'), (el) => el.textContent ?? '');
  for (const item of ['Document signer (DSC)', 'Country signing CA (CSCA)', 'DG1 hash', 'DG2 hash']) assert.ok(evidence.includes(item), `${item} in ${evidence}`);
  assert.is(await page.$eval(inView('[data-verdict="chip.passive-auth"]'), (el) => el.getAttribute('aria-expanded')), 'true');
  await page.screenshot({ path: path.join(os.tmpdir(), 'tessera-ui-chip.png') as `${string}.png` });
});

test('mouse: a document with a wrong check digit shows the failing line and its evidence', async () => {
  const before = await reportHref();
  await page.select(inView('select[data-setting="document"]'), 'bad-check-digit-td3');
  await page.click(inView('#scan'));
  const verdict = await waitForVerdict(before);
  assert.is(verdict.overall, 'fail');
  // The first failing check is focused and expanded, so the reason is on screen at once.
  const evidence = await page.$eval(inView('.check[data-check="mrz.check-digits"] .evidence'), (el) => el.textContent ?? '');
  assert.match(evidence, /MRZ_CHECK_DIGIT_BIRTH_DATE/);
  await page.screenshot({ path: path.join(os.tmpdir(), 'tessera-ui-fail.png') as `${string}.png` });
  // J/K move between checks, Enter toggles the evidence.
  await page.keyboard.press('j');
  const focused = await page.$eval(inView('.check[aria-current="true"]'), (el) => el.getAttribute('data-check'));
  assert.ok(focused);
});

test('the PDF report downloads and its text carries the document and the failed check', async () => {
  const href = await reportHref();
  assert.ok(href);
  await page.click(inView('#report'));
  let file: string | undefined;
  for (let i = 0; i < 100 && !file; i++) {
    file = (await readdir(downloads)).find((f) => f.endsWith('.pdf'));
    if (!file) await new Promise((r) => setTimeout(r, 150));
  }
  assert.ok(file, 'a PDF was downloaded');
  const pdfPath = path.join(downloads, file!);
  // Wait until the download is complete (size stable and PDF trailer present).
  for (let i = 0; i < 50; i++) {
    const bytes = await readFile(pdfPath);
    if (bytes.subarray(0, 5).toString() === '%PDF-' && bytes.subarray(-1024).toString('latin1').includes('%%EOF')) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.ok((await stat(pdfPath)).size > 10_000);
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  assert.match(text, /Document inspection report/);
  assert.match(text, /One or more checks FAILED/);
  assert.match(text, /MRZ_CHECK_DIGIT_BIRTH_DATE/);
  assert.match(text, /officer\.ui/);
  const inspectionId = href!.split('/')[3]!;
  assert.ok(text.includes(inspectionId), 'the report names its inspection');
});

test('history lists the inspections and reopens one', async () => {
  await page.keyboard.press('2');
  await waitForDeep('tessera-app >>> tessera-history-view >>> tr[data-inspection]');
  const rows = await page.$$('tessera-app >>> tessera-history-view >>> tr[data-inspection]');
  assert.is(rows.length, 2);
  await rows[1]!.click();
  const verdict = await waitForVerdict(null);
  assert.is(verdict.overall, 'pass', 'the older (genuine) inspection reopened');
});

test('the plugins view shows every plugin running', async () => {
  await page.keyboard.press('3');
  await waitForDeep('tessera-app >>> tessera-plugins-view >>> tr[data-plugin]');
  const states = await page.$$eval('tessera-app >>> tessera-plugins-view >>> tr[data-plugin]', (rows) => rows.map((r) => `${r.getAttribute('data-plugin')}:${r.querySelector('.status')?.textContent}`));
  for (const id of ['checks-mrz', 'reader-simulator', 'report-standard']) assert.ok(states.includes(`${id}:Running`), states.join());
  assert.ok(states.every((s) => s.endsWith(':Running')), states.join());
});

test('a chip whose DG2 was altered: PA fails on the DG2 hash, and the PDF report carries the chip section', async () => {
  await page.keyboard.press('1');
  await waitForDeep(inView('select[data-setting="chip"]'));
  const before = await reportHref();
  await page.select(inView('select[data-setting="document"]'), 'genuine-td3');
  await page.select(inView('select[data-setting="chip"]'), 'wrong-dg-hash');
  await page.click(inView('#scan'));
  const verdict = await waitForVerdict(before);
  assert.is(verdict.overall, 'fail');
  assert.is(await page.$eval(inView('[data-verdict="chip.passive-auth"] [data-status]'), (el) => el.getAttribute('data-status')), 'fail');
  // The first chip line that did not pass is open at once, with the hash table saying which group is wrong.
  const dg2 = await page.$eval(inView('#chip-evidence-chip-passive-auth'), (el) =>
    [...el.querySelectorAll('tr')].find((tr) => tr.querySelector('th')?.textContent === 'DG2 hash')?.querySelector('[data-ok]')?.getAttribute('data-ok'));
  assert.is(dg2, 'false');
  await page.screenshot({ path: path.join(os.tmpdir(), 'tessera-ui-chip-hostile.png') as `${string}.png` });

  const href = await reportHref();
  const response = await fetch(new URL(href!, host.url));
  assert.is(response.status, 200);
  const pdfPath = path.join(downloads, 'chip-hostile.pdf');
  await writeFile(pdfPath, Buffer.from(await response.arrayBuffer()));
  // Reading order, not layout: table cells wrap, so words are compared with whitespace collapsed.
  const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const expected of ['Chip (eMRTD)', 'Printed photo', 'Portrait in the chip', 'Chip, data group 2 (DG2)', 'Passive Authentication', 'Document signer (DSC)', 'Country signing CA (CSCA)', 'DG2 hash mismatch ✖ wrong']) {
    assert.ok(text.includes(expected), `the PDF has ${expected}`);
  }
  await page.select(inView('select[data-setting="chip"]'), 'genuine');
});

test('an empty reader shows the error and what to do', async () => {
  await page.keyboard.press('1');
  await waitForDeep(inView('select[data-setting="document"]'));
  await page.select(inView('select[data-setting="document"]'), 'none');
  await page.click(inView('#scan'));
  await waitForDeep(inView('#error'));
  await page.screenshot({ path: path.join(os.tmpdir(), 'tessera-ui-empty.png') as `${string}.png` });
  const error = await page.$eval(inView('#error'), (el) => el.textContent ?? '');
  assert.match(error, /TSR_READER_NO_DOCUMENT/);
  assert.match(error, /Place the document/);
});

test.run();
