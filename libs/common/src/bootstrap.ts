import { INestApplication, Logger as NestLogger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { httpConfig, HttpConfig } from './config/configuration';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { privateWhenAuthenticated } from './http/cache-control.middleware';
import { jsonBodyOptions } from './http/json-body';
import { securityHeadersMiddleware } from './http/security-headers';
import { applyServerLimits } from './http/server-limits';
import { createValidationPipe } from './http/validation.pipe';
import { httpMetricsMiddleware } from './observability/http-metrics.middleware';
import { createOpenApiDocument } from './openapi/openapi-document';

export const API_PREFIX = 'api';

/** Options for NestFactory.create / Test's createNestApplication: body parsing is set up by configureApp. */
export const NEST_APP_OPTIONS = { bodyParser: false, bufferLogs: true } as const;

/** Paths outside the global prefix: probes, metrics, and the queue dashboard (notifications). */
export const UNPREFIXED_PATHS = ['health/live', 'health/ready', 'metrics', 'admin/queues{/*path}'];

/**
 * Everything main.ts and the e2e tests share: logger, security headers, server timeouts, body
 * limit, prefix, validation, error shape, docs.
 */
export function configureApp(app: NestExpressApplication, title: string): NestExpressApplication {
  const http = app.get<HttpConfig>(httpConfig.KEY);
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', http.trustProxy);
  applyServerLimits(app.getHttpServer(), http.server);
  // nosniff, frame-ancestors/X-Frame-Options, Referrer-Policy, a same-origin CSP (Swagger UI and
  // the queue dashboard load only their own scripts), HSTS; the API itself serves JSON only.
  app.use(securityHeadersMiddleware);
  app.use(httpMetricsMiddleware);
  app.use(privateWhenAuthenticated);
  app.useBodyParser('json', jsonBodyOptions(http.bodyLimit, http.bodyMaxDepth));
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_PATHS });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  if (http.docsEnabled) {
    SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, title));
  }
  return app;
}

/** main.ts of every app: create, configure, listen; a startup error is logged before exiting. */
export async function bootstrap(
  rootModule: Type<unknown>,
  name: string,
  defaultPort: number,
): Promise<INestApplication> {
  try {
    const app = await NestFactory.create<NestExpressApplication>(rootModule, NEST_APP_OPTIONS);
    configureApp(app, name);
    const port = app.get<HttpConfig>(httpConfig.KEY).port ?? defaultPort;
    await app.listen(port);
    app.get(Logger).log(`${name} listening on :${port}`);
    return app;
  } catch (err) {
    new NestLogger(name).error(`startup failed: ${(err as Error).message}`, (err as Error).stack);
    process.exit(1);
  }
}
