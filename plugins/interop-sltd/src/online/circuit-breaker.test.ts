// The circuit breaker's states on a clock the test moves, and the retry delays' bounds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CircuitBreaker } from './circuit-breaker.js';
import { backoffDelayMs, sleep } from './backoff.js';

function movingClock(start = Date.parse('2026-03-01T10:42:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

test('closed until N consecutive failures; a success in between starts the count again', () => {
  const clock = movingClock();
  const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 1000, now: clock.now });
  breaker.recordFailure('connection refused');
  breaker.recordFailure('connection refused');
  breaker.recordSuccess();
  breaker.recordFailure('HTTP 500');
  breaker.recordFailure('HTTP 500');
  assert.is(breaker.state(), 'closed');
  assert.ok(breaker.tryAcquire());
  breaker.recordFailure('HTTP 503');
  assert.is(breaker.state(), 'open');
  assert.not.ok(breaker.tryAcquire(), 'an open breaker lets nothing through');
  const s = breaker.snapshot();
  assert.is(s.consecutiveFailures, 3);
  assert.is(s.lastFailure, 'HTTP 503');
  assert.is(s.openedAt!.toISOString(), '2026-03-01T10:42:00.000Z');
  assert.is(s.retryAt!.toISOString(), '2026-03-01T10:42:01.000Z');
});

test('half-open after the cool-down: one trial at a time; its success closes the breaker', () => {
  const clock = movingClock();
  const breaker = new CircuitBreaker({ failureThreshold: 1, coolDownMs: 1000, now: clock.now });
  breaker.recordFailure('timeout');
  clock.advance(999);
  assert.is(breaker.state(), 'open');
  clock.advance(1);
  assert.is(breaker.state(), 'half_open');
  assert.ok(breaker.tryAcquire(), 'the trial request');
  assert.not.ok(breaker.tryAcquire(), 'a second request while the trial runs');
  breaker.recordSuccess();
  assert.is(breaker.state(), 'closed');
  assert.is(breaker.snapshot().consecutiveFailures, 0);
  assert.ok(breaker.tryAcquire());
});

test('a failed trial opens the breaker again for a whole cool-down, whatever the threshold', () => {
  const clock = movingClock();
  const breaker = new CircuitBreaker({ failureThreshold: 5, coolDownMs: 1000, now: clock.now });
  for (let i = 0; i < 5; i++) breaker.recordFailure('HTTP 500');
  clock.advance(1500);
  assert.ok(breaker.tryAcquire());
  breaker.recordFailure('HTTP 500');
  assert.is(breaker.state(), 'open');
  assert.is(breaker.snapshot().openedAt!.getTime(), Date.parse('2026-03-01T10:42:01.500Z'));
  clock.advance(999);
  assert.not.ok(breaker.tryAcquire());
});

test('a trial released without an outcome (the caller gave up) frees the slot for the next one', () => {
  const clock = movingClock();
  const breaker = new CircuitBreaker({ failureThreshold: 1, coolDownMs: 0, now: clock.now });
  breaker.recordFailure('timeout');
  assert.ok(breaker.tryAcquire());
  breaker.releaseTrial();
  assert.ok(breaker.tryAcquire());
});

test('nonsense settings are refused', () => {
  assert.throws(() => new CircuitBreaker({ failureThreshold: 0, coolDownMs: 1 }), /failureThreshold/);
  assert.throws(() => new CircuitBreaker({ failureThreshold: 1, coolDownMs: -1 }), /coolDownMs/);
});

test('backoff doubles per retry up to the cap, keeping half of each step and jittering the rest', () => {
  const low = { baseMs: 100, maxMs: 1000, random: () => 0 };
  const high = { baseMs: 100, maxMs: 1000, random: () => 0.999999 };
  assert.equal([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, low)), [50, 100, 200, 400, 500, 500]);
  assert.equal([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, high)), [100, 200, 400, 800, 1000, 1000]);
  assert.throws(() => backoffDelayMs(0, low), /positive integer/);
});

test('sleep ends early with the abort reason', async () => {
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort(new Error('stopped')), 20);
  try {
    await sleep(5000, controller.signal);
    assert.unreachable('sleep should have been aborted');
  } catch (error) {
    assert.is((error as Error).message, 'stopped');
  }
  assert.ok(Date.now() - started < 1000);
});

test.run();
