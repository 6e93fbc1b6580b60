/** A dependency /health/ready waits for. Libraries implement one each (DynamoDB, Redis, queues). */
export interface ReadinessCheck {
  readonly name: string;
  /** false: a failure reports the dependency as degraded but keeps the app ready (e.g. a fail-open cache). */
  readonly critical?: boolean;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
