// The store's caching contract: renders once, survives restarts through the cache directory,
// never serves an image of other content, and fails with the reader's own error codes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { isTesseraError } from '@tessera/sdk';
import { SpecimenStore } from './specimen-store.js';

const REF = new Date('2025-06-01T00:00:00Z');
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-specimens-'));
  dirs.push(dir);
  return dir;
}

test.after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

test('lists the catalogue, default first', () => {
  const store = new SpecimenStore({ cacheDir: null, referenceDate: REF });
  const list = store.list();
  assert.is(list[0].id, 'genuine-td3');
  assert.ok(list.length >= 8);
  list.pop();
  assert.is(store.list().length, list.length + 1, 'list() hands out a copy');
});

test('an unknown specimen is TSR_READER_NO_DOCUMENT with the known ids as hint', async () => {
  const store = new SpecimenStore({ cacheDir: null, referenceDate: REF });
  try {
    await store.pages('no-such-document');
    assert.unreachable();
  } catch (error) {
    assert.ok(isTesseraError(error));
    assert.is((error as { code: string }).code, 'TSR_READER_NO_DOCUMENT');
    assert.match(String((error as { hint?: string }).hint), /genuine-td3/);
  }
});

test('an unsupported light is refused', async () => {
  const store = new SpecimenStore({ cacheDir: null, referenceDate: REF });
  try {
    await store.pages('genuine-td3', ['x-ray' as never]);
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code: string }).code, 'TSR_REQUEST_INVALID');
  }
});

test('pages come in the order asked, are rendered once, and belong to the caller', async () => {
  const store = new SpecimenStore({ cacheDir: null, referenceDate: REF });
  const [a, b] = await Promise.all([store.pages('genuine-td1', ['uv', 'white']), store.pages('genuine-td1', ['white'])]);
  assert.equal(a.map((p) => p.light), ['uv', 'white']);
  assert.equal(a[1].data, b[0].data);
  a[1].data[100] ^= 0xff;
  const again = await store.pages('genuine-td1', ['white']);
  assert.equal(again[0].data, b[0].data, 'the cached copy is untouched by a caller editing its bytes');
  const all = await store.pages('genuine-td1');
  assert.equal(all.map((p) => p.light), ['white', 'ir', 'uv']);
});

test('the disk cache serves a second store without rendering', async () => {
  const dir = await tempDir();
  const first = new SpecimenStore({ cacheDir: dir, referenceDate: REF });
  const rendered = await first.pages('genuine-td3');
  for (const p of rendered) {
    const file = first.cacheFile('genuine-td3', p.light)!;
    assert.ok(existsSync(file), `${p.light} written`);
    assert.equal(new Uint8Array(await readFile(file)), p.data);
  }
  // Replace a cached file with a different image of the same size: a second store must serve it,
  // which proves it read the disk instead of rendering again.
  const file = first.cacheFile('genuine-td3', 'uv')!;
  const marker = await sharp({ create: { width: rendered[2].width, height: rendered[2].height, channels: 3, background: '#ff00ff' } }).png().toBuffer();
  await writeFile(file, marker);
  const second = new SpecimenStore({ cacheDir: dir, referenceDate: REF });
  const served = await second.pages('genuine-td3', ['uv', 'white']);
  assert.equal(served[0].data, new Uint8Array(marker));
  assert.equal(served[1].data, rendered[0].data);
  assert.is(served[0].width, rendered[2].width);
  assert.is(served[0].dpi, rendered[2].dpi);
});

test('a damaged cache file is rendered again and replaced', async () => {
  const dir = await tempDir();
  const first = new SpecimenStore({ cacheDir: dir, referenceDate: REF });
  const [good] = await first.pages('genuine-td2', ['ir']);
  const file = first.cacheFile('genuine-td2', 'ir')!;
  await writeFile(file, good.data.subarray(0, 500));
  const second = new SpecimenStore({ cacheDir: dir, referenceDate: REF });
  const [served] = await second.pages('genuine-td2', ['ir']);
  assert.equal(served.data, good.data);
  assert.equal(new Uint8Array(await readFile(file)), good.data);
});

test('changed content gets a new file name, and stale page files are pruned', async () => {
  const dir = await tempDir();
  const a = new SpecimenStore({ cacheDir: dir, referenceDate: REF });
  const b = new SpecimenStore({ cacheDir: dir, referenceDate: new Date('2026-01-15T00:00:00Z') });
  const fileA = a.cacheFile('genuine-td3', 'white')!;
  const fileB = b.cacheFile('genuine-td3', 'white')!;
  assert.is.not(fileA, fileB, 'different validity dates → different content → different file');
  await writeFile(path.join(dir, 'notes.txt'), 'not ours');
  await a.pages('genuine-td3', ['white']);
  await b.pages('genuine-td3', ['white']);
  assert.ok(existsSync(fileB));
  assert.not.ok(existsSync(fileA), 'the older catalogue’s file is gone');
  assert.ok(existsSync(path.join(dir, 'notes.txt')), 'foreign files are left alone');
});

test('an unwritable cache directory falls back to memory', async () => {
  const dir = await tempDir();
  const blocker = path.join(dir, 'a-file');
  await writeFile(blocker, 'x');
  const store = new SpecimenStore({ cacheDir: path.join(blocker, 'cache'), referenceDate: REF });
  const [page] = await store.pages('genuine-mrva', ['white']);
  assert.is(page.mediaType, 'image/png');
});

test('warmUp renders every page of every specimen into the cache', async () => {
  const dir = await tempDir();
  const store = new SpecimenStore({ cacheDir: dir, referenceDate: REF });
  await store.warmUp();
  const files = (await readdir(dir)).filter((f) => f.endsWith('.png'));
  assert.is(files.length, store.list().length * 3);
  const t0 = performance.now();
  for (const doc of store.list()) await store.pages(doc.id);
  assert.ok(performance.now() - t0 < 200, 'everything served from memory after warm-up');
});

test.run();
