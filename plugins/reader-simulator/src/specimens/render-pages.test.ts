// The page images must be real PNGs of the declared size, and each light must show what a reader
// under that light would show — measured on the pixels, since the inspection checks do the same.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import type { PageImage } from '@tessera/sdk';
import { specimenCatalogue, type SpecimenDocument } from './specimen-catalogue.js';
import { pageGeometry, renderSpecimenPage, renderSpecimenPages, specimenPageSvg } from './render-pages.js';

const catalogue = specimenCatalogue(new Date('2025-06-01T00:00:00Z'));
const doc = (id: string) => catalogue.find((d) => d.id === id)!;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Mean brightness over all channels, 0–255. */
async function meanOf(image: PageImage, region?: { left: number; top: number; width: number; height: number }): Promise<number> {
  // stats() describes sharp's input, so a crop has to be materialised first.
  const input = region ? await sharp(image.data).extract(region).toBuffer() : image.data;
  const stats = await sharp(input).stats();
  return stats.channels.reduce((sum, c) => sum + c.mean, 0) / stats.channels.length;
}

async function cropStats(image: PageImage, region: { left: number; top: number; width: number; height: number }) {
  return sharp(await sharp(image.data).extract(region).toBuffer()).stats();
}

const cache = new Map<string, PageImage>();
async function page(id: string, light: 'white' | 'ir' | 'uv'): Promise<PageImage> {
  const key = `${id}|${light}`;
  if (!cache.has(key)) cache.set(key, await renderSpecimenPage(doc(id), light));
  return cache.get(key)!;
}

test('every specimen renders a PNG of the declared size for each light', async () => {
  for (const d of catalogue) {
    const pages = await renderSpecimenPages(d);
    assert.equal(pages.map((p) => p.light), ['white', 'ir', 'uv'], d.id);
    for (const p of pages) {
      assert.is(p.page, 'data-page');
      assert.is(p.mediaType, 'image/png');
      assert.equal([...p.data.subarray(0, 8)], PNG_SIGNATURE, `${d.id} ${p.light}`);
      const meta = await sharp(p.data).metadata();
      assert.is(meta.format, 'png');
      assert.is(meta.width, p.width, `${d.id} ${p.light} width`);
      assert.is(meta.height, p.height, `${d.id} ${p.light} height`);
      assert.is(meta.density, p.dpi, `${d.id} ${p.light} dpi`);
      // An IR camera delivers one grey channel; white and UV are colour.
      assert.is(meta.channels, p.light === 'ir' ? 1 : 3, `${d.id} ${p.light} channels`);
    }
  }
});

test('pages keep the ICAO aspect ratio and the requested width; dpi follows', () => {
  const cases: Array<[SpecimenDocument['format'], number, number]> = [['TD1', 85.6, 54], ['TD2', 105, 74], ['TD3', 125, 88], ['MRVA', 120, 80], ['MRVB', 105, 74]];
  for (const [format, w, h] of cases) {
    const g = pageGeometry(format);
    assert.is(g.width, 1250);
    assert.ok(Math.abs(g.height - (1250 * h) / w) <= 0.5, format);
    assert.is(g.dpi, Math.round((1250 / w) * 25.4));
    assert.ok(g.mrzBand.left >= 0 && g.mrzBand.left + g.mrzBand.width <= g.width, `${format} MRZ inside horizontally`);
    assert.ok(g.mrzBand.top > g.height / 2 && g.mrzBand.top + g.mrzBand.height <= g.height, `${format} MRZ at the bottom`);
  }
  assert.is(pageGeometry('TD3', 2500).dpi, 508);
});

test('options select lights and width', async () => {
  const pages = await renderSpecimenPages(doc('genuine-td1'), { lights: ['uv'], widthPx: 600 });
  assert.is(pages.length, 1);
  assert.is(pages[0].light, 'uv');
  assert.is(pages[0].width, 600);
  assert.is((await sharp(pages[0].data).metadata()).width, 600);
  try {
    await renderSpecimenPages(doc('genuine-td1'), { widthPx: 12.5 });
    assert.unreachable('a fractional width must be refused');
  } catch (error) {
    assert.instance(error, RangeError);
  }
});

test('the MRZ is drawn in OCR-B at 2.54 mm per character, names are XML-escaped', () => {
  const svg = specimenPageSvg(doc('genuine-mrva'), 'white');
  assert.match(svg, /font-family="'OCR B'/);
  const xs = /<text x="([\d. ]+)"[^>]*font-family="'OCR B'/.exec(svg)![1].split(' ').map(Number);
  assert.is(xs.length, 44);
  assert.ok(Math.abs(xs[1] - xs[0] - 2.54) < 0.011);
  assert.ok(svg.includes('V&lt;UTOOSULLIVAN&lt;&lt;LIAM'));
  assert.ok(svg.includes('O&apos;SULLIVAN') || svg.includes("O'SULLIVAN"));
});

test('white light: a light page with dark print', async () => {
  const white = await page('genuine-td3', 'white');
  const stats = await sharp(white.data).stats();
  const mean = await meanOf(white);
  assert.ok(mean > 190, `white page mean ${mean}`);
  assert.ok(stats.channels.every((c) => c.min < 40), 'dark print present');
  const geo = pageGeometry('TD3');
  const band = await meanOf(white, geo.mrzBand);
  assert.ok(band < mean - 10, `MRZ band ${band} vs page ${mean} in white light`);
});

test('UV: genuine paper stays dull, the counterfeit glows', async () => {
  const genuine = await meanOf(await page('genuine-td3', 'uv'));
  const counterfeit = await meanOf(await page('counterfeit-light-td3', 'uv'));
  assert.ok(genuine < 50, `genuine UV mean ${genuine}`);
  assert.ok(counterfeit > 150, `counterfeit UV mean ${counterfeit}`);
  // Fluorescent fibres and print: some bright pixels on the dull genuine page.
  const stats = await sharp((await page('genuine-td3', 'uv')).data).stats();
  assert.ok(stats.channels.some((c) => c.max > 200), 'fluorescent features present');
  // The page is blue-dominated under the lamp in both cases.
  const blueish = await sharp((await page('counterfeit-light-td3', 'uv')).data).stats();
  assert.ok(blueish.channels[2].mean > blueish.channels[0].mean);
});

test('IR: the genuine MRZ stays dark, the counterfeit MRZ fades, the background vanishes', async () => {
  const geo = pageGeometry('TD3');
  const genuine = await page('genuine-td3', 'ir');
  const counterfeit = await page('counterfeit-light-td3', 'ir');
  const gPage = await meanOf(genuine);
  const gBand = await meanOf(genuine, geo.mrzBand);
  const cPage = await meanOf(counterfeit);
  const cBand = await meanOf(counterfeit, geo.mrzBand);
  assert.ok(gBand < gPage - 10, `genuine MRZ band ${gBand} vs page ${gPage}`);
  assert.ok(cBand > cPage - 3, `counterfeit MRZ band ${cBand} vs page ${cPage}`);
  // The MRZ characters themselves are near black on the genuine page.
  const gMin = (await cropStats(genuine, geo.mrzBand)).channels[0].min;
  const cMin = (await cropStats(counterfeit, geo.mrzBand)).channels[0].min;
  assert.ok(gMin < 40 && cMin > 150, `darkest MRZ pixel: genuine ${gMin}, counterfeit ${cMin}`);
  // Guilloche gone: a strip of visual zone between text lines is flat under IR, not under white.
  const strip = { left: Math.round(geo.width * 0.75), top: Math.round(geo.height * 0.3), width: Math.round(geo.width * 0.2), height: 20 };
  const irStrip = (await cropStats(genuine, strip)).channels[0].stdev;
  const whiteStrip = (await cropStats(await page('genuine-td3', 'white'), strip)).channels[0].stdev;
  assert.ok(irStrip < 1 && whiteStrip > 3, `background stdev IR ${irStrip}, white ${whiteStrip}`);
});

test('IR: the portrait stays dark', async () => {
  const ir = await page('genuine-td3', 'ir');
  const geo = pageGeometry('TD3');
  const scale = geo.width / geo.widthMm;
  const photo = { left: Math.round(8 * scale), top: Math.round(40 * scale), width: Math.round(25 * scale), height: Math.round(12 * scale) };
  assert.ok((await meanOf(ir, photo)) < 80, 'portrait region dark in IR');
});

test('the reported portrait region frames the printed photo (its background colour fills the corners)', async () => {
  for (const id of ['genuine-td3', ...catalogue.filter((d) => d.format === 'TD1').slice(0, 1).map((d) => d.id)]) {
    const white = await page(id, 'white');
    const box = white.regions?.find((r) => r.role === 'portrait');
    assert.ok(box, `${id}: portrait region reported`);
    assert.ok(box!.left + box!.width <= white.width && box!.top + box!.height <= white.height, `${id}: region inside the page`);
    // The photo's flat background (#d8e0e8) sits in the portrait's top corners, 3 px in from the box edges.
    for (const left of [box!.left + 3, box!.left + box!.width - 9]) {
      const corner = await cropStats(white, { left, top: box!.top + 3, width: 6, height: 6 });
      assert.equal(corner.channels.slice(0, 3).map((c) => Math.round(c.mean)), [0xd8, 0xe0, 0xe8], `${id} corner at x=${left}`);
    }
  }
});

test.run();
