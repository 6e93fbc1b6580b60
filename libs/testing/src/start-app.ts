import { Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { configureApp, NEST_APP_OPTIONS } from '@app/common';

/** Boots an app module exactly as main.ts does (pipes, filters, prefix, body limit), without listening. */
export async function startApp(rootModule: Type<unknown>): Promise<NestExpressApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [rootModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(NEST_APP_OPTIONS);
  configureApp(app, 'test');
  await app.init();
  return app;
}
