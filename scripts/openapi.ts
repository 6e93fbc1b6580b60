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
  if (check) lint(Object.keys(APP_MODULES).map(documentPath));
}

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: {
    ruleId: string;
    severity: string;
    message: string;
    location: { source: { ref: string }; pointer: string; start?: { line: number } }[];
  }[];
}

/** Redocly's recommended rules (redocly.yaml); a warning fails the check as an error does. */
function lint(files: string[]): void {
  const redocly = require.resolve('@redocly/cli/bin/cli.js');
  let out: string;
  try {
    out = execFileSync(process.execPath, [redocly, 'lint', '--format=json', ...files], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      // No telemetry and no update check: the lint must not reach for the network.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
  } catch (err) {
    // Exits 1 on an error; the report is on stdout all the same.
    out = (err as { stdout?: string }).stdout ?? '';
  }
  // One pretty-printed report per document, back to back (`}{`): read them as an array.
  const reports = JSON.parse(`[${out.trim().replace(/\n\}\s*\{/g, '\n},{')}]`) as LintReport[];
  for (const p of reports.flatMap((r) => r.problems)) {
    const at = p.location[0];
    process.stderr.write(
      `${at?.source.ref}:${at?.start?.line ?? '?'} ${at?.pointer} ${p.severity} ${p.ruleId}: ${p.message}\n`,
    );
  }
  const errors = reports.reduce((n, r) => n + r.totals.errors, 0);
  const warnings = reports.reduce((n, r) => n + r.totals.warnings, 0);
  if (reports.length !== files.length)
    throw new Error(`redocly lint reported on ${reports.length} of ${files.length} documents`);
  process.stdout.write(
    `redocly lint: ${errors} errors, ${warnings} warnings in ${files.length} documents\n`,
  );
  if (errors + warnings > 0) process.exit(1);
}

if (require.main === module) {
  main(process.argv.includes('--check')).catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
