// The BSI TR-03105 (2008) reference DG2 holds a JPEG 2000 portrait: it decodes offline to a PNG.
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { decodeFace, detectContainer } from './decode-face.js';
import { parseDg2 } from '../reading/sdk-lds.js';

const DG2 = fileURLToPath(new URL('../../../../../shared/data/bsi-tr03105-2008/Datagroup2.bin', import.meta.url));

/** The image in DG2: the SDK parser when the barrel exports it, else the JP2 signature box. */
function portrait(dg2: Uint8Array): { data: Uint8Array; declared?: { width: number; height: number }; header?: { width: number; height: number } } {
  try {
    const image = parseDg2(dg2).images[0]!;
    return { data: image.data, declared: { width: image.width, height: image.height }, ...(image.imageSize ? { header: image.imageSize } : {}) };
  } catch {
    const start = Buffer.from(dg2).indexOf(Buffer.from('0000000c6a502020', 'hex'));
    return { data: dg2.subarray(start) };
  }
}

test('BSI 2008 DG2: JPEG 2000 → PNG with the image size', async () => {
  if (!existsSync(DG2)) return void console.warn('skipped: reference data missing');
  const { data, declared, header } = portrait(new Uint8Array(readFileSync(DG2)));
  assert.is(detectContainer(data), 'jp2');
  const face = await decodeFace(data);
  assert.is(face.mediaType, 'image/png');
  assert.is(face.source, 'jp2');
  const meta = await sharp(face.data).metadata();
  assert.is(meta.format, 'png');
  // The JP2 header says 413 × 531; the ISO 19794-5 record in this reference file declares 337 × 449
  // (a known inconsistency of the test set), so the decoded size follows the image itself.
  assert.equal([meta.width, meta.height], [413, 531]);
  assert.equal([face.width, face.height], [413, 531]);
  if (header) assert.equal([header.width, header.height], [413, 531]);
  if (declared) assert.equal([declared.width, declared.height], [337, 449]);
});

test('JPEG passes through unchanged', async () => {
  const jpeg = await sharp({ create: { width: 8, height: 10, channels: 3, background: '#808080' } }).jpeg().toBuffer();
  const face = await decodeFace(new Uint8Array(jpeg));
  assert.is(face.mediaType, 'image/jpeg');
  assert.equal([face.width, face.height], [8, 10]);
  assert.is(face.data.length, jpeg.length);
});

test('anything else is refused with a code', async () => {
  try {
    await decodeFace(Uint8Array.of(1, 2, 3, 4, 5));
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code: string }).code, 'EMRTD_FACE_FORMAT_UNKNOWN');
  }
});

test.run();
