import { Inject, Injectable } from '@nestjs/common';
import { counter, DomainError, dynamodbConfig, gauge } from '@app/common';
import type { DynamodbConfig } from '@app/common';

/** Refused before anything reached DynamoDB: nothing was written, retrying is always safe. */
export class Overloaded extends DomainError {
  constructor() {
    super(
      'OVERLOADED',
      'too many writes are in progress on this instance; nothing was written, retry shortly',
      {},
      1,
    );
  }
}

const inFlightGauge = gauge('dynamodb_writes_in_flight', 'DynamoDB write operations running now');
const refused = counter(
  'dynamodb_writes_refused_total',
  'Writes refused with 503 OVERLOADED because none could start within WRITE_QUEUE_TIMEOUT_MS',
);

interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout;
}

/**
 * Admission control for this instance's DynamoDB writes: at most DYNAMODB_MAX_INFLIGHT_WRITES run at
 * once, the rest wait in line, and one that cannot start within WRITE_QUEUE_TIMEOUT_MS is refused
 * with Overloaded (503 OVERLOADED, Retry-After) at once, instead of queueing for seconds in the SDK's
 * socket pool, past its timeout, with an unknown outcome. Because the whole write (its reads
 * included) runs inside, a refusal always means nothing was sent.
 */
@Injectable()
export class WriteAdmission {
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];
  private readonly max: number;
  private readonly queueTimeoutMs: number;

  constructor(
    @Inject(dynamodbConfig.KEY)
    config: Pick<DynamodbConfig, 'maxInflightWrites' | 'writeQueueTimeoutMs'>,
  ) {
    this.max = config.maxInflightWrites;
    this.queueTimeoutMs = config.writeQueueTimeoutMs;
  }

  async run<T>(write: () => Promise<T>): Promise<T> {
    await this.admit();
    try {
      return await write();
    } finally {
      this.release();
    }
  }

  /**
   * Runs the write only if a slot is free now, never waiting; undefined when none is. For
   * best-effort writes, which must not delay the writes callers wait for nor queue behind them.
   */
  tryRun<T>(write: () => Promise<T>): Promise<T> | undefined {
    if (this.inFlight >= this.max) return undefined;
    return this.run(write);
  }

  private admit(): Promise<void> {
    if (this.inFlight < this.max) {
      this.inFlight += 1;
      inFlightGauge.set(this.inFlight);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        // The finishing write hands its slot over: inFlight stays as it is.
        grant: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          refused.inc();
          reject(new Overloaded());
        }, this.queueTimeoutMs),
      };
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      next.grant();
      return;
    }
    this.inFlight -= 1;
    inFlightGauge.set(this.inFlight);
  }
}
