import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { register } from 'prom-client';
import { UNCACHEABLE } from '../health/health.controller';
import { Public } from '../http/public.decorator';

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  @Header(...UNCACHEABLE)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
