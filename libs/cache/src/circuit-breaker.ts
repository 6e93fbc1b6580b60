/**
 * After a Redis failure, skip Redis for a cool-down so requests add no latency while it is down;
 * then let calls through again (a success closes it, a failure re-opens it).
 */
export class CircuitBreaker {
  private openUntil = 0;

  constructor(
    private readonly coolDownMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get open(): boolean {
    return this.now() < this.openUntil;
  }

  failure(): void {
    this.openUntil = this.now() + this.coolDownMs;
  }

  success(): void {
    this.openUntil = 0;
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cache did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
