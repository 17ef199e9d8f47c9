/**
 * Bundles the officer UI (lit) and the UI elements plugins contribute into one ES module with esbuild,
 * on first request, and keeps it in memory. Plugin modules are imported by absolute path, so a plugin
 * ships its element as source like the rest of its code.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UiContribution } from '@tessera/sdk';

const UI_ENTRY = fileURLToPath(new URL('./ui/main.ts', import.meta.url));

export class UiBundle {
  private bundle: Promise<string> | null = null;

  constructor(private readonly contributions: () => UiContribution[]) {}

  get(): Promise<string> {
    if (!this.bundle) {
      this.bundle = this.build();
      this.bundle.catch(() => (this.bundle = null));
    }
    return this.bundle;
  }

  private async build(): Promise<string> {
    const plugins = this.contributions();
    const pluginImports = plugins.map((c) => `import ${JSON.stringify(c.module.startsWith('file:') ? fileURLToPath(c.module) : path.resolve(c.module))};`).join('\n');
    const registry = JSON.stringify(plugins.map(({ id, slot, tagName }) => ({ id, slot, tagName })));
    const { build } = await import('esbuild'); // only when the UI is first served
    const result = await build({
      stdin: {
        contents: `${pluginImports}\nimport { boot } from ${JSON.stringify(UI_ENTRY)};\nboot(${registry});\n`,
        resolveDir: path.dirname(UI_ENTRY),
        loader: 'ts',
        sourcefile: 'tessera-ui-entry.ts',
      },
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: true,
      write: false,
      legalComments: 'none',
      tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
    });
    return result.outputFiles[0]!.text;
  }
}
