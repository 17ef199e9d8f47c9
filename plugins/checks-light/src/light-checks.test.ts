// The light checks on pages drawn by the SDK's document generator: genuine and counterfeit (IR-
// transparent MRZ ink, brightened paper), upright, askew and upside down; pages missing or broken;
// the IR MRZ compared with the white one through a scripted OCR. Then the plugin in a host with the
// reader simulator, whose "printing" setting makes any specimen a counterfeit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { parseMrz, type CheckResult, type DocumentCheck, type InspectionContext, type InspectionOcr, type LightSource, type MrzOcrResult, type PageImage, type ScanResult } from '@tessera/sdk';
import { generateDocuments, renderDocumentPage, type GeneratedDocument } from '@tessera/sdk/docgen';
import { startTestHost } from '@tessera/sdk/testing';
import { irMrzMatchCheck, irMrzVisibleCheck } from './ir-checks.js';
import { uvDullPaperCheck } from './uv-check.js';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));
const SIMULATOR_DIR = fileURLToPath(new URL('../../reader-simulator/', import.meta.url));
const REFERENCE_DATE = new Date('2026-01-15');
const [TD3, TD1] = generateDocuments({ seed: 41, count: 2, formats: ['TD3', 'TD1'], invalidShare: 0 });

type Counterfeit = { irTransparentMrz?: boolean; brightenedPaper?: boolean };

/** The reader's glass around a turned page: white under white light and IR, black under UV. */
const GLASS: Record<LightSource, string> = { white: '#ffffff', ir: '#ffffff', uv: '#000000' };

async function page(doc: GeneratedDocument, light: LightSource, counterfeit: Counterfeit = {}, turn = 0): Promise<PageImage> {
  const rendered = await renderDocumentPage(doc, { light, counterfeit });
  const png = turn ? await sharp(rendered.png).rotate(turn, { background: GLASS[light] }).png().toBuffer() : rendered.png;
  const { width, height } = await sharp(png).metadata();
  return { light, page: 'data-page', mediaType: 'image/png', data: new Uint8Array(png), width: width!, height: height! };
}

async function scanOf(doc: GeneratedDocument, options: { counterfeit?: Counterfeit; turn?: number; lights?: LightSource[] } = {}): Promise<ScanResult> {
  const lights = options.lights ?? ['white', 'ir', 'uv'];
  return { deviceId: 'test', capturedAt: REFERENCE_DATE.toISOString(), pages: await Promise.all(lights.map((l) => page(doc, l, options.counterfeit, options.turn))) };
}

function contextOf(scan: ScanResult, doc: GeneratedDocument | null, ocr?: InspectionOcr): InspectionContext {
  return {
    inspectionId: 'test',
    scan,
    mrz: doc ? parseMrz(doc.mrz, { referenceDate: REFERENCE_DATE }) : null,
    referenceDate: REFERENCE_DATE,
    bcp: null,
    signal: new AbortController().signal,
    ...(ocr ? { ocr } : {}),
  };
}

async function run(check: DocumentCheck, context: InspectionContext): Promise<Omit<CheckResult, 'checkId' | 'durationMs'>> {
  return check.run(context);
}

const field = (result: Omit<CheckResult, 'checkId' | 'durationMs'>, label: RegExp) =>
  result.evidence.find((e): e is Extract<typeof e, { kind: 'field' }> => e.kind === 'field' && label.test(e.label));

async function imageEvidence(result: Omit<CheckResult, 'checkId' | 'durationMs'>) {
  const image = result.evidence.find((e): e is Extract<typeof e, { kind: 'image' }> => e.kind === 'image');
  assert.ok(image, 'an evidence image');
  const meta = await sharp(image.data).metadata();
  return { image, meta };
}

test('genuine TD3: the MRZ stays dark under IR and the paper dull under UV; evidence crops decode', async () => {
  const context = contextOf(await scanOf(TD3!), TD3!);
  const visible = await run(irMrzVisibleCheck, context);
  assert.is(visible.status, 'pass', visible.summary);
  assert.ok(Number(field(visible, /relative to white/)!.value) > 0.9);
  const band = await imageEvidence(visible);
  assert.is(band.image.mediaType, 'image/png');
  // White band above IR band: wider than tall, at most 880 px wide.
  assert.ok(band.meta.width! <= 880 && band.meta.width! > 3 * band.meta.height!, `${band.meta.width}×${band.meta.height}`);

  const uv = await run(uvDullPaperCheck, context);
  assert.is(uv.status, 'pass', uv.summary);
  assert.ok(Number(field(uv, /brightness/)!.value) < 0.05);
  const thumbnail = await imageEvidence(uv);
  assert.is(thumbnail.meta.format, 'jpeg');
  assert.is(thumbnail.meta.width, 360);
  assert.match(thumbnail.image.label, /paper brightness 0\.0\d \(limit 0\.25\)/);
});

test('counterfeit TD3: MRZ ink that vanishes in IR fails, brightened paper fails, each with its finding', async () => {
  const context = contextOf(await scanOf(TD3!, { counterfeit: { irTransparentMrz: true, brightenedPaper: true } }), TD3!);
  const visible = await run(irMrzVisibleCheck, context);
  assert.is(visible.status, 'fail');
  assert.is(visible.findings[0]!.code, 'LIGHT_IR_MRZ_MISSING');
  assert.ok(Number(field(visible, /relative to white/)!.value) < 0.1);
  await imageEvidence(visible);
  const uv = await run(uvDullPaperCheck, context);
  assert.is(uv.status, 'fail');
  assert.is(uv.findings[0]!.code, 'LIGHT_UV_PAPER_BRIGHT');
  assert.ok(Number(field(uv, /brightness/)!.value) > 0.5);
});

test('each counterfeit trait is caught on its own: brightened paper with a genuine MRZ, and the reverse', async () => {
  const paperOnly = contextOf(await scanOf(TD1!, { counterfeit: { brightenedPaper: true } }), TD1!);
  assert.is((await run(irMrzVisibleCheck, paperOnly)).status, 'pass');
  assert.is((await run(uvDullPaperCheck, paperOnly)).status, 'fail');
  const inkOnly = contextOf(await scanOf(TD1!, { counterfeit: { irTransparentMrz: true } }), TD1!);
  assert.is((await run(irMrzVisibleCheck, inkOnly)).status, 'fail');
  assert.is((await run(uvDullPaperCheck, inkOnly)).status, 'pass');
});

for (const turn of [-9, 7, 181]) {
  test(`a document lying ${turn > 90 ? 'upside down' : `askew by ${turn}°`}: the band is still found, upright in the evidence`, async () => {
    const genuine = await run(irMrzVisibleCheck, contextOf(await scanOf(TD1!, { turn, lights: ['white', 'ir'] }), TD1!));
    assert.is(genuine.status, 'pass', genuine.summary);
    const source = genuine.evidence.find((e) => e.kind === 'text' && e.label === 'MRZ band from');
    assert.match(source && 'text' in source ? source.text : '', turn > 90 ? /upside down, askew by/ : /askew by/);
    const fake = await run(irMrzVisibleCheck, contextOf(await scanOf(TD1!, { turn, lights: ['white', 'ir'], counterfeit: { irTransparentMrz: true } }), TD1!));
    assert.is(fake.status, 'fail', fake.summary);
  });
}

test('the region a reader reports is used as it is, and a page imaged at another resolution is scaled to the white one', async () => {
  const rendered = await renderDocumentPage(TD3!, { light: 'white' });
  const scan = await scanOf(TD3!, { lights: ['white', 'ir'] });
  const white = scan.pages[0]!;
  const { x, y, width, height } = rendered.mrzRegion;
  white.regions = [{ role: 'mrz', left: x, top: y, width, height }];
  const ir = scan.pages[1]!;
  const halfIr = await sharp(ir.data).resize({ width: Math.round(ir.width / 2) }).png().toBuffer();
  scan.pages[1] = { ...ir, data: new Uint8Array(halfIr), width: Math.round(ir.width / 2), height: (await sharp(halfIr).metadata()).height! };
  const result = await run(irMrzVisibleCheck, contextOf(scan, TD3!));
  assert.is(result.status, 'pass', result.summary);
  const source = result.evidence.find((e) => e.kind === 'text' && e.label === 'MRZ band from');
  assert.match(source && 'text' in source ? source.text : '', /reader reported/);
});

test('no IR or UV image: not checked, saying which light is missing', async () => {
  const context = contextOf(await scanOf(TD3!, { lights: ['white'] }), TD3!);
  for (const check of [irMrzVisibleCheck, irMrzMatchCheck]) {
    const result = await run(check, context);
    assert.is(result.status, 'not_checked');
    assert.match(result.summary, /no infrared image/);
  }
  const uv = await run(uvDullPaperCheck, context);
  assert.is(uv.status, 'not_checked');
  assert.match(uv.summary, /no ultraviolet image/);
});

test('a white page without an MRZ: the IR check is not checked rather than guessing a band', async () => {
  const blank = await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#f4f4f0' } }).png().toBuffer();
  const pageOf = (light: LightSource): PageImage => ({ light, page: 'data-page', mediaType: 'image/png', data: new Uint8Array(blank), width: 1000, height: 700 });
  const result = await run(irMrzVisibleCheck, contextOf({ deviceId: 'test', capturedAt: '', pages: [pageOf('white'), pageOf('ir')] }, null));
  assert.is(result.status, 'not_checked');
  assert.match(result.summary, /No MRZ could be found/);
});

/** A PNG whose header claims 20000×20000 pixels: refused from the header, before any decoding. */
function hugePngHeader(): Uint8Array {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64');
  png.writeUInt32BE(20000, 16);
  png.writeUInt32BE(20000, 20);
  return new Uint8Array(png);
}

test('broken images are an error result naming the page, not a crash: not an image, truncated, 20000×20000', async () => {
  const good = await scanOf(TD1!);
  const truncated = good.pages[1]!.data.subarray(0, good.pages[1]!.data.length >> 1);
  const broken: Array<[string, Uint8Array]> = [['not an image', new TextEncoder().encode('%PDF-1.7 this is no picture')], ['truncated', truncated], ['huge', hugePngHeader()]];
  for (const [what, data] of broken) {
    const scan: ScanResult = { ...good, pages: good.pages.map((p) => (p.light === 'white' ? p : { ...p, data })) };
    const started = Date.now();
    for (const [check, light] of [[irMrzVisibleCheck, 'infrared'], [uvDullPaperCheck, 'ultraviolet']] as const) {
      const result = await run(check, contextOf(scan, TD1!));
      assert.is(result.status, 'error', `${what}: ${check.id} → ${result.status}`);
      assert.is(result.findings[0]!.code, 'LIGHT_IMAGE_UNREADABLE');
      assert.match(result.summary, new RegExp(`The ${light} image of the data-page could not be decoded`));
    }
    assert.ok(Date.now() - started < 3000, `${what} is refused quickly`);
  }
});

/** An OCR engine stand-in: the MRZ it "reads" on each light. */
function scriptedOcr(readings: Partial<Record<LightSource, MrzOcrResult>>): InspectionOcr {
  return { engineId: 'scripted', recognize: async (p) => readings[p.light] ?? { lines: [], confidence: 0 } };
}

test('IR MRZ against the white MRZ: same → pass; one character off → warning; another text → fail; unreadable → fail', async () => {
  const scan = await scanOf(TD3!, { lights: ['white', 'ir'] });
  const lines = TD3!.mrz;
  const oneOff = [lines[0]!, lines[1]!.slice(0, 3) + (lines[1]![3] === 'X' ? 'Y' : 'X') + lines[1]!.slice(4)];
  const other = generateDocuments({ seed: 99, count: 1, formats: ['TD3'], invalidShare: 0 })[0]!.mrz;
  const cases: Array<[string, MrzOcrResult, CheckResult['status'], string | null]> = [
    ['same', { lines, confidence: 0.98 }, 'pass', null],
    ['ambiguous, white reading among the candidates', { lines: oneOff, confidence: 0.6, alternatives: [oneOff, lines] }, 'pass', null],
    ['one character off', { lines: oneOff, confidence: 0.9 }, 'warning', 'LIGHT_IR_MRZ_DIFFERS'],
    ['another document', { lines: other, confidence: 0.97 }, 'fail', 'LIGHT_IR_MRZ_DIFFERS'],
    ['nothing readable', { lines: [], confidence: 0 }, 'fail', 'LIGHT_IR_MRZ_UNREADABLE'],
  ];
  for (const [what, ir, status, code] of cases) {
    const result = await run(irMrzMatchCheck, contextOf(scan, TD3!, scriptedOcr({ ir })));
    assert.is(result.status, status, `${what}: ${result.summary}`);
    assert.is(result.findings[0]?.code ?? null, code, what);
    assert.ok(result.evidence.some((e) => e.kind === 'image'), `${what}: band images`);
  }
  const oneOffResult = await run(irMrzMatchCheck, contextOf(scan, TD3!, scriptedOcr({ ir: { lines: oneOff, confidence: 0.9 } })));
  assert.match(oneOffResult.findings[0]!.message, /line 2, column 4/);
});

test('IR MRZ match: not applicable on a workstation without OCR; not checked without a white MRZ', async () => {
  const scan = await scanOf(TD3!, { lights: ['white', 'ir'] });
  const noEngine = await run(irMrzMatchCheck, contextOf(scan, TD3!));
  assert.is(noEngine.status, 'not_applicable');
  assert.match(noEngine.summary, /No MRZ OCR engine is installed/);
  const noMrz = await run(irMrzMatchCheck, contextOf(scan, null, scriptedOcr({})));
  assert.is(noMrz.status, 'not_checked');
  assert.match(noMrz.summary, /No MRZ was read under white light/);
});

test('in a host with the reader simulator: a genuine specimen passes, the same printed as a counterfeit fails', async () => {
  const host = await startTestHost({
    pluginFolders: [PLUGIN_DIR, SIMULATOR_DIR],
    config: { plugins: { config: { 'reader-simulator': { chip: false } } } },
  });
  try {
    assert.is(host.plugin('checks-light').state, 'started');
    const byId = (record: { checks: Array<{ checkId: string; status: string }> }) => Object.fromEntries(record.checks.map((c) => [c.checkId, c.status]));
    const genuine = byId(await host.kernel.inspections.scan({ deviceId: 'simulator:fpr-1', actor: 'test' }));
    assert.is(genuine['light.ir-mrz-visible'], 'pass');
    assert.is(genuine['light.uv-dull-paper'], 'pass');
    const driver = host.kernel.registry.get('readers', 'simulator')!.item;
    await driver.changeSetting!('simulator:fpr-1', 'printing', 'both');
    const record = await host.kernel.inspections.scan({ deviceId: 'simulator:fpr-1', actor: 'test' });
    const fake = byId(record);
    assert.is(fake['light.ir-mrz-visible'], 'fail');
    assert.is(fake['light.uv-dull-paper'], 'fail');
    assert.is(record.overall, 'fail');
    // Evidence images reach the record as data: URLs, for the UI and the report.
    const visible = record.checks.find((c) => c.checkId === 'light.ir-mrz-visible')!;
    assert.ok(visible.evidence.some((e) => e.kind === 'image' && e.dataUrl.startsWith('data:image/png;base64,')));
  } finally {
    await host.stop();
  }
});

test.run();
