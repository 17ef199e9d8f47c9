// `tessera chip replay`: the ICAO Doc 9303-11 Appendix D example replays with its session keys;
// an altered wire response, wire command or plain expectation is reported at the step it happens.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createChipReplayCommand } from './chip-replay-command.js';
import { parseTrace, replayTrace } from './trace-replay.js';

const EXAMPLE_PATH = new URL('../../examples/icao-9303-11-appendix-d.trace.json', import.meta.url);
const EXAMPLE = JSON.parse(readFileSync(EXAMPLE_PATH, 'utf8')) as {
  access: Record<string, unknown>;
  terminalRandom: string;
  steps: { command: string; response: string }[];
  plain: { command: string; response: string }[];
};

const clone = () => JSON.parse(JSON.stringify(EXAMPLE)) as typeof EXAMPLE;

/** Flips the lowest bit of byte `index` (negative: from the end) of a hex string. */
function flip(hex: string, index: number): string {
  const bytes = Buffer.from(hex, 'hex');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] ^= 0x01;
  return bytes.toString('hex').toUpperCase();
}

interface Run {
  code: number;
  out: string[];
  err: string[];
}

/** Runs the command with the given trace object (or raw text) served as the file "trace.json". */
async function run(trace: unknown, ...extra: string[]): Promise<Run> {
  const text = typeof trace === 'string' ? trace : JSON.stringify(trace);
  const command = createChipReplayCommand({
    readFile: async (path) => {
      if (path !== 'trace.json') throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      return new TextEncoder().encode(text);
    },
  });
  const out: string[] = [];
  const err: string[] = [];
  const code = await command.run(['trace.json', ...extra], { stdin: null, stdinIsTTY: false, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out, err };
}

const json = (r: Run) => JSON.parse(r.out.join('\n')) as Record<string, unknown>;

test('the Appendix D example replays: 5 wire steps, and --keys prints the D.3 session keys', async () => {
  const r = await run(EXAMPLE, '--keys');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.equal(json(r), { ok: true, steps: 5, ksEnc: '979EC13B1CBFE9DCD01AB0FED307EAE5', ksMac: 'F1CB1F1FB5ADF208806B89DC579DC1F8' });
  const plainRun = await run(EXAMPLE);
  assert.equal(json(plainRun), { ok: true, steps: 5 });
  assert.equal(plainRun.err, []);
});

test('the example file is the real one from the examples folder, through the file system', async () => {
  const out: string[] = [];
  const code = await createChipReplayCommand().run([EXAMPLE_PATH.pathname], { stdin: null, stdinIsTTY: false, stdout: (l) => out.push(l), stderr: () => {} });
  assert.is(code, 0);
  assert.equal(JSON.parse(out[0]), { ok: true, steps: 5 });
});

test('one altered byte in a protected wire response → MAC error at that step, exit 1', async () => {
  const trace = clone();
  trace.steps[3].response = flip(trace.steps[3].response, -3); // last byte of the MAC
  const r = await run(trace);
  assert.is(r.code, 1);
  const result = json(r);
  assert.is(result.ok, false);
  assert.is(result.step, 3);
  assert.is(result.plain, 1);
  assert.is(result.code, 'EMRTD_SM_MAC_INVALID');
  assert.match(String(result.reason), /MAC/);
  assert.is(result.expected, '60145F019000');
  assert.match(r.err.join('\n'), /diverged at step 3/);
});

test('one altered byte in the chip challenge → the engine sends a different EXTERNAL AUTHENTICATE: divergence at step 1', async () => {
  const trace = clone();
  trace.steps[0].response = flip(trace.steps[0].response, 0);
  const r = await run(trace);
  assert.is(r.code, 1);
  const result = json(r);
  assert.equal(
    { ok: result.ok, step: result.step, expected: result.expected, code: result.code },
    { ok: false, step: 1, expected: EXAMPLE.steps[1].command, code: 'EMRTD_TRACE_DIVERGED' },
  );
  assert.type(result.actual, 'string');
  assert.is.not(result.actual, EXAMPLE.steps[1].command);
  assert.match(String(result.reason), /command .* differs/);
});

test('one altered byte in E_IC || M_IC → BAC fails at step 1 (the chip could not be authenticated)', async () => {
  const trace = clone();
  trace.steps[1].response = flip(trace.steps[1].response, 5);
  const result = json(await run(trace));
  assert.is(result.step, 1);
  assert.is(result.code, 'EMRTD_BAC_FAILED');
});

test('an altered plain expectation → divergence at the plain command, with both responses', async () => {
  const trace = clone();
  trace.plain[2].response = flip(trace.plain[2].response, 0);
  const r = await run(trace);
  assert.is(r.code, 1);
  const result = json(r);
  assert.equal(result, {
    ok: false,
    step: 4,
    plain: 2,
    expected: trace.plain[2].response,
    actual: EXAMPLE.plain[2].response,
    reason: 'the response unwrapped from secure messaging differs from the recorded plain response of plain[2]',
    code: 'EMRTD_TRACE_DIVERGED',
  });
});

test('an altered plain command → the protected command differs from the recorded wire command', async () => {
  const trace = clone();
  trace.plain[1].command = '00B0000005';
  const result = json(await run(trace));
  assert.is(result.step, 3);
  assert.is(result.plain, 1);
  assert.is(result.expected, EXAMPLE.steps[3].command);
  assert.is(result.code, 'EMRTD_TRACE_DIVERGED');
});

test('wrong MRZ_information → the EXTERNAL AUTHENTICATE differs at step 1', async () => {
  const trace = clone();
  trace.access.mrzInfo = 'L898902C<369080619406237';
  const result = json(await run(trace));
  assert.is(result.step, 1);
  assert.is(result.code, 'EMRTD_TRACE_DIVERGED');
});

test('a trace with fewer or more steps than the replay needs', async () => {
  const short = clone();
  short.steps.pop();
  const a = json(await run(short));
  assert.equal([a.step, a.expected, a.code], [4, null, 'EMRTD_TRACE_DIVERGED']);
  assert.match(String(a.reason), /after the last of the 4 recorded steps/);

  const long = clone();
  long.plain.pop();
  const b = json(await run(long));
  assert.equal([b.step, b.expected], [4, EXAMPLE.steps[4].command]);
  assert.match(String(b.reason), /4 of 5 recorded steps/);
});

test('terminalRandom too short or too long', async () => {
  const short = clone();
  short.terminalRandom = short.terminalRandom.slice(0, 40);
  const a = json(await run(short));
  assert.is(a.code, 'EMRTD_TRACE_RANDOM_EXHAUSTED');
  assert.is(a.step, 0);

  const long = clone();
  long.terminalRandom += '00';
  const b = json(await run(long));
  assert.is(b.code, 'EMRTD_TRACE_RANDOM_UNUSED');
});

test('a trace that starts with SELECT of the application sends it plain first', async () => {
  const trace = clone();
  trace.steps.unshift({ command: '00A4040C07A0000002471001', response: '9000' });
  const r = await run(trace, '--keys');
  assert.is(r.code, 0, r.out.join());
  assert.is(json(r).steps, 6);
  assert.is(json(r).ksEnc, '979EC13B1CBFE9DCD01AB0FED307EAE5');
});

test('malformed traces: exit 1 with EMRTD_TRACE_INVALID naming the field; unreadable file too', async () => {
  const cases: [unknown, RegExp][] = [
    ['{not json', /not JSON/],
    [[], /JSON object/],
    [{ ...clone(), terminalRandom: 'XYZ' }, /terminalRandom is not an even number of hex digits/],
    [{ ...clone(), steps: [{ command: '0084000008', response: '9' }] }, /steps\[0\]\.response is not an even number/],
    [{ ...clone(), steps: [{ command: '0084', response: '9000' }] }, /steps\[0\]\.command has 2 bytes/],
    [{ ...clone(), access: { protocol: 'EAC' } }, /access\.protocol must be "BAC" or "PACE"/],
    [{ ...clone(), access: { protocol: 'BAC' } }, /mrzInfo .* is required for BAC/],
    [{ ...clone(), plain: 'x' }, /"plain" must be an array/],
  ];
  for (const [trace, message] of cases) {
    const r = await run(trace);
    assert.is(r.code, 1, JSON.stringify(trace).slice(0, 80));
    assert.equal(r.out, []);
    assert.match(r.err[0], /^error EMRTD_TRACE_INVALID: /);
    assert.match(r.err[0], message);
    assert.ok(r.err[1]?.trim(), 'a hint follows');
  }
  const command = createChipReplayCommand({ readFile: async () => { throw Object.assign(new Error('nope'), { code: 'ENOENT' }); } });
  const err: string[] = [];
  assert.is(await command.run(['missing.json'], { stdin: null, stdinIsTTY: false, stdout: () => {}, stderr: (l) => err.push(l) }), 1);
  assert.match(err[0], /^error EMRTD_TRACE_UNREADABLE: Cannot read the trace "missing.json": no such file/);
});

test('usage errors: no trace, two traces, unknown option → exit 2 with the usage', async () => {
  for (const args of [[], ['a.json', 'b.json'], ['a.json', '--verbose']]) {
    const err: string[] = [];
    const code = await createChipReplayCommand().run(args, { stdin: null, stdinIsTTY: false, stdout: () => {}, stderr: (l) => err.push(l) });
    assert.is(code, 2, args.join(' '));
    assert.match(err[0], /^error: /);
    assert.match(err.join('\n'), /Usage: tessera chip replay/);
  }
});

test('PACE traces: not supported yet, said clearly (exit 1)', async () => {
  const trace = { access: { protocol: 'PACE', can: '123456', cardAccess: '3100' }, terminalRandom: '', steps: [], plain: [] };
  const r = await run(trace);
  assert.is(r.code, 1);
  assert.match(r.err[0], /^error EMRTD_REPLAY_PACE_UNSUPPORTED: /);
  await replayTrace(parseTrace(trace)).then(
    () => assert.unreachable('should throw'),
    (error: { code: string }) => assert.is(error.code, 'EMRTD_REPLAY_PACE_UNSUPPORTED'),
  );
});

test.run();
