/** `tessera plugins [--data DIR] [--json]`: load every plugin as the local host would and list their states. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger, loadHostConfig, prepareDataFolder, startKernel } from '@tessera/core';
import { BUILT_IN_PLUGIN_FOLDER } from '@tessera/host-local';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, reportError, type CliIo } from '../cli-io.js';
import { DEFAULT_DATA_DIR } from './start-command.js';

export async function runPluginsCommand(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { data: { type: 'string' }, json: { type: 'boolean' } } }));
  } catch (error) {
    io.stderr(`usage error: ${(error as Error).message}. Usage: tessera plugins [--data DIR] [--json]`);
    return EXIT_USAGE;
  }
  const dataDir = path.resolve(values.data ?? process.env.TESSERA_DATA ?? DEFAULT_DATA_DIR);
  try {
    await prepareDataFolder(dataDir, { create: false });
    const config = await loadHostConfig(dataDir, { createDefault: false });
    const kernel = await startKernel({
      kind: 'local',
      dataDir,
      config,
      pluginFolders: [BUILT_IN_PLUGIN_FOLDER, ...(config.plugins?.folders ?? [])],
      // The same npm sources as startLocalHost (the install's node_modules beside plugins/, then the data
      // folder's), so this list matches what `tessera start` loads.
      nodeModules: config.plugins?.npm === false ? [] : [path.join(path.dirname(BUILT_IN_PLUGIN_FOLDER), 'node_modules'), path.join(dataDir, 'node_modules')],
      logger: createLogger({ level: 'silent' }),
    });
    const statuses = kernel.plugins.statuses();
    const warnings = kernel.configWarnings;
    await kernel.stop();
    if (values.json) {
      io.stdout(JSON.stringify({ plugins: statuses, warnings }, null, 2));
    } else {
      const width = Math.max(...statuses.map((s) => s.id.length), 4);
      io.stdout(`${'ID'.padEnd(width)}  ${'VERSION'.padEnd(8)}  ${'STATE'.padEnd(10)}  DETAILS`);
      for (const s of statuses) {
        const details = s.error ? `${s.error.code}: ${s.error.message}` : (s.displayName ?? '');
        io.stdout(`${s.id.padEnd(width)}  ${(s.version ?? '-').padEnd(8)}  ${s.state.padEnd(10)}  ${details}`);
      }
      for (const w of warnings) io.stderr(`warning ${w.code}: ${w.message}`);
    }
    return statuses.some((s) => s.state === 'failed') ? EXIT_FAILURE : EXIT_OK;
  } catch (error) {
    reportError(io, error);
    return EXIT_FAILURE;
  }
}
