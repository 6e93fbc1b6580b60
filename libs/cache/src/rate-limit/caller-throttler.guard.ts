import { ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { DomainError } from '@app/common';

export class RateLimited extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(
      'RATE_LIMITED',
      'too many registration changes in a short time; retry after the time in Retry-After',
      {},
      retryAfterSeconds,
    );
  }
}

/**
 * Per-caller limits on writes (RATE_LIMIT_WRITES per RATE_LIMIT_WINDOW_MS), counted in Redis by
 * every instance: keyed by the verified caller's `sub` (the global AuthGuard ran first), so a rush
 * from one student cannot starve the others, and students behind one NAT are not one client.
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
    throw new RateLimited(detail.timeToBlockExpire);
  }
}

/** Limits the route per caller (see CallerThrottlerGuard); the module is RateLimitModule. */
export const RateLimitedWrite = () => UseGuards(CallerThrottlerGuard);
