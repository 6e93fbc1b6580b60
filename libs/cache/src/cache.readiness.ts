import { Injectable } from '@nestjs/common';
import { ReadinessCheck } from '@app/common';
import { ResponseCache } from './response-cache';

/**
 * Reports the cache's Redis on /health/ready. Not critical: the cache fails open, so an app whose
 * Redis is down is degraded, not unready — taking it out of rotation would turn a slower app into no app.
 */
@Injectable()
export class CacheReadiness implements ReadinessCheck {
  readonly name = 'redis';
  readonly critical = false;

  constructor(private readonly cache: ResponseCache) {}

  async check(): Promise<void> {
    if (!(await this.cache.ping()))
      throw new Error(
        'the cache Redis does not answer (on a cluster: a master is down or cluster_state is not ok)',
      );
  }
}
