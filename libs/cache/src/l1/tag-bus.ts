import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Cluster } from 'ioredis';
import { cacheConfig, closeRedis } from '@app/common';
import type { CacheConfig, RedisClient } from '@app/common';
import { cacheBusDelay, cacheErrors, cacheL1Evictions, trackL1Bytes } from '../cache.metrics';
import { CACHE_REDIS } from '../cache.tokens';
import { L1Store } from './l1-store';

/** The client name of an instance's subscriber connection: CLIENT LIST shows which process listens. */
export const tagBusClientName = (pid = process.pid) => `cache-tag-bus-${pid}`;

interface BusMessage {
  tags: string[];
  /** When it was published (ms since the epoch), for cache_tag_bus_delay_seconds. */
  at: number;
}

/**
 * The L1 of this instance and the tag bus that keeps it honest (BentoCache's bus design): a bump
 * is PUBLISHed on `<CACHE_PREFIX>:tag-bus`, and every instance, this one included, drops what L1
 * held for those tags. The subscriber has its own connection (a subscribed connection can run no
 * other command), a duplicate of the cache's: on a Redis Cluster, PUBLISH reaches every node's
 * subscribers, so it may listen on any node. A message lost (a subscriber down, a reconnect) costs
 * at most CACHE_L1_TTL_MS of staleness, the L1 TTL; after a reconnect L1 is emptied, since
 * messages may have been missed meanwhile. With CACHE_L1_MAX_BYTES=0 there is no L1 and no bus.
 */
@Injectable()
export class TagBus implements OnModuleInit, OnApplicationShutdown {
  readonly l1: L1Store | undefined;
  readonly channel: string;
  private subscriber: RedisClient | undefined;
  private untrack: (() => void) | undefined;
  private readonly logger = new Logger(TagBus.name);

  constructor(
    @Inject(CACHE_REDIS) private readonly redis: RedisClient,
    @Inject(cacheConfig.KEY) private readonly config: CacheConfig,
  ) {
    this.channel = `${config.prefix}:tag-bus`;
    this.l1 =
      config.enabled && config.l1MaxBytes > 0
        ? new L1Store({
            maxBytes: config.l1MaxBytes,
            ttlMs: config.l1TtlMs,
            onEvict: () => cacheL1Evictions.inc(),
          })
        : undefined;
  }

  onModuleInit(): void {
    if (!this.l1) return;
    const l1 = this.l1;
    this.untrack = trackL1Bytes(l1);
    const noReconnect = this.config.l1BusReconnect ? {} : { retryStrategy: () => null };
    const options = {
      connectionName: tagBusClientName(),
      // A subscribed connection sends nothing after SUBSCRIBE; no command timeout applies.
      commandTimeout: undefined,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    };
    const sub =
      this.redis instanceof Cluster
        ? this.redis.duplicate(undefined, {
            enableOfflineQueue: true,
            redisOptions: { ...this.redis.options.redisOptions, ...options },
            ...(this.config.l1BusReconnect ? {} : { clusterRetryStrategy: () => null }),
          })
        : this.redis.duplicate({ ...options, ...noReconnect });
    this.subscriber = sub;
    let connected = false;
    sub.on('error', () => undefined); // the cache connection already logs outages
    sub.on('ready', () => {
      if (connected) l1.clear();
      connected = true;
    });
    sub.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      const msg = parseMessage(text);
      if (!msg) return;
      l1.drop(msg.tags);
      cacheBusDelay.observe(Math.max(0, wallClockMs() - msg.at) / 1000);
    });
    sub.subscribe(this.channel).catch((err: Error) => {
      this.logger.warn(`tag bus not subscribed (L1 entries live CACHE_L1_TTL_MS): ${err.message}`);
    });
  }

  /** Drops the tags here, then tells the other instances. Never throws. */
  async publish(tags: readonly string[]): Promise<void> {
    if (!this.l1) return;
    this.l1.drop(tags);
    const msg: BusMessage = { tags: [...tags], at: wallClockMs() };
    try {
      await this.redis.publish(this.channel, JSON.stringify(msg));
    } catch {
      cacheErrors.inc({ op: 'publish' });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.untrack?.();
    if (this.subscriber) await closeRedis(this.subscriber);
  }
}

function parseMessage(text: string): BusMessage | undefined {
  try {
    const msg = JSON.parse(text) as Partial<BusMessage>;
    if (!Array.isArray(msg.tags) || !msg.tags.every((t) => typeof t === 'string')) return undefined;
    return { tags: msg.tags, at: typeof msg.at === 'number' ? msg.at : wallClockMs() };
  } catch {
    return undefined;
  }
}

/** Epoch milliseconds with sub-millisecond precision: a delivery on one host takes well under 1 ms. */
const wallClockMs = () => performance.timeOrigin + performance.now();
