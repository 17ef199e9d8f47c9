// The `tessera` command as a person runs it: the real bin in a child process, judged by its exit code,
// its output and its messages (a stable code and a sentence saying what to do, never a stack trace).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const BIN = path.join(ROOT, 'hosts', 'cli', 'bin', 'tessera.mjs');
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
// Every plugin folder that ships in the repository, by its manifest id: a new built-in must start too.
const BUILT_INS = (
  await Promise.all(
    (await readdir(path.join(ROOT, 'plugins'))).map(async (dir) => {
      const manifest = await readFile(path.join(ROOT, 'plugins', dir, 'tessera-plugin.json'), 'utf8').catch(() => null);
      return manifest ? (JSON.parse(manifest) as { id: string }).id : null;
    }),
  )
)
  .filter((id): id is string => id !== null)
  .sort();
const STACK_LINE = /^\s+at /m;
const READY = /ready at (http:\/\/127\.0\.0\.1:(\d+))/;
const RUN_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 8_000;

const TMP = await mkdtemp(path.join(os.tmpdir(), 'tessera-cli-test-'));
const children = new Set<ChildProcessWithoutNullStreams>();

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A running `tessera …`: output so far, and a promise of how it ended. */
interface Running {
  child: ChildProcessWithoutNullStreams;
  readonly stdout: string;
  readonly stderr: string;
  exited: Promise<Result>;
  /** Resolves with the first match of re in stdout; rejects if the process ends first or time runs out. */
  waitForStdout(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /**
   * If still running: SIGTERM (so it can close the Chromium it started, which puppeteer puts in a process
   * group of its own), then after a grace period SIGKILL to its process group.
   */
  dispose(): Promise<void>;
}

interface LaunchOptions {
  stdin?: string;
  /** Let a started host warm Chromium up (slow, CPU-hungry); off unless a test is about it. */
  chromium?: boolean;
}

function environment(options: LaunchOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  // Settings a developer's shell may carry that would change what the command does or prints.
  for (const name of ['TESSERA_DEBUG', 'TESSERA_DATA', 'TESSERA_DATABASE_URL', 'NODE_OPTIONS']) delete env[name];
  // A Chromium path that does not exist: the host's warm-up finds none and skips it quietly.
  if (!options.chromium) env.TESSERA_CHROMIUM = path.join(TMP, 'no-chromium');
  return env;
}

function launch(args: string[], options: LaunchOptions = {}): Running {
  const { stdin } = options;
  const started = Date.now();
  // detached: its own process group, so cleanup reaches what it started (not Chromium: puppeteer detaches it too).
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: environment(options), detached: true, stdio: 'pipe' });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    for (const l of listeners) l();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => undefined); // the command may exit before reading all of stdin
  child.stdin.end(stdin ?? '');
  const exited = new Promise<Result>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      children.delete(child);
      for (const l of listeners) l();
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  const describe = () => `\n--- args: ${args.join(' ')}\n--- stdout:\n${stdout}\n--- stderr:\n${stderr}`;
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitForStdout(re, timeoutMs = RUN_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(stdout);
          if (m) return done(() => resolve(m));
          if (child.exitCode !== null || child.signalCode !== null) done(() => reject(new Error(`process ended before printing ${re}${describe()}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no ${re} on stdout within ${timeoutMs} ms${describe()}`))), timeoutMs);
        const done = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        check();
      });
    },
    async dispose() {
      // Only while it runs: once it has exited its pid (= group id) may belong to someone else.
      const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
      if (!running()) return;
      child.kill('SIGTERM');
      await Promise.race([exited.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
      if (!running()) return;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
}

/** Run to completion; kills it (and fails) if it takes longer than timeoutMs. */
async function run(args: string[], options: LaunchOptions & { timeoutMs?: number } = {}): Promise<Result> {
  const p = launch(args, options);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`tessera ${args.join(' ')} still running after ${options.timeoutMs ?? RUN_TIMEOUT_MS} ms\n${p.stdout}\n${p.stderr}`)), options.timeoutMs ?? RUN_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await p.dispose();
  }
}

/** SIGTERM, then the result; fails if it does not end within STOP_TIMEOUT_MS. */
async function terminate(p: Running): Promise<Result> {
  p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`still running ${STOP_TIMEOUT_MS} ms after SIGTERM\n${p.stdout}\n${p.stderr}`)), STOP_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  state: string;
  cmdline: string;
}

/** The processes below pid, from /proc (Linux); [] where there is no /proc. */
async function descendants(pid: number): Promise<ProcessInfo[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const all: ProcessInfo[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const info = await processInfo(Number(entry));
    if (info) all.push(info);
  }
  const found: ProcessInfo[] = [];
  const parents = [pid];
  while (parents.length) {
    const parent = parents.pop()!;
    for (const p of all.filter((x) => x.ppid === parent)) {
      found.push(p);
      parents.push(p.pid);
    }
  }
  return found;
}

async function processInfo(pid: number): Promise<ProcessInfo | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …"; comm may itself hold spaces and parentheses.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    return { pid, ppid: Number(ppid), state: state!, cmdline };
  } catch {
    return null; // gone meanwhile
  }
}

function show(r: Result): string {
  return `exit ${r.code} (signal ${r.signal}) after ${r.ms} ms\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;
}

function assertExit(r: Result, code: number) {
  assert.is(r.code, code, `expected exit ${code}; ${show(r)}`);
}

/** An error message a person can act on: the code, and no stack trace anywhere on stderr. */
function assertMessage(r: Result, ...needles: Array<string | RegExp>) {
  assert.not.match(r.stderr, STACK_LINE, `stack trace on stderr; ${show(r)}`);
  for (const n of needles) assert.match(r.stderr, n, `stderr lacks ${n}; ${show(r)}`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Lines of the `tessera plugins` table, by plugin id. */
function pluginLines(stdout: string): Map<string, string> {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  assert.match(lines[0] ?? '', /^ID\s+VERSION\s+STATE\s+DETAILS/, `table header missing:\n${stdout}`);
  return new Map(lines.slice(1).map((l) => [l.split(/\s+/)[0]!, l]));
}

function stateOf(line: string | undefined): string | undefined {
  return line?.split(/\s+/)[2];
}

/** Plugin ids `tessera start` reported as failed ("warning: plugin ID failed — …"). */
function failedAtStart(stderr: string): string[] {
  return [...stderr.matchAll(/^warning: plugin (\S+) failed — /gm)].map((m) => m[1]!).sort();
}

// Shared by the start test and the plugins test that reads the folder it created.
const started: { dataDir: string | null; failed: string[] } = { dataDir: null, failed: [] };

test.after(async () => {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await rm(TMP, { recursive: true, force: true });
});

test('--version, no command, an unknown command', async () => {
  const [version, bare, unknown, help] = await Promise.all([run(['--version']), run([]), run(['frobnicate']), run(['--help'])]);

  assertExit(version, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+(-[\w.]+)?$/, show(version));
  assert.is(version.stderr, '');

  assertExit(bare, 2);
  assert.match(bare.stdout + bare.stderr, 'Usage: tessera <command>');
  assert.match(bare.stdout + bare.stderr, /mrz .*\n[\s\S]*start .*\n[\s\S]*plugins /);
  assertMessage(bare);

  assertExit(unknown, 2);
  assertMessage(unknown, 'unknown command', '"frobnicate"', 'Usage: tessera');
  assert.is(unknown.stdout, '');

  assertExit(help, 0);
  assert.match(help.stdout, 'Usage: tessera <command>');
});

test('mrz: the ICAO TD3 specimen as arguments is valid', async () => {
  const r = await run(['mrz', ...TD3]);
  assertExit(r, 0);
  assertMessage(r);
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, 1, show(r));
  const doc = JSON.parse(lines[0]!);
  assert.is(doc.format, 'TD3');
  assert.is(doc.valid, true);
  assert.is(doc.fields.birthDate, '1974-08-12');
  assert.is(doc.fields.surname, 'ERIKSSON');
  assert.equal(doc.errors, []);
});

test('mrz: two documents on stdin, one malformed → two JSON lines, exit 1', async () => {
  const malformed = [TD3[0], TD3[1]!.slice(0, 43)];
  const [piped, bogus] = await Promise.all([
    run(['mrz'], { stdin: `${TD3.join('\n')}\n\n${malformed.join('\n')}\n` }),
    run(['mrz', '--bogus', ...TD3]),
  ]);

  assertExit(piped, 1);
  assertMessage(piped);
  const docs = piped.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.is(docs.length, 2, show(piped));
  assert.is(docs[0].valid, true);
  assert.is(docs[0].fields.birthDate, '1974-08-12');
  assert.is(docs[1].valid, false);
  assert.is(docs[1].errors[0].code, 'MRZ_LINE_LENGTH');
  assert.match(docs[1].errors[0].message, /4[34]/); // says which length it got or wanted

  assertExit(bogus, 2);
  assertMessage(bogus, "unknown option '--bogus'", '--help');
  assert.is(bogus.stdout, '');
});

test('start: creates the data folder, answers /api/health, stops cleanly on SIGTERM', async () => {
  const dataDir = path.join(TMP, 'fresh', 'data');
  assert.not.ok(await exists(dataDir));
  const port = await freePort();
  const host = launch(['start', '--data', dataDir, '--port', String(port)], { chromium: true });
  try {
    const [, url, readyPort] = await host.waitForStdout(READY);
    assert.is(Number(readyPort), port);
    assert.match(host.stdout, `data: ${dataDir}`);

    const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
    assert.is(response.status, 200);
    const health = (await response.json()) as { status: string; kind: string; plugins: { total: number; failed: number } };
    assert.is(health.status, 'ok');
    assert.is(health.kind, 'local');
    assert.ok(health.plugins.total >= BUILT_INS.length);

    assert.ok(await exists(path.join(dataDir, 'tessera.config.json')));
    const config = JSON.parse(await readFile(path.join(dataDir, 'tessera.config.json'), 'utf8'));
    assert.type(config.plugins, 'object');

    // The host warms Chromium up once ready; wait (a little) for it, so stopping has it to close.
    let below: ProcessInfo[] = [];
    for (const until = Date.now() + 5000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 100))) {
      below = await descendants(host.child.pid!);
      if (below.some((p) => /chrom/i.test(p.cmdline))) break;
    }

    const r = await terminate(host);
    assertExit(r, 0);
    assert.match(r.stderr, 'SIGTERM received');
    assertMessage(r);
    // Every plugin that failed is announced, one warning each, and the health count agrees.
    started.failed = failedAtStart(r.stderr);
    assert.is(started.failed.length, health.plugins.failed, show(r));
    for (const id of BUILT_INS) assert.not.ok(started.failed.includes(id), `${id} failed at start; ${show(r)}`);
    // Nothing it started (Chromium, esbuild) outlives it; a zombie awaiting its reaper is dead already.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const p of below) {
      const now = await processInfo(p.pid);
      assert.ok(now === null || now.state === 'Z' || now.cmdline !== p.cmdline, `still running after the host stopped: ${p.pid} ${p.cmdline.slice(0, 120)}`);
    }
    started.dataDir = dataDir;
  } finally {
    await host.dispose();
  }
});

test('plugins: lists what start loaded on the folder it created; --json parses', async () => {
  assert.ok(started.dataDir, 'the start test must run first and create the data folder');
  const [table, json] = await Promise.all([run(['plugins', '--data', started.dataDir]), run(['plugins', '--data', started.dataDir, '--json'])]);

  assertMessage(table);
  const lines = pluginLines(table.stdout);
  for (const id of BUILT_INS) assert.is(stateOf(lines.get(id)), 'started', `${id}: ${show(table)}`);
  // The same plugins fail here as at start (e.g. an installed npm plugin lacking its configuration).
  const failed = [...lines].filter(([, l]) => stateOf(l) === 'failed').map(([id]) => id).sort();
  assert.equal(failed, started.failed, show(table));
  assertExit(table, failed.length > 0 ? 1 : 0);

  assertMessage(json);
  assertExit(json, table.code!);
  const parsed = JSON.parse(json.stdout) as { plugins: Array<{ id: string; state: string; version: string }>; warnings: unknown[] };
  assert.equal(parsed.plugins.map((p) => p.id).sort(), [...lines.keys()].sort());
  for (const id of BUILT_INS) assert.is(parsed.plugins.find((p) => p.id === id)?.state, 'started');
  assert.equal(parsed.warnings, []);
});

test('plugins: only the built-ins with npm plugins switched off → all started, exit 0', async () => {
  const dataDir = path.join(TMP, 'no-npm');
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'tessera.config.json'), JSON.stringify({ plugins: { npm: false } }));
  const r = await run(['plugins', '--data', dataDir]);
  assertExit(r, 0);
  assertMessage(r);
  const lines = pluginLines(r.stdout);
  assert.equal([...lines.keys()].sort(), BUILT_INS);
  for (const id of BUILT_INS) assert.is(stateOf(lines.get(id)), 'started');
});

test('start: a port in use → exit 1, TSR_PORT_IN_USE, hint names --port', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve, reject) => blocker.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const r = await run(['start', '--data', path.join(TMP, 'port-in-use'), '--port', String(port)]);
    assertExit(r, 1);
    assertMessage(r, /^error TSR_PORT_IN_USE: .*\b\d+\b.*in use/m, /--port/);
    assert.not.match(r.stdout, 'ready at');
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});

test('start: usage errors exit 2 before doing anything', async () => {
  const dataDir = path.join(TMP, 'never-created');
  const cases: Array<[string[], string | RegExp]> = [
    [['start', '--port', 'abc', '--data', dataDir], /--port must be a number from 0 to 65535, not "abc"/],
    [['start', 'elsewhere', '--data', dataDir], /unknown host "elsewhere".*Usage: tessera start/],
    [['start', '--bogus', '--data', dataDir], /usage error: .*--bogus.*Usage: tessera start/],
    [['start', '--log-level', 'loud', '--data', dataDir], /--log-level must be debug, info, warn or error/],
    [['plugins', '--bogus'], /usage error: .*--bogus.*Usage: tessera plugins/],
  ];
  const results = await Promise.all(cases.map(([args]) => run(args)));
  results.forEach((r, i) => {
    assertExit(r, 2);
    assertMessage(r, cases[i]![1]);
    assert.is(r.stdout, '', show(r));
  });
  assert.not.ok(await exists(dataDir), 'a usage error must not create the data folder');
});

test('plugins: a missing data folder → exit 1, TSR_DATA_FOLDER_MISSING, says how to create it', async () => {
  const r = await run(['plugins', '--data', '/nonexistent/folder']);
  assertExit(r, 1);
  assertMessage(r, /^error TSR_DATA_FOLDER_MISSING: .*\/nonexistent\/folder/m, /tessera start|Start the host/, '--data /nonexistent/folder');
  assert.is(r.stdout, '');
  assert.not.ok(await exists('/nonexistent/folder'));
});

test('a plugin that throws at import: listed as failed, start still runs', async () => {
  const pluginsDir = path.join(TMP, 'broken', 'extra-plugins');
  const pluginDir = path.join(pluginsDir, 'broken-at-import');
  await mkdir(pluginDir, { recursive: true });
  await writeFile(
    path.join(pluginDir, 'tessera-plugin.json'),
    JSON.stringify({ id: 'broken-at-import', version: '1.0.0', displayName: 'Broken at import', main: './index.mjs', engines: { tessera: '^0.1.0' } }),
  );
  await writeFile(path.join(pluginDir, 'index.mjs'), "throw new Error('broken-at-import refuses to load');\n");
  const dataDir = path.join(TMP, 'broken', 'data');
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'tessera.config.json'), JSON.stringify({ plugins: { folders: [pluginsDir], disabled: ['no-such-plugin'] } }));

  const host = launch(['start', '--data', dataDir, '--port', '0']);
  try {
    await host.waitForStdout(READY);
    // Listed while the host runs on the same folder, as an officer checking on it would.
    const list = await run(['plugins', '--data', dataDir]);
    assertExit(list, 1);
    assertMessage(list, /^warning TSR_CONFIG_UNKNOWN_PLUGIN: .*"no-such-plugin"/m);
    const lines = pluginLines(list.stdout);
    const line = lines.get('broken-at-import');
    assert.is(stateOf(line), 'failed', show(list));
    assert.match(line!, 'TSR_PLUGIN_LOAD_FAILED');
    assert.match(line!, 'broken-at-import refuses to load');
    for (const id of BUILT_INS) assert.is(stateOf(lines.get(id)), 'started', `${id}: ${show(list)}`);

    const r = await terminate(host);
    assertExit(r, 0);
    assertMessage(r, /^warning: plugin broken-at-import failed — TSR_PLUGIN_LOAD_FAILED: .*broken-at-import refuses to load/m, /TSR_CONFIG_UNKNOWN_PLUGIN.*no-such-plugin/, 'SIGTERM received');
    assert.match(r.stdout, READY);
  } finally {
    await host.dispose();
  }
});

test('malformed configuration JSON → exit 1, TSR_CONFIG_UNREADABLE, file untouched', async () => {
  const dataDir = path.join(TMP, 'malformed');
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, 'tessera.config.json');
  const text = '{ "plugins": { "disabled": ["checks-mrz"], }\n';
  await writeFile(file, text);

  const [start, plugins] = await Promise.all([run(['start', '--data', dataDir, '--port', '0']), run(['plugins', '--data', dataDir])]);
  for (const r of [start, plugins]) {
    assertExit(r, 1);
    assertMessage(r, /^error TSR_CONFIG_UNREADABLE: .*tessera\.config\.json.* not valid JSON/m, /Fix the JSON/);
    assert.not.match(r.stdout, 'ready at');
  }
  assert.is(await readFile(file, 'utf8'), text);
});

test('start central: an unreachable database → exit 1, TSR_DATABASE_UNAVAILABLE', async () => {
  const r = await run(['start', 'central', '--database', 'postgres://127.0.0.1:1/test', '--port', '0']);
  assertExit(r, 1);
  assertMessage(r, /^error TSR_DATABASE_UNAVAILABLE: .*ECONNREFUSED/m, /PostgreSQL is running/);
  assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
});

test.run();
