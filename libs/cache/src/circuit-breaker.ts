export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long an open circuit skips Redis before one probe is let through. */
  coolDownMs?: number;
  now?: () => number;
}

/**
 * Closed → (N consecutive failures) → open: callers skip Redis and add no latency while it is down
 * or hung → after the cool-down, half-open: exactly one probe goes through; its success closes the
 * circuit, its failure re-opens it. A probe that never reports is replaced after another cool-down.
 */
export class CircuitBreaker {
  private state: 'closed' | 'open' | 'half-open' = 'closed';
  private failures = 0;
  private since = 0;
  private readonly failureThreshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 3;
    this.coolDownMs = options.coolDownMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Whether this call may use Redis; in half-open state only the first caller (the probe) may. */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.now() - this.since < this.coolDownMs) return false;
    this.state = 'half-open';
    this.since = this.now();
    return true;
  }

  get isOpen(): boolean {
    return this.state !== 'closed';
  }

  success(): void {
    this.state = 'closed';
    this.failures = 0;
  }

  failure(): void {
    this.failures += 1;
    if (this.state === 'half-open' || this.failures >= this.failureThreshold) {
      this.state = 'open';
      this.since = this.now();
    }
  }
}
