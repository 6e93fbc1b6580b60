import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { collectDefaultMetrics, register } from 'prom-client';
import { AppConfigModule } from './config/app-config.module';
import { httpConfig, HttpConfig } from './config/configuration';
import { HealthController } from './health/health.controller';
import { READINESS_CHECKS, ReadinessCheck } from './health/readiness-check';
import { NotFoundFallback } from './http/not-found.fallback';
import { RequestShapeGuard } from './http/request-shape';
import { accessLogSerializers, quietHits } from './observability/access-log';
import { MetricsController } from './observability/metrics.controller';
import { MetricsServer } from './observability/metrics.server';

export interface PlatformOptions {
  /** The app's name, in every log line and metric. */
  name: string;
  /** What /health/ready waits for: checks exported by `imports`. */
  readiness: Type<ReadinessCheck>[];
  /** The modules that export the readiness checks. */
  imports: ModuleMetadata['imports'];
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
        ...(options.imports ?? []),
        AppConfigModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRootAsync({
          inject: [httpConfig.KEY],
          useFactory: (http: HttpConfig) => {
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
                customLogLevel: quietHits({
                  hitSample: http.accessLogHitSample,
                  slowMs: http.accessLogSlowMs,
                }),
              },
            };
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_GUARD, useClass: RequestShapeGuard },
        MetricsServer,
        NotFoundFallback,
        {
          provide: READINESS_CHECKS,
          inject: options.readiness,
          useFactory: (...checks: ReadinessCheck[]) => checks,
        },
      ],
    };
  }
}
