import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { collectDefaultMetrics, register } from 'prom-client';
import { AppConfigModule } from './config/app-config.module';
import { HttpConfig } from './config/configuration';
import { HealthController } from './health/health.controller';
import { READINESS_CHECKS, ReadinessCheck } from './health/readiness-check';
import { NotFoundFallback } from './http/not-found.fallback';
import { RequestShapeGuard } from './http/request-shape';
import { accessLogSerializers } from './observability/access-log';
import { MetricsController } from './observability/metrics.controller';

export interface PlatformOptions {
  /** The app's name, in every log line and metric. */
  name: string;
  /** What /health/ready waits for. */
  readiness: Type<ReadinessCheck>[];
}

/**
 * What every app has: validated config, structured logs, /health/live, /health/ready, /metrics, and
 * params and query validated before any guard or interceptor looks at them.
 */
@Module({})
export class PlatformModule {
  static forApp(options: PlatformOptions): DynamicModule {
    if (!register.getSingleMetric('process_cpu_seconds_total')) {
      collectDefaultMetrics();
    }
    register.setDefaultLabels({ app: options.name });
    return {
      module: PlatformModule,
      imports: [
        AppConfigModule,
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => {
            const http = config.getOrThrow<HttpConfig>('http');
            return {
              pinoHttp: {
                name: options.name,
                level: http.logLevel,
                transport: http.logPretty
                  ? { target: 'pino-pretty', options: { singleLine: true } }
                  : undefined,
                // Health probes and scrapes would drown the access log.
                autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
                serializers: accessLogSerializers,
              },
            };
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_GUARD, useClass: RequestShapeGuard },
        NotFoundFallback,
        ...options.readiness,
        {
          provide: READINESS_CHECKS,
          inject: options.readiness,
          useFactory: (...checks: ReadinessCheck[]) => checks,
        },
      ],
    };
  }
}
