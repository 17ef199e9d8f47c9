// Generated pages: the same bytes for the same document, the size the resolution implies, the MRZ
// where mrzRegion says it is (measured on the pixels), the lights behaving as the checks expect,
// and clear errors for absurd resolutions and a missing OCR-B font.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { isTesseraError } from '../errors.js';
import { assertOcrBFontInstalled } from './data-page.js';
import { DOC_FORMATS, generateDocuments } from './generate-documents.js';
import { renderDocumentPage } from './render-document-page.js';

const docs = generateDocuments({ seed: 9, count: DOC_FORMATS.length, invalidShare: 0 });
const PAGE_MM: Record<string, [number, number]> = { TD1: [85.6, 54], TD2: [105, 74], TD3: [125, 88], MRVA: [120, 80], MRVB: [105, 74] };

async function expectTesseraError(run: () => unknown, code: string, message: RegExp): Promise<void> {
  try {
    await run();
    assert.unreachable(`expected ${code}`);
  } catch (error) {
    assert.ok(isTesseraError(error), String(error));
    assert.is((error as { code: string }).code, code);
    assert.match((error as Error).message, message);
  }
}

test('rendering is deterministic: the same document gives the same bytes', async () => {
  const a = await renderDocumentPage(docs[2]);
  const b = await renderDocumentPage(docs[2]);
  assert.ok(a.png.equals(b.png));
  const other = await renderDocumentPage(docs[2], { light: 'uv' });
  assert.not.ok(a.png.equals(other.png));
});

test('each format renders at the size its millimetres and the dpi imply, recording the dpi', async () => {
  for (const doc of docs) {
    for (const dpi of [150, 300]) {
      const page = await renderDocumentPage(doc, { dpi });
      const [w, h] = PAGE_MM[doc.format];
      const meta = await sharp(page.png).metadata();
      assert.is(meta.width, page.width);
      assert.is(meta.height, page.height);
      assert.is(page.width, Math.round((w / 25.4) * dpi), `${doc.format} at ${dpi}`);
      assert.ok(Math.abs(page.height - (h / 25.4) * dpi) <= 1, `${doc.format} height at ${dpi}`);
      assert.is(meta.density, dpi);
    }
  }
});

test('mrzRegion holds the dark MRZ pixels of the bottom of the page, and they fill it', async () => {
  for (const doc of docs) {
    const page = await renderDocumentPage(doc);
    const { data, info } = await sharp(page.png).greyscale().raw().toBuffer({ resolveWithObject: true });
    const r = page.mrzRegion;
    // Everything below the top of the region is MRZ or paper: near-black pixels there are MRZ ink.
    let inside = 0;
    let outside = 0;
    let [minX, maxX, minY, maxY] = [Infinity, -1, Infinity, -1];
    for (let y = r.y; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        if (data[y * info.width + x] >= 80) continue;
        const within = x >= r.x && x < r.x + r.width && y < r.y + r.height;
        if (within) inside++;
        else outside++;
        [minX, maxX, minY, maxY] = [Math.min(minX, x), Math.max(maxX, x), Math.min(minY, y), Math.max(maxY, y)];
      }
    }
    assert.is(outside, 0, `${doc.format}: dark pixels outside the MRZ region`);
    assert.ok(inside > 2000, `${doc.format}: ${inside} dark pixels inside`);
    // A tight box: the ink reaches within a few pixels of each side.
    assert.ok(minX - r.x < 12 && r.x + r.width - maxX < 30, `${doc.format}: ink spans the region's width (${minX}–${maxX} in ${r.x}+${r.width})`);
    assert.ok(minY - r.y < 10 && r.y + r.height - maxY < 10, `${doc.format}: ink spans the region's height (${minY}–${maxY} in ${r.y}+${r.height})`);
  }
});

test('counterfeits: ordinary MRZ ink vanishes under IR, brightened paper glows under UV', async () => {
  const doc = docs[2];
  const darkestInRegion = async (png: Buffer, r: { x: number; y: number; width: number; height: number }) =>
    (await sharp(await sharp(png).extract({ left: r.x, top: r.y, width: r.width, height: r.height }).toBuffer()).stats()).channels[0].min;
  const genuineIr = await renderDocumentPage(doc, { light: 'ir' });
  const fakeIr = await renderDocumentPage(doc, { light: 'ir', counterfeit: { irTransparentMrz: true } });
  assert.is((await sharp(genuineIr.png).metadata()).channels, 1, 'IR is one grey band');
  assert.ok((await darkestInRegion(genuineIr.png, genuineIr.mrzRegion)) < 40, 'genuine MRZ dark in IR');
  assert.ok((await darkestInRegion(fakeIr.png, fakeIr.mrzRegion)) > 150, 'counterfeit MRZ gone in IR');
  const mean = async (png: Buffer) => (await sharp(png).stats()).channels.reduce((s, c) => s + c.mean, 0) / 3;
  const dull = await mean((await renderDocumentPage(doc, { light: 'uv' })).png);
  const glowing = await mean((await renderDocumentPage(doc, { light: 'uv', counterfeit: { brightenedPaper: true } })).png);
  assert.ok(dull < 50 && glowing > 150, `UV means: genuine ${dull}, brightened ${glowing}`);
});

test('absurd resolutions are refused before anything is drawn', async () => {
  await expectTesseraError(() => renderDocumentPage(docs[2], { dpi: 10_000 }), 'DOCGEN_PAGE_TOO_LARGE', /over the 20000 px limit/);
  await expectTesseraError(() => renderDocumentPage(docs[2], { dpi: 0 }), 'DOCGEN_OPTIONS_INVALID', /positive/);
  await expectTesseraError(() => renderDocumentPage(docs[2], { dpi: Number.NaN }), 'DOCGEN_OPTIONS_INVALID', /positive/);
  // Just inside the limit for TD1 (85.6 mm): 5900 dpi is 19 884 px wide — accepted, but not drawn here.
});

test('a missing OCR-B font is an error that says how to install it', async () => {
  await expectTesseraError(() => assertOcrBFontInstalled('/nonexistent/OCRB.otf'), 'DOCGEN_FONT_MISSING', /apt-get install fonts-ocr-b/);
  assertOcrBFontInstalled(); // the real one is installed on this machine (scripts/setup.mjs)
});

test.run();
