import { applyDecorators, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { normalizeIp, SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { ApiErrors, DomainError } from '@app/common';

/** The two budgets: writes per caller (`default`, the name throttler's headers omit) and reads per IP. */
export const WRITES = 'default';
export const READS = 'reads';

export class RateLimited extends DomainError {
  constructor(retryAfterSeconds: number, what = 'registration changes') {
    super(
      'RATE_LIMITED',
      `too many ${what} in a short time; retry after the time in Retry-After`,
      {},
      retryAfterSeconds,
    );
  }
}

/** The key of the reads budget of a tracker, as generateKey builds it. */
export const readsKey = (tracker: string) => `${READS}:${tracker}`;

/** The reads budget's tracker: the client's address (behind a proxy, as TRUST_PROXY resolves it). */
export const clientIp = (req: Record<string, unknown>): string =>
  `ip:${normalizeIp(String(req.ip))}`;

/**
 * Per-caller limits on writes (RATE_LIMIT_WRITES per RATE_LIMIT_WINDOW_MS), counted in Redis by
 * every instance: keyed by the verified caller's `sub` (the global AuthGuard ran first), so a rush
 * from one student cannot starve the others, and students behind one NAT are not one client.
 * Reads are limited per client IP (RATE_LIMIT_READS, the `reads` throttler's own tracker): most
 * are anonymous, and an address is what a scraper or a flood has.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const user = req.user as { sub?: string } | undefined;
    return user?.sub ? `user:${user.sub}` : `ip:${String(req.ip)}`;
  }

  /** One budget per caller for all its writes (the default key is per route handler). */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const reads = detail.key.startsWith(`${READS}:`);
    throw new RateLimited(detail.timeToBlockExpire, reads ? 'reads from this address' : undefined);
  }
}

/** Limits the route per caller (see CallerThrottlerGuard); the module is RateLimitModule. */
export const RateLimitedWrite = () =>
  applyDecorators(
    UseGuards(CallerThrottlerGuard),
    SkipThrottle({ [READS]: true }),
    ApiErrors('RATE_LIMITED'),
  );

/** Limits the read route per client IP, one budget for all reads of the app's API. */
export const RateLimitedRead = () =>
  applyDecorators(
    UseGuards(CallerThrottlerGuard),
    SkipThrottle({ [WRITES]: true }),
    ApiErrors('RATE_LIMITED'),
  );
