import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { closeRedis, redisClientProvider } from '@app/common';
import type { RedisClient } from '@app/common';

/** BullMQ's producer connection (queues, their readiness and admin reads): `Redis` or `Cluster`. */
export const QUEUE_REDIS = Symbol('QUEUE_REDIS');

/**
 * Owns the queues' producer connection. BullMQ is handed the instance (a Redis Cluster can only be
 * given to it that way) and leaves a connection it was given open, so it is closed here, on shutdown.
 */
@Module({
  providers: [redisClientProvider(QUEUE_REDIS, 'queue-producer')],
  exports: [QUEUE_REDIS],
})
export class QueueRedisModule implements OnApplicationShutdown {
  constructor(@Inject(QUEUE_REDIS) private readonly redis: RedisClient) {}

  onApplicationShutdown(): Promise<void> {
    return closeRedis(this.redis);
  }
}
