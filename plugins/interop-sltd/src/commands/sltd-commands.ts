/**
 * The `tessera sltd` commands: `serve` (the reference service), `import` (a snapshot or delta file into
 * the offline copy), `status` (the copy's size, date and age) and `sync` (download the snapshot or the
 * new deltas from a service, then import them). They work on the same offline copy the connector reads.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { COMMAND_EXIT, isTesseraError, printCommandFailure, printUsageError, TesseraError, type CliCommand, type CommandIo } from '@tessera/sdk';
import { OfflineSltdStore, offlineDataAge, type OfflineStoreInfo } from '../offline/offline-store.js';
import { API_KEY_HEADER, SLTD_PATHS } from '../online/sltd-protocol.js';
import { networkWhat } from '../online/sltd-online-client.js';
import { formatAge } from '../sltd-connector.js';
import { resolveOfflineDir, type SltdSettings } from '../sltd-settings.js';
import { SLTD_COMMAND_TEXTS, type SltdCommandId } from './command-texts.js';

export interface SltdCommandContext {
  settings: SltdSettings;
  /** The plugin's data folder as the CLI's host gave it ('' when the data folder does not exist yet). */
  pluginDataDir: string;
  pluginId: string;
  /** For tests: the environment's TESSERA_DATA and the working folder's default. */
  env?: NodeJS.ProcessEnv;
}

const EXIT_OK = COMMAND_EXIT.ok;
const EXIT_FAILURE = COMMAND_EXIT.failure;

const usageError = (io: CommandIo, id: SltdCommandId, message: string): number => printUsageError(io, message, SLTD_COMMAND_TEXTS[id].usage);
const reportFailure = printCommandFailure;

function offlineDirFor(context: SltdCommandContext, dataOption: string | undefined): string {
  const env = context.env ?? process.env;
  const dir = resolveOfflineDir({
    pluginDataDir: dataOption ? '' : context.pluginDataDir,
    pluginId: context.pluginId,
    configured: context.settings.offlineDataDir,
    fallbackDataFolder: dataOption ?? env.TESSERA_DATA ?? 'tessera-data',
  });
  return dir!; // a fallback data folder is always given
}

async function openStore(dir: string): Promise<OfflineSltdStore> {
  await mkdir(dir, { recursive: true });
  return OfflineSltdStore.open(dir);
}

/** Progress on standard error at most once a second, so a 10-million-record import shows it is alive. */
function progressPrinter(io: CommandIo, what: string): (done: number, total?: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 1000 && done !== total) return;
    last = now;
    io.stderr(`${what}: ${done.toLocaleString('en')}${total ? ` of ${total.toLocaleString('en')} (${Math.floor((done / total) * 100)} %)` : ''}`);
  };
}

function describeInfo(info: OfflineStoreInfo, dir: string, settings: SltdSettings, now: Date) {
  const { ageMs, stale } = offlineDataAge(info, { now, maxAgeMs: settings.maxAgeHours * 3_600_000 });
  return { dir, ...info, ageHours: Math.round((ageMs / 3_600_000) * 10) / 10, maxAgeHours: settings.maxAgeHours, stale };
}

async function runImport(context: SltdCommandContext, args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { delta: { type: 'boolean' }, force: { type: 'boolean' }, data: { type: 'string' } } });
  if (positionals.length !== 1) return usageError(io, 'sltd import', positionals.length ? `one FILE expected, got ${positionals.length}` : 'FILE is missing');
  const dir = offlineDirFor(context, values.data);
  const store = await openStore(dir);
  try {
    const file = path.resolve(positionals[0]!);
    const onProgress = progressPrinter(io, values.delta ? 'changes applied' : 'records imported');
    const info = values.delta ? await store.applyDelta(file, { onProgress }) : await store.importSnapshot(file, { onProgress, force: values.force === true });
    io.stdout(JSON.stringify({ dir, ...info }));
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

async function runStatus(context: SltdCommandContext, args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { json: { type: 'boolean' }, data: { type: 'string' } } });
  if (positionals.length) return usageError(io, 'sltd status', `unexpected argument "${positionals[0]}"`);
  const dir = offlineDirFor(context, values.data);
  const store = await openStore(dir);
  try {
    const info = store.info();
    if (!info) {
      if (values.json) io.stdout(JSON.stringify({ dir, imported: false }));
      else io.stdout(`No offline SLTD copy imported yet in ${dir}.\nImport one with \`tessera sltd import FILE\` or \`tessera sltd sync --from URL\`.`);
      return EXIT_FAILURE;
    }
    const status = describeInfo(info, dir, context.settings, new Date());
    if (values.json) io.stdout(JSON.stringify({ imported: true, ...status }));
    else {
      const age = formatAge(Date.now() - Date.parse(info.dataAsOf));
      io.stdout(
        [
          `Offline SLTD copy in ${dir}`,
          `  records        ${info.records.toLocaleString('en')}`,
          `  data as of     ${info.dataAsOf} (${age} old)`,
          `  imported at    ${info.importedAt}`,
          `  snapshot       ${info.snapshotId}, ${info.deltasApplied} delta(s) applied`,
          `  size on disk   ${(info.bytesOnDisk / 1024 / 1024).toFixed(1)} MiB`,
          status.stale
            ? `  state          STALE: older than the ${context.settings.maxAgeHours} h limit — refresh it with \`tessera sltd sync\``
            : `  state          current (limit ${context.settings.maxAgeHours} h)`,
        ].join('\n'),
      );
    }
    return status.stale ? EXIT_FAILURE : EXIT_OK;
  } finally {
    await store.close();
  }
}

/** Downloads `url` to `file`; resolves the HTTP status (200 written, 204/410 nothing written). */
async function download(url: URL, headers: Record<string, string>, file: string): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(600_000) });
  } catch (error) {
    throw new TesseraError('SLTD_ONLINE_UNREACHABLE', `The SLTD service at ${url.origin} could not be reached (${networkWhat(error)}).`, {
      hint: 'Check the URL given to --from and that the service runs.',
    });
  }
  if (response.status === 204 || response.status === 410) return response.status;
  if (response.status === 401 || response.status === 403) {
    throw new TesseraError('SLTD_ONLINE_CREDENTIALS_REJECTED', `The SLTD service rejected the credentials (HTTP ${response.status}).`, { hint: 'Give the right key with --api-key, or set the plugin setting apiKey.' });
  }
  if (response.status !== 200 || !response.body) {
    throw new TesseraError('SLTD_ONLINE_SERVER_ERROR', `The SLTD service answered HTTP ${response.status} to ${url.pathname}.`, { hint: 'Try again later; if it persists, tell the service operator.' });
  }
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(file));
  return 200;
}

async function runSync(context: SltdCommandContext, args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { from: { type: 'string' }, 'api-key': { type: 'string' }, data: { type: 'string' } } });
  if (positionals.length) return usageError(io, 'sltd sync', `unexpected argument "${positionals[0]}"`);
  const from = values.from ?? context.settings.endpoint;
  if (!from) return usageError(io, 'sltd sync', '--from URL is missing (and the plugin has no endpoint setting)');
  let base: URL;
  try {
    base = new URL(from);
  } catch {
    return usageError(io, 'sltd sync', `--from "${from}" is not a URL`);
  }
  const headers: Record<string, string> = {};
  const key = values['api-key'] ?? context.settings.apiKey;
  if (values['api-key'] === undefined && context.settings.bearerToken) headers.authorization = `Bearer ${context.settings.bearerToken}`;
  else if (key) headers[API_KEY_HEADER] = key;

  const dir = offlineDirFor(context, values.data);
  const store = await openStore(dir);
  const temp = await mkdtemp(path.join(os.tmpdir(), 'tessera-sltd-sync-'));
  try {
    let action: 'snapshot' | 'delta' | 'current' = 'current';
    const current = store.info();
    if (current) {
      const deltaFile = path.join(temp, 'delta.gz');
      const status = await download(new URL(`${SLTD_PATHS.deltas}?after=${current.sequence}`, base), headers, deltaFile);
      if (status === 200) {
        await store.applyDelta(deltaFile, { onProgress: progressPrinter(io, 'changes applied') });
        action = 'delta';
      } else if (status === 410) action = 'snapshot'; // the service no longer knows our sequence
    } else action = 'snapshot';
    if (action === 'snapshot') {
      const snapshotFile = path.join(temp, 'snapshot.gz');
      await download(new URL(SLTD_PATHS.snapshot, base), headers, snapshotFile);
      await store.importSnapshot(snapshotFile, { onProgress: progressPrinter(io, 'records imported') });
    }
    io.stdout(JSON.stringify({ action, dir, ...store.info() }));
    return EXIT_OK;
  } finally {
    await rm(temp, { recursive: true, force: true });
    await store.close();
  }
}

async function runServe(args: string[], io: CommandIo): Promise<number> {
  const { parseServeOptions, serveUntilInterrupted } = await import('../reference-service/serve.js');
  let options;
  try {
    options = parseServeOptions(args);
  } catch (error) {
    if (error instanceof TypeError) return usageError(io, 'sltd serve', error.message);
    throw error;
  }
  await serveUntilInterrupted(options, io.stdout);
  return EXIT_OK;
}

export function createSltdCommand(id: SltdCommandId, context: SltdCommandContext): CliCommand {
  const run = async (args: string[], io: CommandIo): Promise<number> => {
    try {
      switch (id) {
        case 'sltd serve':
          return await runServe(args, io);
        case 'sltd import':
          return await runImport(context, args, io);
        case 'sltd status':
          return await runStatus(context, args, io);
        case 'sltd sync':
          return await runSync(context, args, io);
      }
    } catch (error) {
      // parseArgs reports unknown options and missing values as TypeErrors with a code.
      if (error instanceof TypeError && String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')) return usageError(io, id, error.message);
      return reportFailure(io, error);
    }
  };
  return { id, summary: SLTD_COMMAND_TEXTS[id].summary, usage: SLTD_COMMAND_TEXTS[id].usage, run };
}
