import { DomainError } from './domain-error';

/**
 * A backing service (DynamoDB, after our retries and the SDK's) kept refusing or did not answer
 * within the time budget. The request was fine; the caller should retry after `Retry-After`, with
 * the same Idempotency-Key if it sent one: a write may or may not have committed.
 */
export class DependencyUnavailable extends DomainError {
  constructor(what: string, retryAfterSeconds = 1) {
    super(
      'DEPENDENCY_UNAVAILABLE',
      `${what}; retry shortly (with the same Idempotency-Key, if any)`,
      {},
      retryAfterSeconds,
    );
  }
}
