// npm run openapi:export: writes docs/openapi/<app>.json, the OpenAPI document of each app.
// npm run openapi:check: fails when a committed document differs from the code, then lints them
// with Redocly (redocly.yaml). Neither starts a server: a preview app builds the module graph from
// the controllers' metadata without creating a provider, so nothing connects to DynamoDB or Redis.
//
// Run through libs/testing/register-ts.js (swc): tsx does not emit the decorator metadata the
// documents are made from (parameter and body types).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { API_PREFIX, createOpenApiDocument, UNPREFIXED_PATHS } from '@app/common';
import { CoursesModule } from '../apps/courses/src/courses.module';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';
import { NotificationsModule } from '../apps/notifications/src/notifications.module';

export const OPENAPI_DIR = join(__dirname, '..', 'docs', 'openapi');

export const APP_MODULES: Record<string, Type<unknown>> = {
  courses: CoursesModule,
  enrollments: EnrollmentsModule,
  notifications: NotificationsModule,
};

/** The document of one app, as its /docs serves it. */
export async function buildDocument(name: string): Promise<OpenAPIObject> {
  const app = await NestFactory.create(APP_MODULES[name], {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_PATHS });
  try {
    return createOpenApiDocument(app, name);
  } finally {
    await app.close();
  }
}

export const documentPath = (name: string) => join(OPENAPI_DIR, `${name}.json`);
const render = (doc: OpenAPIObject) => `${JSON.stringify(doc, null, 2)}\n`;

async function main(check: boolean): Promise<void> {
  mkdirSync(OPENAPI_DIR, { recursive: true });
  const stale: string[] = [];
  for (const name of Object.keys(APP_MODULES)) {
    const text = render(await buildDocument(name));
    if (!check) writeFileSync(documentPath(name), text);
    else if (readFileSync(documentPath(name), 'utf8') !== text) stale.push(documentPath(name));
  }
  if (stale.length > 0) {
    process.stderr.write(`out of date (run npm run openapi:export): ${stale.join(', ')}\n`);
    process.exit(1);
  }
  if (!check) return;
  const redocly = require.resolve('@redocly/cli/bin/cli.js');
  execFileSync(
    process.execPath,
    [redocly, 'lint', '--format=summary', ...Object.keys(APP_MODULES).map(documentPath)],
    {
      stdio: 'inherit',
      // No telemetry and no update check: the lint must not reach for the network.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
}

if (require.main === module) {
  main(process.argv.includes('--check')).catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
