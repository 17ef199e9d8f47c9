/**
 * A circuit breaker for the SLTD online service: after `failureThreshold` consecutive failures it
 * opens and the service is not asked at all (each query fails fast, as not_checked with the reason),
 * so a dead link does not cost every inspection the full timeout. After `coolDownMs` it lets one trial
 * request through (half-open): success closes it, failure opens it again for another cool-down.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
  /** The clock; tests pass a fixed or moving one. */
  now?: () => Date;
}

export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  /** When the breaker last opened (set while open or half-open). */
  openedAt?: Date;
  /** When the next trial request is allowed (set while open). */
  retryAt?: Date;
  /** The failure that counted last, in words. */
  lastFailure?: string;
}

export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: Date | undefined;
  private lastFailure: string | undefined;
  private trialInFlight = false;
  private readonly now: () => Date;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (!(options.failureThreshold >= 1)) throw new RangeError('failureThreshold must be at least 1');
    if (!(options.coolDownMs >= 0)) throw new RangeError('coolDownMs must not be negative');
    this.now = options.now ?? (() => new Date());
  }

  state(): CircuitState {
    if (!this.openedAt) return 'closed';
    return this.now().getTime() - this.openedAt.getTime() >= this.options.coolDownMs ? 'half_open' : 'open';
  }

  /**
   * Asks leave to send one request. Closed: yes. Open: no. Half-open: yes for exactly one trial at a
   * time; the trial's outcome (recordSuccess / recordFailure / releaseTrial) decides what follows.
   */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** The service answered (any answer that shows it is up, including a refusal of our credentials). */
  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
    this.lastFailure = undefined;
    this.trialInFlight = false;
  }

  /** The service failed to answer usefully (unreachable, timeout, 5xx, garbage). */
  recordFailure(reason: string): void {
    this.consecutiveFailures++;
    this.lastFailure = reason;
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    if (wasTrial || this.consecutiveFailures >= this.options.failureThreshold) this.openedAt = this.now();
  }

  /** The request ended without telling anything about the service (the caller gave up): free the trial slot. */
  releaseTrial(): void {
    this.trialInFlight = false;
  }

  snapshot(): CircuitSnapshot {
    const state = this.state();
    return {
      state,
      consecutiveFailures: this.consecutiveFailures,
      ...(this.openedAt ? { openedAt: this.openedAt } : {}),
      ...(this.openedAt && state === 'open' ? { retryAt: new Date(this.openedAt.getTime() + this.options.coolDownMs) } : {}),
      ...(this.lastFailure ? { lastFailure: this.lastFailure } : {}),
    };
  }
}
