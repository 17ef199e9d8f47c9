/**
 * Retry delays: exponential backoff with "equal jitter" — half of the exponential step is kept, the
 * other half is random — so many workstations retrying after the same outage spread out, while each
 * still waits at least half a step (which keeps a struggling service from being hammered).
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Uniform in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/** The wait before retry number `retry` (1 for the first retry). */
export function backoffDelayMs(retry: number, options: BackoffOptions): number {
  if (!Number.isInteger(retry) || retry < 1) throw new RangeError(`retry must be a positive integer, got ${retry}`);
  const step = Math.min(options.maxMs, options.baseMs * 2 ** (retry - 1));
  const random = options.random ?? Math.random;
  return Math.round(step / 2 + random() * (step / 2));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
