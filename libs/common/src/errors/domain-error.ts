import type { ErrorCode } from './error-codes';

/**
 * A rule of the domain was broken: a stable, machine-readable `code`, a message for people and
 * structured `details` the caller can act on (`opens_at`, `violations`, `waitlist_available`, …),
 * rendered at the top level of the error body. No HTTP status: the exception filter maps every
 * code to one (error-codes.ts). Each module declares its errors in its own `*.errors.ts`.
 */
export class DomainError<D extends object = Record<string, unknown>> extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: D = {} as D,
    /** Sent as `Retry-After` when the caller should try again later. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
