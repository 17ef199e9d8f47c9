// The engine on the real-world images the project has (ICAO specimens photographed/scanned, in
// ../shared/data/images; never copied into the repository): each must read exactly as printed,
// against the MRZ read by eye from the image (real-specimens.ts). Their font is not OCR-B, so the
// templates are less sure of them than of generated pages — what matters is that nothing is guessed.
import { readFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMrz } from '@tessera/sdk';
import { createMrzOcrEngine } from './mrz-ocr-engine.js';
import { REAL_SPECIMENS } from './real-specimens.js';

const IMAGES = new URL('../../../../shared/data/images/', import.meta.url);
const handle = createMrzOcrEngine({ workers: 1, timeoutMs: 20_000 });

test.after(() => handle.close());

test('the recorded ground truth is itself a valid MRZ of the stated format', () => {
  for (const specimen of REAL_SPECIMENS) {
    const parsed = parseMrz([...specimen.mrz]);
    assert.is(parsed.format, specimen.format, specimen.file);
    assert.is(parsed.valid, true, specimen.file);
  }
});

for (const specimen of REAL_SPECIMENS) {
  test(`${specimen.file}: the ${specimen.format} MRZ reads exactly as printed, valid, not ambiguous`, async () => {
    const result = await handle.read(await readFile(new URL(specimen.file, IMAGES)));
    assert.equal(result.lines, [...specimen.mrz], result.reason);
    assert.is(result.valid, true);
    assert.is(result.ambiguous, false);
    assert.is(result.format, specimen.format);
    assert.is(result.orientation, 0);
  });
}

test.run();
