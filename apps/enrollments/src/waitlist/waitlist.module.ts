import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { BaselinesModule } from '@app/baselines';
import { AppCacheModule, RateLimitModule } from '@app/cache';
import { closeRedis, redisClientProvider } from '@app/common';
import type { RedisClient } from '@app/common';
import { DataModule } from '@app/data';
import { MessagingModule } from '@app/messaging';
import { EligibilityModule } from '../registration/eligibility.module';
import { DeadlineSweepService } from './deadline-sweep.service';
import { OfferController } from './offer.controller';
import { PromotionService } from './promotion.service';
import { PromotionWorker, WAITLIST_WORKER_REDIS } from './promotion.worker';
import { WaitlistController } from './waitlist.controller';
import { WaitlistService } from './waitlist.service';

/**
 * Waitlists (DESIGN §9): the section's list, the join/leave service, the promotion worker (which
 * also runs the terms' add-deadline sweeps).
 */
@Module({
  imports: [
    AppCacheModule,
    BaselinesModule.registration(),
    DataModule,
    EligibilityModule,
    MessagingModule,
    RateLimitModule,
  ],
  controllers: [OfferController, WaitlistController],
  providers: [
    redisClientProvider(WAITLIST_WORKER_REDIS, 'queue-worker'),
    DeadlineSweepService,
    PromotionService,
    PromotionWorker,
    WaitlistService,
  ],
  exports: [WaitlistService],
})
export class WaitlistModule implements OnApplicationShutdown {
  constructor(@Inject(WAITLIST_WORKER_REDIS) private readonly redis: RedisClient) {}

  /** After PromotionWorker closed the worker (beforeApplicationShutdown). */
  onApplicationShutdown(): Promise<void> {
    return closeRedis(this.redis);
  }
}
