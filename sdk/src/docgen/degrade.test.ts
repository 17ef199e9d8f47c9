// Degradations: each one changes the page, deterministically for a seed, with parameters inside
// the documented ranges — and the change it makes is the one its name promises, measured on pixels.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { isTesseraError } from '../errors.js';
import { DEGRADATIONS, DEGRADATION_RANGES as R, degrade, type Degradation } from './degrade.js';
import { generateDocuments } from './generate-documents.js';
import { renderDocumentPage } from './render-document-page.js';

const [doc] = generateDocuments({ seed: 4, count: 1, formats: ['TD3'] });
const page = await renderDocumentPage(doc);
const SEEDS = [1, 2, 3];

const within = (v: unknown, range: { min: number; max: number }) => typeof v === 'number' && v >= range.min - 1e-9 && v <= range.max + 1e-9;

/** Statistics of the grey image (stats() reads sharp's input, so the grey version is materialised first). */
async function greyStats(image: Buffer) {
  const { channels } = await sharp(await sharp(image).greyscale().png().toBuffer()).stats();
  return channels[0];
}

test('every degradation is seeded: same seed same bytes, another seed other parameters', async () => {
  for (const kind of DEGRADATIONS) {
    const a = await degrade(page.png, kind, { seed: 7 });
    const b = await degrade(page.png, kind, { seed: 7 });
    assert.ok(a.image.equals(b.image), kind);
    assert.equal(a.params, b.params, kind);
    if (kind === 'clean' || kind === 'scale-low' || kind === 'scale-high') continue; // fixed by definition
    const c = await degrade(page.png, kind, { seed: 8 });
    assert.not.equal(c.params, a.params, kind);
  }
});

test('every degradation but clean changes the image; clean returns it untouched', async () => {
  for (const kind of DEGRADATIONS) {
    const out = await degrade(page.png, kind, { seed: 3 });
    if (kind === 'clean') {
      assert.ok(out.image.equals(page.png));
      continue;
    }
    const [a, b] = await Promise.all([sharp(page.png).raw().toBuffer(), sharp(out.image).raw().toBuffer()]);
    assert.ok(a.length !== b.length || !a.equals(b), `${kind} changed the pixels`);
  }
});

test('parameters stay inside the documented ranges', async () => {
  const check: Record<Degradation, (p: Record<string, number | string>) => boolean> = {
    clean: (p) => Object.keys(p).length === 0,
    rotation: (p) => within(Math.abs(p.angleDeg as number), R.rotationDeg),
    'upside-down': (p) => within((p.angleDeg as number) - 180, R.upsideDownJitterDeg),
    'scale-low': (p) => p.dpi === R.scaleLowDpi && p.factor === 0.5,
    'scale-high': (p) => p.dpi === R.scaleHighDpi && p.factor === 2,
    'low-contrast': (p) => within(p.spread, R.lowContrastSpread) && within(p.paper, R.lowContrastPaper),
    noise: (p) => within(p.sigma, R.noiseSigma),
    blur: (p) => within(p.sigma, R.blurSigma300),
    perspective: (p) => within(p.keystone, R.keystone) && ['top', 'bottom', 'left', 'right'].includes(p.narrowEdge as string),
    jpeg: (p) => within(p.quality, R.jpegQuality) && Number.isInteger(p.quality),
    glare: (p) => within(p.opacity, R.glareOpacity) && within((p.rx as number) / page.width, { min: R.glareRadius.min - 0.001, max: R.glareRadius.max + 0.001 }),
  };
  for (const kind of DEGRADATIONS) {
    // The fixed-parameter kinds need one look; the drawn ones one per seed.
    for (const seed of kind === 'clean' || kind.startsWith('scale-') ? [1] : SEEDS) {
      const { params } = await degrade(page.png, kind, { seed });
      assert.ok(check[kind](params), `${kind} seed ${seed}: ${JSON.stringify(params)}`);
    }
  }
  const signs = new Set<number>();
  for (const seed of [1, 2, 3, 4, 5, 6]) signs.add(Math.sign((await degrade(page.png, 'rotation', { seed })).params.angleDeg as number));
  assert.equal(signs, new Set([-1, 1]), 'rotations both ways');
});

test('geometry: rotation grows the canvas, scaling follows the dpi, perspective keeps the size', async () => {
  const size = async (image: Buffer) => {
    const m = await sharp(image).metadata();
    return [m.width ?? 0, m.height ?? 0, m.density ?? 0];
  };
  const rotated = await size((await degrade(page.png, 'rotation', { seed: 1 })).image);
  assert.ok(rotated[0] > page.width && rotated[1] > page.height, `rotated ${rotated}`);
  assert.equal(await size((await degrade(page.png, 'scale-low', { seed: 1 })).image), [Math.round(page.width / 2), Math.round(page.height / 2), 150]);
  assert.equal((await size((await degrade(page.png, 'scale-high', { seed: 1 })).image)).slice(0, 1), [page.width * 2]);
  assert.equal(await size((await degrade(page.png, 'perspective', { seed: 1 })).image), [page.width, page.height, 300]);
});

test('upside-down puts the MRZ at the top', async () => {
  const out = await degrade(page.png, 'upside-down', { seed: 2 });
  const { width, height } = (await sharp(out.image).metadata()) as { width: number; height: number };
  const band = async (top: number) => greyStats(await sharp(out.image).extract({ left: 0, top, width, height: Math.round(height * 0.2) }).toBuffer());
  const topBand = await band(Math.round(height * 0.02));
  const original = await greyStats(await sharp(page.png).extract({ left: 0, top: page.mrzRegion.y, width: page.width, height: page.mrzRegion.height }).toBuffer());
  assert.ok(topBand.min < 60 && original.min < 60, 'dark MRZ ink at the top of the turned page');
  assert.ok((await band(Math.round(height * 0.78))).min > topBand.min, 'the bottom now holds the lighter header');
});

test('low contrast brings ink and paper within 35% of the range of each other', async () => {
  for (const seed of SEEDS) {
    const out = await degrade(page.png, 'low-contrast', { seed });
    const s = await greyStats(out.image);
    assert.ok(s.max - s.min <= 0.35 * 255 + 1, `seed ${seed}: grey levels ${s.min}–${s.max}`);
    const before = await greyStats(page.png);
    assert.ok(before.max - before.min > 200);
  }
});

test('noise adds spread on flat paper, blur removes it at edges, jpeg is a JPEG of the chosen quality', async () => {
  // A flat, ink-free strip of the MRZ zone's margin.
  const strip = { left: 4, top: page.height - 12, width: 200, height: 8 };
  const flat = async (image: Buffer) => greyStats(await sharp(image).extract(strip).toBuffer());
  const noisy = await degrade(page.png, 'noise', { seed: 4 });
  const noiseStdev = (await flat(noisy.image)).stdev;
  const cleanStdev = (await flat(page.png)).stdev;
  assert.ok(noiseStdev > cleanStdev + (noisy.params.sigma as number) * 0.5, `noise stdev ${noiseStdev} vs clean ${cleanStdev}, sigma ${noisy.params.sigma}`);
  // Edge energy: the mean response of a Laplacian (stats() reads sharp's input, so the filtered image is materialised first).
  const sharpness = async (image: Buffer) => {
    const filtered = await sharp(image).greyscale().convolve({ width: 3, height: 3, kernel: [0, -1, 0, -1, 4, -1, 0, -1, 0] }).png().toBuffer();
    return (await sharp(filtered).stats()).channels[0].mean;
  };
  assert.ok((await sharpness((await degrade(page.png, 'blur', { seed: 4 })).image)) < (await sharpness(page.png)) * 0.8, 'blur softens edges');
  const jpeg = await degrade(page.png, 'jpeg', { seed: 4 });
  assert.is(jpeg.mimeType, 'image/jpeg');
  assert.equal([...jpeg.image.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  assert.is((await sharp(jpeg.image).metadata()).format, 'jpeg');
});

test('glare brightens an elliptical patch around its centre and leaves the rest alone', async () => {
  const out = await degrade(page.png, 'glare', { seed: 6 });
  const { cx, cy } = out.params as { cx: number; cy: number };
  const at = async (image: Buffer, x: number, y: number) => greyStats(await sharp(image).extract({ left: Math.max(0, Math.min(page.width - 20, x - 10)), top: Math.max(0, Math.min(page.height - 20, y - 10)), width: 20, height: 20 }).toBuffer());
  const before = await at(page.png, cx, cy);
  const after = await at(out.image, cx, cy);
  assert.ok(after.mean > before.mean + 0.3 * (255 - before.mean), `centre ${before.mean} → ${after.mean}`);
  const far = { x: cx < page.width / 2 ? page.width - 15 : 15, y: cy < page.height / 2 ? page.height - 15 : 15 };
  assert.ok(Math.abs((await at(out.image, far.x, far.y)).mean - (await at(page.png, far.x, far.y)).mean) < 1, 'far corner untouched');
});

test('a grey IR page stays one channel through the degradations', async () => {
  const ir = await renderDocumentPage(doc, { light: 'ir' });
  for (const kind of ['noise', 'perspective', 'rotation'] as const) {
    const out = await degrade(ir.png, kind, { seed: 1 });
    assert.is((await sharp(out.image).metadata()).channels, 1, kind);
  }
});

test('bad input: an unknown kind and bytes that are no image get DOCGEN_OPTIONS_INVALID', async () => {
  for (const run of [() => degrade(page.png, 'smudge' as Degradation, { seed: 1 }), () => degrade(Buffer.from('not an image'), 'blur', { seed: 1 })]) {
    try {
      await run();
      assert.unreachable();
    } catch (error) {
      assert.ok(isTesseraError(error) && error.code === 'DOCGEN_OPTIONS_INVALID', String(error));
    }
  }
});

test.run();
