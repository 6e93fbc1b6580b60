// The OpenAPI documents (docs/openapi/<app>.json, npm run openapi:export) against the running apps:
// the committed document is the one the app serves at /docs, every route Nest maps is in it with a
// summary, a success response and its auth, each error response lists only codes of its status,
// and every code of ERROR_STATUS is an answer of some operation. `npm run openapi:check` lints the
// same files with Redocly.
import { readFileSync } from 'node:fs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import { createOpenApiDocument, ERROR_STATUS, errorCodesOf, ErrorCode } from '@app/common';
import { testStack } from '@app/testing';
import { documentPath } from '../scripts/openapi';
import { AppName, mappedRoutes, startThreeApps } from './three-apps';

const stack = testStack('openapi');
const APPS: AppName[] = ['courses', 'enrollments', 'notifications'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Codes of ERROR_STATUS no operation answers with, and why. Empty: every DomainError code is
 * documented. (NOT_FOUND for a path nobody serves and INTERNAL_ERROR are not in ERROR_STATUS: they
 * belong to no operation.)
 */
const NOT_AN_API_ANSWER: Partial<Record<ErrorCode, string>> = {};

const committed = (app: AppName) =>
  JSON.parse(readFileSync(documentPath(app), 'utf8')) as OpenAPIObject;

const operations = (doc: OpenAPIObject) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method] as OperationObject | undefined;
      return operation ? [{ key: `${method.toUpperCase()} ${path}`, operation }] : [];
    }),
  );

let apps: Record<AppName, NestExpressApplication>;
let close: () => Promise<void>;

beforeAll(async () => {
  await stack.migrate();
  ({ apps, close } = await startThreeApps());
});

afterAll(async () => {
  await close?.();
  await stack.drop();
});

describe.each(APPS)('the %s document', (app) => {
  it('is the one the app serves (run npm run openapi:export after changing a route)', () => {
    const served = JSON.parse(JSON.stringify(createOpenApiDocument(apps[app], app)));
    expect(committed(app)).toEqual(served);
  });

  it('has every route Nest maps, and nothing else', () => {
    const mapped = mappedRoutes(apps[app]).map(
      ({ method, path }) => `${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`,
    );
    const documented = operations(committed(app)).map(({ key }) => key);
    expect([...new Set(documented)].sort()).toEqual([...new Set(mapped)].sort());
  });

  it('gives every operation a summary, a success response and its auth', () => {
    const doc = committed(app);
    const problems = operations(doc).flatMap(({ key, operation }) => [
      ...(operation.summary ? [] : [`${key}: no summary`]),
      ...(Object.keys(operation.responses).some((s) => /^2\d\d$/.test(s))
        ? []
        : [`${key}: no success response`]),
      ...((operation.security ?? doc.security)?.length ? [] : [`${key}: no security`]),
      // Bearer where a token is needed (401 UNAUTHENTICATED without one), optional on public routes.
      ...(errorCodesOf(operation).includes('UNAUTHENTICATED') ===
      !(operation.security ?? []).some((r) => Object.keys(r).length === 0)
        ? []
        : [`${key}: 401 UNAUTHENTICATED does not match its security`]),
    ]);
    expect(problems).toEqual([]);
  });

  it('lists in each error response only codes of its status', () => {
    const wrong = operations(committed(app)).flatMap(({ key, operation }) =>
      Object.keys(operation.responses).flatMap((status) =>
        errorCodesOf({ responses: { [status]: operation.responses[status] } } as OperationObject)
          .filter((code) => String(ERROR_STATUS[code]) !== status)
          .map((code) => `${key} ${status}: ${code}`),
      ),
    );
    expect(wrong).toEqual([]);
  });
});

it('documents every error code of ERROR_STATUS on some operation', () => {
  const documented = new Set(
    APPS.flatMap((app) => operations(committed(app)).flatMap((o) => errorCodesOf(o.operation))),
  );
  const missing = (Object.keys(ERROR_STATUS) as ErrorCode[]).filter(
    (code) => !documented.has(code) && !(code in NOT_AN_API_ANSWER),
  );
  expect(missing).toEqual([]);
});
