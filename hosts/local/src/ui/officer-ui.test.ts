// Drives the real officer UI in headless Chromium: choose a document on the simulator, scan with the
// keyboard and the mouse, read the result lines and evidence, download the PDF report and read its text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { createLogger } from '@tessera/core';
import { startLocalHost, type LocalHost } from '../local-host.js';
import { inView, startBrowserSession, waitForDeep as waitForDeepIn, waitForDownloadedPdf, waitForVerdict as waitForVerdictIn, type BrowserSession } from './browser-test-session.js';

let host: LocalHost;
let session: BrowserSession;
let page: Page;
let dataDir: string;
let downloads: string;

// The demonstration workstation (default configuration): the interop plugins' demoData fills SLTD and the
// national lists with labelled demo data, so the genuine passport can pass here, as an officer sees it on
// `npm start`; the empty, not-checked case is tested in local-host.test.ts.
test.before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-ui-test-'));
  host = await startLocalHost({ dataDir, port: 0, logger: createLogger({ level: 'silent' }), defaultOfficer: 'officer.ui' });
  session = await startBrowserSession();
  ({ page, downloads } = session);
});

test.after(async () => {
  await session?.close();
  await host?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const waitForVerdict = (previousHref: string | null) => waitForVerdictIn(page, previousHref);
const waitForDeep = (selector: string, timeoutMs?: number) => waitForDeepIn(page, selector, timeoutMs);

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
  // Each database line says its answer came from demo data, so the pass is not mistaken for a real check.
  const sltdReason = inView('tessera-interop-panel >>> .line[data-connector="sltd"] .reason');
  await waitForDeep(sltdReason);
  assert.match((await page.$eval(sltdReason, (el) => el.textContent)) ?? '', /^Demo data: /);
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
  const pdfPath = await waitForDownloadedPdf(downloads);
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
