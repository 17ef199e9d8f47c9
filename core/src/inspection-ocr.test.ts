// The OCR fallback of the pipeline with a scripted engine: what the record keeps of an OCR reading
// (engine, confidence, ambiguity, region, crop), and the per-inspection OCR offered to checks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin, extensionPoints, type DocumentCheck, type MrzOcrEngine, type MrzOcrResult, type ReaderDriver, type ScanResult } from '@tessera/sdk';
import { startTestHost, testManifest } from '@tessera/sdk/testing';

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64'));
const MRZ = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
// A second reading with the O/0 confusion OCR makes in the document number, as an engine offers a candidate it cannot rule out.
const ALTERNATIVE = [MRZ[0]!, 'L8989O2C36UTO7408122F1204159ZE184226B<<<<<10'];

let deviceMrz: string[] | null = null;
let reading: MrzOcrResult = { lines: MRZ, confidence: 0.97, region: { x: 10, y: 80, width: 900, height: 90 }, crop: { mediaType: 'image/png', data: PNG } };
const recognised: string[] = [];

const reader: ReaderDriver = {
  id: 'imaging',
  displayName: 'Imaging-only reader',
  listDevices: async () => [{ id: 'imaging:1', vendor: 'Test', model: 'Imager', capabilities: { lights: ['white', 'ir'], mrz: false, chip: false }, status: 'ready' }],
  scan: async (deviceId): Promise<ScanResult> => ({
    deviceId,
    capturedAt: new Date().toISOString(),
    pages: [
      { light: 'white', page: 'data-page', mediaType: 'image/png', data: PNG, width: 1, height: 1 },
      { light: 'ir', page: 'data-page', mediaType: 'image/png', data: PNG, width: 1, height: 1 },
    ],
    ...(deviceMrz ? { mrz: { lines: deviceMrz, source: 'device-ocr' as const } } : {}),
  }),
};
const engine: MrzOcrEngine = {
  id: 'scripted-ocr',
  displayName: 'Scripted OCR',
  recognize: async (page) => {
    recognised.push(page.light);
    return reading;
  },
};
// Two checks asking for the same pages: the engine must still see each page once.
const askingCheck = (id: string): DocumentCheck => ({
  id,
  title: id,
  category: 'light',
  async run({ ocr, scan }) {
    if (!ocr) return { status: 'not_checked', summary: 'no OCR', findings: [], evidence: [] };
    const [white, ir] = await Promise.all(scan.pages.map((p) => ocr.recognize(p)));
    return { status: 'pass', summary: `${ocr.engineId}: ${white!.lines.length}+${ir!.lines.length} lines`, findings: [], evidence: [] };
  },
});
const plugin = {
  manifest: testManifest('ocr-fixtures', { contributes: { readers: ['imaging'], ocrEngines: ['scripted-ocr'], checks: ['ask.one', 'ask.two'] } }),
  definition: definePlugin({
    id: 'ocr-fixtures',
    deps: { readers: extensionPoints.readers, ocr: extensionPoints.ocrEngines, checks: extensionPoints.checks },
    init(d) {
      d.readers.add(reader);
      d.ocr.add(engine);
      d.checks.add(askingCheck('ask.one'));
      d.checks.add(askingCheck('ask.two'));
    },
  }),
};

async function inspect() {
  recognised.length = 0;
  const host = await startTestHost({ plugins: [plugin], now: new Date('2011-06-01') });
  try {
    return await host.kernel.inspections.scan({ deviceId: 'imaging:1', actor: 'officer.t' });
  } finally {
    await host.stop();
  }
}

test('an MRZ read by OCR is recorded with its engine, confidence, region and crop; each page is recognised once', async () => {
  deviceMrz = null;
  reading = { lines: MRZ, confidence: 0.97, region: { x: 10, y: 80, width: 900, height: 90 }, crop: { mediaType: 'image/png', data: PNG } };
  const record = await inspect();
  assert.is(record.mrzSource, 'ocr');
  assert.is(record.mrz?.valid, true);
  assert.equal(record.mrzOcr, {
    engineId: 'scripted-ocr',
    confidence: 0.97,
    ambiguous: false,
    alternatives: [],
    page: { light: 'white', page: 'data-page' },
    region: { x: 10, y: 80, width: 900, height: 90 },
    cropDataUrl: `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`,
  });
  assert.equal([...recognised].sort(), ['ir', 'white']);
  const ask = record.checks.find((c) => c.checkId === 'ask.one')!;
  assert.is(ask.summary, 'scripted-ocr: 2+2 lines');
});

test('an ambiguous reading keeps its alternatives (the reading itself is not repeated among them); no crop gives null', async () => {
  deviceMrz = null;
  reading = { lines: MRZ, confidence: 0.6, alternatives: [MRZ, ALTERNATIVE] };
  const record = await inspect();
  assert.is(record.mrzOcr?.ambiguous, true);
  assert.equal(record.mrzOcr?.alternatives, [ALTERNATIVE]);
  assert.is(record.mrzOcr?.region, null);
  assert.is(record.mrzOcr?.cropDataUrl, null);
});

test('a device MRZ leaves no OCR record, but checks may still ask the engine for other pages', async () => {
  deviceMrz = MRZ;
  reading = { lines: MRZ, confidence: 0.9 };
  const record = await inspect();
  assert.is(record.mrzSource, 'device');
  assert.is(record.mrzOcr, undefined);
  assert.equal([...recognised].sort(), ['ir', 'white']);
});

test('an engine that finds nothing leaves the inspection without an MRZ and without an OCR record', async () => {
  deviceMrz = null;
  reading = { lines: [], confidence: 0 };
  const record = await inspect();
  assert.is(record.mrzSource, 'none');
  assert.is(record.mrz, null);
  assert.is(record.mrzOcr, undefined);
});

test.run();
