// The workstation with an imaging-only reader: the simulator's "page images only" setting turns off
// the device MRZ, so the MRZ must come from the ocr-mrz plugin reading the white page, and the
// light checks must run on the IR and UV pages — on a genuine specimen, and on the same specimen
// printed as a counterfeit (MRZ ink invisible in IR, brightened paper).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '@tessera/core';
import { startLocalHost, type LocalHost } from './local-host.js';

const READER = 'simulator:fpr-1';
const LIGHT_CHECKS = ['light.ir-mrz-visible', 'light.ir-mrz-match', 'light.uv-dull-paper'];

interface Inspection {
  mrzSource: string;
  mrz: { lines: string[]; valid: boolean; format: string } | null;
  mrzOcr?: { engineId: string; confidence: number; ambiguous: boolean; alternatives: string[][]; page: { light: string }; region: { width: number; height: number } | null; cropDataUrl: string | null };
  checks: Array<{ checkId: string; status: string; summary: string; findings: Array<{ code: string }>; evidence: Array<{ kind: string; dataUrl?: string }> }>;
}

let host: LocalHost;

test.before(async () => {
  // No chip: this test is about the page images; the virtual chip's PKI would only cost time.
  host = await startLocalHost({ dataDir: null, port: 0, logger: createLogger({ level: 'silent' }), config: { plugins: { config: { 'reader-simulator': { chip: false } } } } });
});
test.after(async () => {
  await host?.close();
});

async function setting(id: 'document' | 'mrz' | 'printing', value: string) {
  const r = await host.app.inject({ method: 'PUT', url: `/api/devices/${encodeURIComponent(READER)}/settings/${id}`, payload: { value } });
  assert.is(r.statusCode, 200, r.body);
}

async function scan(): Promise<Inspection> {
  const r = await host.app.inject({ method: 'POST', url: '/api/inspections', payload: { deviceId: READER }, headers: { 'x-tessera-officer': 'officer.test' } });
  assert.is(r.statusCode, 201, r.body);
  return JSON.parse(r.body) as Inspection;
}

const lightStatuses = (record: Inspection) => Object.fromEntries(LIGHT_CHECKS.map((id) => [id, record.checks.find((c) => c.checkId === id)?.status ?? 'missing']));

test('the OCR plugin and the light checks are loaded', async () => {
  const plugins = JSON.parse((await host.app.inject('/api/plugins')).body) as Array<{ id: string; state: string }>;
  for (const id of ['ocr-mrz', 'checks-light']) assert.is(plugins.find((p) => p.id === id)?.state, 'started', `${id}: ${JSON.stringify(plugins.find((p) => p.id === id))}`);
});

test('a reader without its own MRZ: the MRZ is read by OCR, as printed, and recorded with its engine, confidence and region', async () => {
  await setting('document', 'genuine-td3');
  await setting('mrz', 'device');
  const byDevice = await scan();
  assert.is(byDevice.mrzSource, 'device');
  assert.is(byDevice.mrzOcr, undefined);

  await setting('mrz', 'image');
  const record = await scan();
  assert.is(record.mrzSource, 'ocr');
  assert.equal(record.mrz?.lines, byDevice.mrz?.lines, 'OCR read what the device reads');
  assert.is(record.mrz?.valid, true);
  assert.ok(record.mrzOcr, 'the OCR reading is recorded');
  assert.is(record.mrzOcr!.page.light, 'white');
  assert.ok(record.mrzOcr!.confidence > 0 && record.mrzOcr!.confidence <= 1);
  assert.is(record.mrzOcr!.ambiguous, false);
  assert.ok(record.mrzOcr!.region || record.mrzOcr!.cropDataUrl, 'the officer can see where the MRZ was read');
  assert.equal(lightStatuses(record), { 'light.ir-mrz-visible': 'pass', 'light.ir-mrz-match': 'pass', 'light.uv-dull-paper': 'pass' });
});

test('the same specimen printed as a counterfeit: MRZ still read by OCR; every light check fails with evidence images', async () => {
  await setting('document', 'genuine-td1');
  await setting('mrz', 'image');
  await setting('printing', 'both');
  try {
    const record = await scan();
    assert.is(record.mrzSource, 'ocr');
    assert.is(record.mrz?.format, 'TD1');
    assert.is(record.mrz?.valid, true);
    assert.equal(lightStatuses(record), { 'light.ir-mrz-visible': 'fail', 'light.ir-mrz-match': 'fail', 'light.uv-dull-paper': 'fail' });
    for (const id of ['light.ir-mrz-visible', 'light.uv-dull-paper']) {
      const check = record.checks.find((c) => c.checkId === id)!;
      assert.ok(check.evidence.some((e) => e.kind === 'image' && e.dataUrl?.startsWith('data:image/')), `${id} shows its image`);
    }
  } finally {
    await setting('printing', 'specimen');
  }
});

test.run();
