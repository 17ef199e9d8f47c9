// The layering check passes on the repository and catches each kind of violation in a fixture tree.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayering } from './check-layering.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

test('the repository respects the layering', () => {
  const violations = checkLayering(ROOT);
  assert.equal(violations, [], violations.map((v) => `${v.file}: ${v.specifier} — ${v.rule}`).join('\n'));
});

async function write(root: string, file: string, text: string) {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

test('violations in a fixture tree are each reported', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tessera-layering-'));
  try {
    await write(root, 'plugins/alpha/package.json', JSON.stringify({ dependencies: { '@tessera/sdk': '*', sharp: '*' } }));
    await write(
      root,
      'plugins/alpha/src/index.ts',
      [
        "import { definePlugin } from '@tessera/sdk';",
        "import sharp from 'sharp';",
        "import { readFile } from 'node:fs/promises';",
        "import './own.js';",
        "import { startKernel } from '@tessera/core';",
        "import { x } from '../../beta/src/internal.js';",
        "import { y } from '@tessera/plugin-beta';",
        "import leftPad from 'left-pad';",
        "const lazy = await import('@tessera/host-local');",
      ].join('\n'),
    );
    await write(root, 'plugins/alpha/src/own.ts', 'export {};');
    await write(root, 'core/src/kernel.ts', "import '@tessera/plugin-alpha';\nimport '../../plugins/alpha/src/index.js';\nimport '@tessera/sdk';");
    await write(root, 'sdk/src/index.ts', "import '@tessera/core';");
    await write(root, 'sdk/src/testing/host.ts', "import '@tessera/core';");
    await write(root, 'hosts/local/src/host.ts', "import '@tessera/core';\nimport '../../../plugins/alpha/src/own.js';");
    const found = checkLayering(root).map((v) => `${v.file}|${v.specifier}`).sort();
    assert.equal(found, [
      'core/src/kernel.ts|../../plugins/alpha/src/index.js',
      'core/src/kernel.ts|@tessera/plugin-alpha',
      'hosts/local/src/host.ts|../../../plugins/alpha/src/own.js',
      'plugins/alpha/src/index.ts|../../beta/src/internal.js',
      'plugins/alpha/src/index.ts|@tessera/core',
      'plugins/alpha/src/index.ts|@tessera/host-local',
      'plugins/alpha/src/index.ts|@tessera/plugin-beta',
      'plugins/alpha/src/index.ts|left-pad',
      'sdk/src/index.ts|@tessera/core',
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test.run();
