import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { rateLimitConfig } from '@app/common';
import type { RateLimitConfig } from '@app/common';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** What this instance knows of one address's reads in the current window. */
interface Budget {
  /** The window's count as Redis last returned it (every instance's reads). */
  confirmed: number;
  /** When that window ends (ms since the epoch); the count starts again at 0 after it. */
  windowEnds: number;
  /** Reads counted here and not sent yet, and those on their way. */
  unsent: number;
  sending: number;
  /** Over budget until then, as Redis said. */
  blockedUntil: number;
}

/** Addresses whose budget is tracked here; the least recent is forgotten (it starts again at 0). */
const TRACKED_ADDRESSES = 50_000;

/**
 * The hit path's read budget (RATE_LIMIT_READS per address and window), decided here with no
 * round trip: a read is within budget while the count Redis last returned for the address, plus
 * what this instance counted since, stays within the limit; what it counted goes to Redis in the
 * background, one INCRBY per address in flight at a time (the storage's script, so Nest's guard
 * and every instance count on the same key). A client reading one request after another is
 * refused exactly at the limit, as by the guard; a burst from one address spread over several
 * instances may pass the limit by what the others served it while one INCRBY was out. Fails open
 * as the storage does: a count Redis did not take is forgotten.
 */
@Injectable()
export class ReadBudget {
  private readonly budgets = new LRUCache<string, Budget>({ max: TRACKED_ADDRESSES });

  constructor(
    private readonly storage: RedisThrottlerStorage,
    @Inject(rateLimitConfig.KEY) private readonly limits: RateLimitConfig,
  ) {}

  get enabled(): boolean {
    return this.limits.reads > 0;
  }

  /**
   * Counts a read of the budget `key` and says whether it is within it. False (nothing counted):
   * the caller leaves the request to Nest's guard, which counts it and refuses it with 429.
   */
  take(key: string): boolean {
    const now = Date.now();
    let b = this.budgets.get(key);
    if (!b) {
      b = { confirmed: 0, windowEnds: 0, unsent: 0, sending: 0, blockedUntil: 0 };
      this.budgets.set(key, b);
    }
    if (now < b.blockedUntil) return false;
    const confirmed = now < b.windowEnds ? b.confirmed : 0;
    if (confirmed + b.sending + b.unsent + 1 > this.limits.reads) return false;
    b.unsent++;
    if (b.sending === 0) this.send(key, b);
    return true;
  }

  private send(key: string, b: Budget): void {
    const by = b.unsent;
    b.sending = by;
    b.unsent = 0;
    const { windowMs, reads } = this.limits;
    void this.storage.incrementBy(key, windowMs, reads, windowMs, by).then((record) => {
      const now = Date.now();
      b.sending = 0;
      // A failed call answers 0 hits and no TTL: nothing learnt, and the count is gone (fail open).
      if (record.timeToExpire > 0) {
        b.confirmed = record.totalHits;
        b.windowEnds = now + record.timeToExpire * 1000;
      }
      if (record.isBlocked) b.blockedUntil = now + record.timeToBlockExpire * 1000;
      if (b.unsent > 0) this.send(key, b);
    });
  }
}
