import { INestApplication, Logger as NestLogger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { httpConfig, HttpConfig } from './config/configuration';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { privateWhenAuthenticated } from './http/cache-control.middleware';
import { jsonBodyOptions } from './http/json-body';
import { createValidationPipe } from './http/validation.pipe';
import { httpMetricsMiddleware } from './observability/http-metrics.middleware';

export const API_PREFIX = 'api';

/** Options for NestFactory.create / Test's createNestApplication: body parsing is set up by configureApp. */
export const NEST_APP_OPTIONS = { bodyParser: false, bufferLogs: true } as const;

/**
 * Everything main.ts and the e2e tests share: logger, body limit, prefix, validation, error shape, docs.
 */
export function configureApp(app: NestExpressApplication, title: string): NestExpressApplication {
  const http = app.get<HttpConfig>(httpConfig.KEY);
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.use(httpMetricsMiddleware);
  app.use(privateWhenAuthenticated);
  app.useBodyParser('json', jsonBodyOptions(http.bodyLimit, http.bodyMaxDepth));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  const docs = new DocumentBuilder().setTitle(title).setVersion('1').addBearerAuth().build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, docs));
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
