// `tessera chip replay`: the ICAO Doc 9303-11 Appendix D (BAC) and G.1 (PACE) examples replay with
// their session keys; an altered wire response, wire command or plain expectation is reported at
// the step it happens; a trace that cannot describe a session is refused with a specific code.
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

const PACE_EXAMPLE_PATH = new URL('../../examples/icao-9303-11-appendix-g1.trace.json', import.meta.url);
const PACE_EXAMPLE = JSON.parse(readFileSync(PACE_EXAMPLE_PATH, 'utf8')) as typeof EXAMPLE;
const paceClone = () => JSON.parse(JSON.stringify(PACE_EXAMPLE)) as typeof EXAMPLE;
/** KS_enc and KS_MAC of Appendix G.1. */
const G1_KEYS = { ksEnc: 'F5F0E35C0D7161EE6724EE513A0D9A7F', ksMac: 'FE251C7858B356B24514B3BD5F4297D1' };

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

test('terminalRandom too short or too long for BAC → EMRTD_TRACE_RANDOM_LENGTH before anything is replayed', async () => {
  for (const random of [EXAMPLE.terminalRandom.slice(0, 40), EXAMPLE.terminalRandom + '00']) {
    const r = await run({ ...clone(), terminalRandom: random });
    assert.is(r.code, 1);
    assert.equal(r.out, []);
    assert.match(r.err[0], /^error EMRTD_TRACE_RANDOM_LENGTH: terminalRandom has (20|25) bytes; BAC draws 24: RND\.IFD \(8\) then K\.IFD \(16\)/);
  }
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

test('the Appendix G.1 PACE example replays: 8 wire steps, and --keys prints the G.1 session keys', async () => {
  const r = await run(PACE_EXAMPLE, '--keys');
  assert.is(r.code, 0, r.err.join('\n') + r.out.join('\n'));
  assert.equal(json(r), { ok: true, steps: 8, ...G1_KEYS });
  // Through the file system, as a user runs it.
  const out: string[] = [];
  const code = await createChipReplayCommand().run([PACE_EXAMPLE_PATH.pathname], { stdin: null, stdinIsTTY: false, stdout: (l) => out.push(l), stderr: () => {} });
  assert.is(code, 0);
  assert.equal(JSON.parse(out[0]), { ok: true, steps: 8 });
});

test('the G.1 example is what make-pace-trace.ts builds from the appendix (the committed file is current)', async () => {
  const { buildPaceG1Trace } = await import('../../examples/make-pace-trace.js');
  assert.equal(buildPaceG1Trace(), PACE_EXAMPLE);
});

test('PACE with the CAN instead of the MRZ: MSE:Set AT names another password (DO\'83\' 02), divergence at step 0', async () => {
  const trace = paceClone();
  delete trace.access.mrzInfo;
  trace.access.can = '123456';
  const result = json(await run(trace));
  assert.equal(result, {
    ok: false,
    step: 0,
    expected: '0022C1A40F800A04007F00070202040202830101',
    actual: '0022C1A40F800A04007F00070202040202830102',
    reason: 'the command the engine sent differs from the recorded one',
    code: 'EMRTD_TRACE_DIVERGED',
  });
});

test('PACE divergence: a corrupted chip mapping key, nonce, token or SM response is reported at its step', async () => {
  // The chip's mapping key altered: not a point on the curve any more → the engine stops at step 2.
  const badPoint = paceClone();
  badPoint.steps[2].response = flip(badPoint.steps[2].response, 10);
  const a = json(await run(badPoint));
  assert.equal([a.ok, a.step, a.code], [false, 2, 'EMRTD_PACE_PUBLIC_KEY_INVALID']);
  assert.is(a.expected, badPoint.steps[2].response, 'the recorded response the engine refused');

  // The encrypted nonce altered: another generator, so the terminal's ephemeral key differs at step 3.
  const badNonce = paceClone();
  badNonce.steps[1].response = flip(badNonce.steps[1].response, 4);
  const b = json(await run(badNonce));
  assert.equal([b.step, b.code, b.expected], [3, 'EMRTD_TRACE_DIVERGED', PACE_EXAMPLE.steps[3].command]);
  assert.type(b.actual, 'string');
  assert.is.not(b.actual, PACE_EXAMPLE.steps[3].command);

  // The chip's token altered → the chip is not authenticated, step 4.
  const badToken = paceClone();
  badToken.steps[4].response = flip(badToken.steps[4].response, 6);
  const c = json(await run(badToken));
  assert.equal([c.step, c.code], [4, 'EMRTD_PACE_TOKEN_INVALID']);

  // A protected response altered → its MAC fails at step 6, while replaying plain[1].
  const badMac = paceClone();
  badMac.steps[6].response = flip(badMac.steps[6].response, -3);
  const r = await run(badMac);
  assert.is(r.code, 1);
  const d = json(r);
  assert.equal([d.step, d.plain, d.code, d.expected], [6, 1, 'EMRTD_SM_MAC_INVALID', PACE_EXAMPLE.plain[1].response]);
  assert.match(r.err.join('\n'), /diverged at step 6 \(plain\[1\]\)/);
});

test('bad PACE traces: missing EF.CardAccess or password, bad hex, unusable PACEInfo, wrong random length', async () => {
  const noCardAccess = paceClone();
  delete noCardAccess.access.cardAccess;
  const noPassword = paceClone();
  delete noPassword.access.mrzInfo;
  const cases: Array<[unknown, string, RegExp]> = [
    [noCardAccess, 'EMRTD_TRACE_INVALID', /access\.cardAccess .* is required for PACE/],
    [noPassword, 'EMRTD_TRACE_INVALID', /PACE needs a password: access\.mrzInfo or access\.can/],
    [{ ...paceClone(), access: { ...PACE_EXAMPLE.access, cardAccess: '3114ZZ' } }, 'EMRTD_TRACE_INVALID', /access\.cardAccess is not an even number of hex digits/],
    [{ ...paceClone(), access: { ...PACE_EXAMPLE.access, cardAccess: '3100' } }, 'EMRTD_TRACE_CARD_ACCESS_INVALID', /no PACE protocol this engine can run/],
    [{ ...paceClone(), access: { ...PACE_EXAMPLE.access, cardAccess: '300100' } }, 'EMRTD_TRACE_CARD_ACCESS_INVALID', /no PACE protocol/],
    [{ ...paceClone(), terminalRandom: PACE_EXAMPLE.terminalRandom.slice(2) }, 'EMRTD_TRACE_RANDOM_LENGTH', /terminalRandom has 63 bytes; id-PACE-ECDH-GM-AES-CBC-CMAC-128 draws 64: mapping private key \(32\) then ephemeral private key \(32\)/],
    [{ ...paceClone(), terminalRandom: PACE_EXAMPLE.terminalRandom + '01' }, 'EMRTD_TRACE_RANDOM_LENGTH', /has 65 bytes/],
    [{ ...paceClone(), steps: [{ command: '0022C1A4', response: '90' }] }, 'EMRTD_TRACE_INVALID', /steps\[0\]\.response has 1 byte/],
  ];
  for (const [trace, code, message] of cases) {
    const r = await run(trace);
    assert.is(r.code, 1, JSON.stringify(trace).slice(0, 120));
    assert.equal(r.out, []);
    assert.match(r.err[0], new RegExp(`^error ${code}: `), r.err[0]);
    assert.match(r.err[0], message);
    assert.ok(r.err[1]?.trim(), 'a hint follows');
  }
  // The library call throws the same codes (no partial result for a trace that cannot describe a session).
  await replayTrace(parseTrace({ ...paceClone(), terminalRandom: '00' })).then(
    () => assert.unreachable('should throw'),
    (error: { code: string }) => assert.is(error.code, 'EMRTD_TRACE_RANDOM_LENGTH'),
  );
});

test.run();
