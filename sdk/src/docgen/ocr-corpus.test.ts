// The OCR corpus: every format under every degradation the same number of times, reproducible,
// and each page's declared type and resolution true of its bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { isTesseraError } from '../errors.js';
import { DEGRADATIONS } from './degrade.js';
import { DOC_FORMATS } from './generate-documents.js';
import { generateOcrCorpus, type OcrCorpusPage } from './ocr-corpus.js';

async function collect(seed: number, perFormatAndDegradation: number): Promise<OcrCorpusPage[]> {
  const pages: OcrCorpusPage[] = [];
  for await (const page of generateOcrCorpus({ seed, perFormatAndDegradation })) pages.push(page);
  return pages;
}

test('one page per format and degradation, each declaring its true type and dpi', async () => {
  const pages = await collect(11, 1);
  assert.is(pages.length, DOC_FORMATS.length * DEGRADATIONS.length);
  const pairs = new Set(pages.map((p) => `${p.doc.format}/${p.degradation}`));
  assert.is(pairs.size, pages.length, 'no pair twice');
  assert.is(new Set(pages.map((p) => p.id)).size, pages.length, 'ids unique');
  for (const p of pages) {
    const meta = await sharp(p.image).metadata();
    assert.is(`image/${meta.format}`, p.mimeType, p.id);
    assert.is(meta.density, p.dpi, p.id);
    assert.is(p.dpi, p.degradation === 'scale-low' ? 150 : p.degradation === 'scale-high' ? 600 : 300, p.id);
    assert.ok(p.id.endsWith(p.degradation));
  }
});

test('the corpus is reproducible for a seed', async () => {
  const first: OcrCorpusPage[] = [];
  for await (const p of generateOcrCorpus({ seed: 3, perFormatAndDegradation: 1 })) {
    first.push(p);
    if (first.length === 6) break;
  }
  const again: OcrCorpusPage[] = [];
  for await (const p of generateOcrCorpus({ seed: 3, perFormatAndDegradation: 1 })) {
    again.push(p);
    if (again.length === 6) break;
  }
  assert.equal(again.map((p) => [p.id, p.params, p.doc.mrz]), first.map((p) => [p.id, p.params, p.doc.mrz]));
  assert.ok(again.every((p, i) => p.image.equals(first[i].image)));
});

test('a bad size is refused when iteration starts', async () => {
  try {
    await generateOcrCorpus({ seed: 1, perFormatAndDegradation: 2.5 }).next();
    assert.unreachable();
  } catch (error) {
    assert.ok(isTesseraError(error) && error.code === 'DOCGEN_OPTIONS_INVALID', String(error));
  }
});

test.run();
