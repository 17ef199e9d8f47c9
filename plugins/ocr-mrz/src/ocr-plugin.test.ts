// The plugin in the real kernel: it starts without loading tesseract, contributes its engine and the
// `tessera ocr` command, and the command prints the one-line JSON objects the issue specifies.
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDocumentPage, generateDocuments } from '@tessera/sdk/docgen';
import { startTestHost } from '@tessera/sdk/testing';
import { createOcrCommand } from './ocr-command.js';
import { createMrzOcrEngine } from './mrz-ocr-engine.js';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));

test('the plugin starts fast, without tesseract, and contributes the engine and the command', async () => {
  const started = performance.now();
  const host = await startTestHost({ pluginFolders: [PLUGIN_DIR], config: { plugins: { config: { 'ocr-mrz': { warmOnStart: false } } } } });
  try {
    assert.is(host.plugin('ocr-mrz').state, 'started');
    assert.ok(performance.now() - started < 5000);
    assert.is(host.kernel.registry.get('ocrEngines', 'ocr-mrz')?.item.id, 'ocr-mrz');
    assert.is(host.kernel.registry.get('commands', 'ocr')?.item.id, 'ocr');
  } finally {
    await host.stop();
  }
});

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function run(command: ReturnType<typeof createOcrCommand>, args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command.run(args, { stdin: null, stdinIsTTY: false, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out, err };
}

test('tessera ocr: one JSON object per image with exactly the specified keys; --check adds the validation', async () => {
  const [doc] = generateDocuments({ seed: 5, count: 1, formats: ['TD2'], invalidShare: 0 });
  const page = await renderDocumentPage(doc, {});
  const handle = createMrzOcrEngine({ workers: 0, timeoutMs: 20_000 });
  try {
    const files: Record<string, Uint8Array> = { 'page.png': page.png, 'notes.txt': new TextEncoder().encode('hello') };
    const command = createOcrCommand({ engine: handle, readFile: async (path) => files[path] ?? Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })) });
    const r = await run(command, ['page.png', 'notes.txt']);
    assert.is(r.code, 1); // the text file gives no valid MRZ
    assert.is(r.out.length, 2);
    const [good, bad] = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(Object.keys(good), ['file', 'mrz', 'format', 'valid', 'confidence', 'ms']);
    assert.equal(good.mrz, doc.mrz);
    assert.equal([good.file, good.format, good.valid], ['page.png', 'TD2', true]);
    assert.type(good.confidence, 'number');
    assert.type(good.ms, 'number');
    assert.equal([bad.mrz, bad.valid, (bad.error as { code: string }).code], [null, false, 'OCR_MRZ_IMAGE_UNREADABLE']);
    assert.match(r.err.join('\n'), /error OCR_MRZ_IMAGE_UNREADABLE: notes.txt/);

    const checked = await run(command, ['page.png', '--check', '--json']);
    assert.is(checked.code, 0);
    const line = JSON.parse(checked.out[0]) as { check: { valid: boolean; format: string } };
    assert.equal([line.check.valid, line.check.format], [true, 'TD2']);
    assert.is((await run(command, [])).code, 2);
    assert.is((await run(command, ['--bogus', 'x.png'])).code, 2);
  } finally {
    await handle.close();
  }
});

test.run();
