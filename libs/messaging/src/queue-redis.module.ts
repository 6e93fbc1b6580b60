import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { closeRedis, createRedisClient, redisConfig } from '@app/common';
import type { RedisClient, RedisConfig } from '@app/common';

/** BullMQ's producer connection (queues, their readiness and admin reads): `Redis` or `Cluster`. */
export const QUEUE_REDIS = Symbol('QUEUE_REDIS');

/**
 * Owns the queues' producer connection. BullMQ is handed the instance (a Redis Cluster can only be
 * given to it that way) and leaves a connection it was given open, so it is closed here, on shutdown.
 */
@Module({
  providers: [
    {
      provide: QUEUE_REDIS,
      inject: [redisConfig.KEY],
      useFactory: (redis: RedisConfig) => createRedisClient('queue-producer', redis),
    },
  ],
  exports: [QUEUE_REDIS],
})
export class QueueRedisModule implements OnApplicationShutdown {
  constructor(@Inject(QUEUE_REDIS) private readonly redis: RedisClient) {}

  onApplicationShutdown(): Promise<void> {
    return closeRedis(this.redis);
  }
}
