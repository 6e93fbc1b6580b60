import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { register } from 'prom-client';
import { httpConfig } from '../config/configuration';
import type { HttpConfig } from '../config/configuration';
import { UNCACHEABLE } from '../health/health.controller';
import { Public } from '../http/public.decorator';

@ApiTags('metrics')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(httpConfig.KEY) private readonly http: HttpConfig) {}

  /** On the app's port only while METRICS_PORT is unset; then MetricsServer serves it there. */
  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (here only while METRICS_PORT is unset)' })
  @ApiProduces(register.contentType)
  @ApiOkResponse({ description: 'the text exposition format', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'served on METRICS_PORT instead' })
  @Header('Content-Type', register.contentType)
  @Header(...UNCACHEABLE)
  metrics(): Promise<string> {
    if (this.http.metricsPort !== undefined) throw new NotFoundException('Cannot GET /metrics');
    return register.metrics();
  }
}
