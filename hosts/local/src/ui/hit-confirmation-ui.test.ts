// What the officer sees of OCR, light checks and databases, driven in headless Chromium: a counterfeit
// print of a specimen whose MRZ only OCR can read and whose number a test SLTD-like connector lists as
// stolen. The officer sees the MRZ crop, the failing light checks with their images, the hit, retries a
// connector that could not check, confirms the hit with the keyboard, and finds it all in the PDF.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { createLogger, type InspectionRecord } from '@tessera/core';
import { definePlugin, extensionPoints, type InteropConnector } from '@tessera/sdk';
import { testManifest } from '@tessera/sdk/testing';
import { startLocalHost, type LocalHost } from '../local-host.js';
import { inView, startBrowserSession, waitForDeep, waitForDownloadedPdf, waitForVerdict, type BrowserSession } from './browser-test-session.js';

const EXAMPLE_CONNECTOR = fileURLToPath(new URL('../../../../examples/lost-documents-connector/', import.meta.url));
const DEVICE = encodeURIComponent('simulator:fpr-1');
const SCREENSHOTS = os.tmpdir();
const screenshotPath = (name: string) => path.join(SCREENSHOTS, `${name}.png`) as `${string}.png`;

/** An SLTD-like connector: the simulator's genuine TD3 number is a stolen document, with dates in its details. */
const testSltd: InteropConnector = {
  id: 'test.sltd',
  displayName: 'Test SLTD',
  queries: ['document'],
  async queryDocument(query) {
    const hit = query.documentNumber === 'UP4821937' && query.issuingState === 'UTO';
    return {
      connectorId: 'test.sltd',
      outcome: hit ? 'hit' : 'no_hit',
      records: hit ? [{ status: 'stolen', reportingCountry: 'UTO', reference: 'SLTD-UTO-2026-0042', details: { 'Reported on': '2026-03-02', 'Theft date': '2026-02-27' } }] : [],
      checkedAt: new Date().toISOString(),
      dataAsOf: new Date(Date.now() - 5 * 3600_000).toISOString(),
    };
  },
};

let host: LocalHost;
let session: BrowserSession;
let page: Page;
let dataDir: string;
let listFile: string;

test.before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-hit-ui-'));
  listFile = path.join(dataDir, 'lost-documents.json');
  host = await startLocalHost({
    dataDir,
    port: 0,
    logger: createLogger({ level: 'silent' }),
    defaultOfficer: 'officer.ui',
    // The built-in connectors are off: these tests are about the screens and routes, not those databases.
    config: { plugins: { folders: [EXAMPLE_CONNECTOR], disabled: ['interop-sltd', 'interop-national-lists'], config: { 'reader-simulator': { chip: false }, 'example.lost-documents': { listFile } } } },
    inlinePlugins: [
      {
        manifest: testManifest('test.sltd', { contributes: { connectors: ['test.sltd'] } }),
        definition: definePlugin({ id: 'test.sltd', deps: { connectors: extensionPoints.connectors }, init: ({ connectors }) => void connectors.add(testSltd) }),
      },
    ],
  });
  for (const [setting, value] of [['document', 'genuine-td3'], ['mrz', 'image'], ['printing', 'both']]) {
    const r = await host.app.inject({ method: 'PUT', url: `/api/devices/${DEVICE}/settings/${setting}`, payload: { value } });
    assert.is(r.statusCode, 200, r.body);
  }
  session = await startBrowserSession();
  page = session.page;
});

test.after(async () => {
  await session?.close();
  await host?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const lineOf = (connectorId: string) => inView(`#databases .line[data-connector="${connectorId}"]`);
const text = (selector: string) => page.$eval(selector, (el) => ((el as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim());

test('scan: the hit stands out with its record, the unreadable list is "not checked" with a Retry, the MRZ shows how OCR read it', async () => {
  await page.goto(host.url, { waitUntil: 'networkidle0' });
  await waitForDeep(page, inView('select[data-setting="document"]'));
  await page.keyboard.press('s');
  const verdict = await waitForVerdict(page, null, 30_000);
  assert.is(verdict.overall, 'fail');

  await waitForDeep(page, lineOf('test.sltd'));
  assert.is(await page.$eval(lineOf('test.sltd'), (el) => el.getAttribute('data-outcome')), 'hit');
  const hit = await text(lineOf('test.sltd'));
  for (const expected of ['Database hit: Test SLTD', 'Status STOLEN', 'Reporting country UTO', 'SLTD-UTO-2026-0042', 'Reported on', 'Mar 2, 2026', 'must be confirmed with the issuing country', 'Not yet recorded', '(5 hr old)']) {
    assert.ok(hit.includes(expected), `"${expected}" in ${hit}`);
  }
  // Hits come first in the list: they are what the officer acts on.
  const order = await page.$$eval(inView('#databases .line[data-connector]'), (els) => els.map((e) => e.getAttribute('data-connector')));
  assert.equal(order, ['test.sltd', 'example.lost-documents']);
  const notChecked = await text(lineOf('example.lost-documents'));
  assert.match(notChecked, /Not checked/);
  assert.match(notChecked, /could not be read/);
  assert.ok(await page.$(`${lineOf('example.lost-documents')} button.retry`), 'a Retry button');

  // The MRZ came from OCR: the band is cut from the white page where the engine found it.
  assert.match(await text(inView('#ocr-reading')), /OCR engine: ocr-mrz Confidence: \d+(\.\d)? %/);
  const crop = await page.$eval(`tessera-app >>> tessera-inspect-view >>> tessera-ocr-reading >>> #ocr-crop`, (el) => ({ kind: el.getAttribute('data-crop'), w: el.querySelector('img')?.naturalWidth ?? 0, h: el.getBoundingClientRect().height }));
  assert.ok(crop.kind === 'region' || crop.kind === 'engine', JSON.stringify(crop));
  assert.ok(crop.w > 500 && crop.h > 20 && crop.h < 200, `the crop is a band, loaded: ${JSON.stringify(crop)}`);
  await page.screenshot({ path: screenshotPath('tessera-ui-hit'), fullPage: true });
});

test('the light checks fail on the counterfeit print, and their evidence images show at a readable size', async () => {
  for (const id of ['light.ir-mrz-visible', 'light.uv-dull-paper']) {
    const line = inView(`.check[data-check="${id}"]`);
    assert.is(await page.$eval(`${line} [data-status]`, (el) => el.getAttribute('data-status')), 'fail', id);
    if (!(await page.$(`${line} .evidence`))) await page.click(line);
    const images = await page.$$eval(`${line} .evidence-image img`, (imgs) => imgs.map((i) => ({ natural: (i as HTMLImageElement).naturalWidth, shown: i.getBoundingClientRect().width, alt: i.getAttribute('alt') })));
    assert.ok(images.length >= 1, id);
    // Shown at their own size, not squeezed to a thumbnail: the IR band must be legible.
    assert.ok(images.every((i) => i.shown >= Math.min(i.natural, 600) - 1), JSON.stringify(images));
  }
  assert.match(await text(inView('.check[data-check="light.uv-dull-paper"] .evidence')), /paper brightness 0\.\d+ \(limit 0\.25\)/);
  await page.$eval(inView('.check[data-check="light.ir-mrz-visible"]'), (el) => el.scrollIntoView());
  await page.screenshot({ path: screenshotPath('tessera-ui-light-evidence') });
});

test('Retry queries the connector again once its list is readable: the line becomes "no hit"', async () => {
  await writeFile(listFile, JSON.stringify([{ documentNumber: 'X0000000', issuingState: 'UTO', status: 'lost' }]));
  await page.click(`${lineOf('example.lost-documents')} button.retry`);
  await page.waitForFunction(
    (sel) => {
      const view = document.querySelector('tessera-app')?.shadowRoot?.querySelector('tessera-inspect-view')?.shadowRoot;
      return view?.querySelector('tessera-interop-panel')?.shadowRoot?.querySelector(sel)?.getAttribute('data-outcome') === 'no_hit';
    },
    { timeout: 10_000 },
    '.line[data-connector="example.lost-documents"]',
  );
  assert.not.ok(await page.$(`${lineOf('example.lost-documents')} button.retry`), 'no Retry on a settled result');
});

test('keyboard: D reaches the hit, Enter opens the confirmation, the officer records "confirmed" with reference and note', async () => {
  await page.keyboard.press('d');
  const focused = await page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('data-connector') ?? null;
  });
  assert.is(focused, 'test.sltd');
  await page.keyboard.press('Enter');
  await waitForDeep(page, `${lineOf('test.sltd')} form`);
  // Focus is on the outcome (pending is preselected); the arrow keys move between the radio buttons.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  const outcome = await page.$eval(`${lineOf('test.sltd')} input[name="outcome"]:checked`, (el) => (el as HTMLInputElement).value);
  assert.is(outcome, 'confirmed');
  await page.keyboard.press('Tab');
  await page.keyboard.type('UTO-NCB-2026-0815');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Confirmed stolen by the UTO NCB; document retained.');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () => {
      const view = document.querySelector('tessera-app')?.shadowRoot?.querySelector('tessera-inspect-view')?.shadowRoot;
      return view?.querySelector('tessera-interop-panel')?.shadowRoot?.querySelector('#confirmation-test-sltd')?.getAttribute('data-confirmation') === 'confirmed';
    },
    { timeout: 10_000 },
  );
  const confirmation = await text(inView('#confirmation-test-sltd'));
  for (const expected of ['Confirmed — by officer.ui', 'UTO-NCB-2026-0815', 'document retained']) assert.ok(confirmation.includes(expected), `"${expected}" in ${confirmation}`);
  await page.$eval(inView('#databases'), (el) => el.scrollIntoView());
  await page.screenshot({ path: screenshotPath('tessera-ui-hit-confirmed') });
});

test('the PDF carries the OCR source, the hit with its record and the confirmation', async () => {
  await page.click(inView('#report'));
  const pdfPath = await waitForDownloadedPdf(session.downloads);
  const pdfText = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  await writeFile(path.join(SCREENSHOTS, 'tessera-hit-report.txt'), pdfText);
  for (const expected of [
    'read by OCR from the page image',
    'MRZ read by OCR',
    'OCR engine ocr-mrz',
    'Test SLTD',
    'Stolen',
    'SLTD-UTO-2026-0042',
    'Confirmation with the issuing country: Confirmed — by officer.ui',
    'document retained',
    'paper brightness',
  ]) {
    assert.ok(pdfText.includes(expected), `the PDF has "${expected}"`);
  }
  // A table cell may break the reference at a hyphen, which pdftotext then drops.
  assert.match(pdfText, /UTO-NCB-2026-?\s?0815/);
  execFileSync('pdftoppm', ['-png', '-r', '60', pdfPath, path.join(SCREENSHOTS, 'tessera-hit-report')]);
});

test('an ambiguous OCR reading is flagged at the top and its candidates are shown side by side, differences marked', async () => {
  const record = await page.evaluate(() => (document.querySelector('tessera-app')?.shadowRoot?.querySelector('tessera-inspect-view') as unknown as { record: unknown }).record);
  const used = (record as InspectionRecord).mrz!.lines;
  const alternative = [used[0]!, used[1]!.replace(/^UP48/, 'UP4B')];
  await page.evaluate(
    (alt) => {
      const view = document.querySelector('tessera-app')?.shadowRoot?.querySelector('tessera-inspect-view') as unknown as { record: { mrzOcr: Record<string, unknown> } };
      view.record = { ...view.record, mrzOcr: { ...view.record.mrzOcr, ambiguous: true, alternatives: [alt] } };
    },
    alternative,
  );
  await waitForDeep(page, inView('#ocr-warning'));
  assert.match(await text(inView('#ocr-warning')), /Ambiguous MRZ reading/);
  const ocr = 'tessera-app >>> tessera-inspect-view >>> tessera-ocr-reading >>> ';
  const marks = await page.$$eval(`${ocr}#ocr-candidates mark`, (els) => els.map((e) => e.textContent));
  assert.equal(marks, ['8', 'B'], 'the one differing character, in both readings');
  await page.$eval('tessera-app >>> tessera-inspect-view >>> tessera-ocr-reading', (el) => el.scrollIntoView());
  await page.screenshot({ path: screenshotPath('tessera-ui-ocr-ambiguous') });
});

test.run();
