import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../http/public.decorator';
import { withTimeout } from '../timing/with-timeout';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';

const CHECK_TIMEOUT_MS = 1500;
/** A probe's answer is about this instance at this moment: nobody may store it (shared with /metrics). */
export const UNCACHEABLE = ['Cache-Control', 'private, no-store'] as const;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /** The process is up; says nothing of its dependencies (for restarts, not for routing). */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOkResponse({
    description: 'up',
    schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } },
  })
  @Header(...UNCACHEABLE)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every critical dependency answers; 503 with the failing ones named otherwise. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: every critical dependency answers' })
  @HealthCheck({ noCache: false, swaggerDocumentation: true }) // the header below instead of terminus's
  @Header(...UNCACHEABLE)
  ready() {
    return this.health.check(
      this.checks.map((c) => async () => {
        const indicator = this.indicators.check(c.name);
        try {
          await withTimeout(c.check(), CHECK_TIMEOUT_MS, c.name);
          return indicator.up();
        } catch (err) {
          const message = (err as Error).message;
          return c.critical === false
            ? indicator.degraded({ message })
            : indicator.down({ message });
        }
      }),
    );
  }
}
