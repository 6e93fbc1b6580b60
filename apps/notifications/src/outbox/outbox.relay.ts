import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { counter, outboxConfig } from '@app/common';
import type { OutboxConfig } from '@app/common';
import { OutboxRepository } from '@app/data';
import { EmailProducer } from '@app/messaging';

const BATCH = 100;
const relayed = counter(
  'outbox_relay_enqueued_total',
  'Pending outbox events enqueued by the relay',
);

/**
 * The slow path of the outbox: every OUTBOX_RELAY_INTERVAL_MS, enqueue the events still pending after
 * the grace period (their request's enqueue failed, or its process died). Runs never overlap.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly producer: EmailProducer,
    @Inject(outboxConfig.KEY) private readonly config: OutboxConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.relayEnabled) this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /** One pass over the pending events; returns how many were enqueued. */
  async runOnce(): Promise<number> {
    let total = 0;
    try {
      while (!this.stopped) {
        const events = await this.outbox.listPending({
          olderThanMs: this.config.relayGraceMs,
          limit: BATCH,
        });
        const results = await Promise.all(events.map((e) => this.producer.enqueue(e)));
        const ok = results.filter(Boolean).length;
        total += ok;
        // A full page that all went through: there may be more. Any failure: Redis is struggling, wait.
        if (events.length < BATCH || ok < events.length) break;
      }
    } catch (err) {
      this.logger.warn(`outbox relay pass failed: ${(err as Error).message}`);
    }
    if (total > 0) {
      relayed.inc(total);
      this.logger.log(`relayed ${total} pending outbox event(s)`);
    }
    return total;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.current = this.runOnce()
        .then(() => undefined)
        .finally(() => {
          this.current = undefined;
          if (!this.stopped) this.schedule();
        });
    }, this.config.relayIntervalMs);
  }
}
