import { Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { configureApp, NEST_APP_OPTIONS } from '@app/common';
import { AuthUser, signToken } from '@app/auth';

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef';

/** Boots an app module exactly as main.ts does (pipes, filters, prefix, body limit), without listening. */
export async function startApp(rootModule: Type<unknown>): Promise<NestExpressApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [rootModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(NEST_APP_OPTIONS);
  configureApp(app, 'test');
  await app.init();
  return app;
}

export function tokenFor(user: AuthUser): Promise<string> {
  return signToken(user, TEST_JWT_SECRET, '1h');
}

/** Polls until `check` holds or the deadline passes; resolves either way so the caller asserts what it sees. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
}
