import { Agent, request as httpRequest } from 'node:http';
import { ModulesContainer } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SmtpSink, startSmtpSink } from '@app/local-stack';
import { CoursesModule } from '../apps/courses/src/courses.module';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';
import { NotificationsModule } from '../apps/notifications/src/notifications.module';
import { startApp } from '@app/testing';

export type AppName = 'courses' | 'enrollments' | 'notifications';

export interface RawRequest {
  app: AppName;
  method: string;
  /** Sent as is (no URL normalisation): `..`, `%2F` and repeated parameters reach the server unchanged. */
  path: string;
  headers?: Record<string, string>;
  /** A raw body (sent with Content-Type: application/json unless the headers say otherwise). */
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * The three apps of the system started in this process, each listening on its own ephemeral port,
 * with a keep-alive HTTP client that sends requests byte for byte (supertest and fetch normalise
 * paths and refuse odd ones, which is exactly what hostile-input tests must send).
 * Call after `testStack(...)` and `stack.migrate()`: the apps read their config when they start.
 */
export async function startThreeApps(): Promise<{
  send: (r: RawRequest) => Promise<RawResponse>;
  apps: Record<AppName, NestExpressApplication>;
  sink: SmtpSink;
  close: () => Promise<void>;
}> {
  const sink = await startSmtpSink({});
  process.env.SMTP_URL = sink.url;
  const apps = {
    courses: await startApp(CoursesModule),
    enrollments: await startApp(EnrollmentsModule),
    notifications: await startApp(NotificationsModule),
  };
  const ports = {} as Record<AppName, number>;
  for (const [name, app] of Object.entries(apps) as [AppName, NestExpressApplication][]) {
    await app.listen(0, '127.0.0.1');
    ports[name] = (app.getHttpServer().address() as { port: number }).port;
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const send = (r: RawRequest): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        headers['content-length'] = Buffer.byteLength(r.body);
      }
      const req = httpRequest(
        { host: '127.0.0.1', port: ports[r.app], method: r.method, path: r.path, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text.length > 0 ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(15_000, () => req.destroy(new Error(`${r.method} ${r.path} timed out`)));
      req.on('error', reject);
      if (r.body !== undefined) req.write(r.body);
      req.end();
    });

  const close = async () => {
    agent.destroy();
    for (const app of Object.values(apps)) await app.close();
    await sink.stop();
  };
  return { send, apps, sink, close };
}

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: { name: string } }[] };
}

/**
 * The routes an app's controllers map, read from its Express 5 router. Nest names every route
 * handler it registers `<Controller>.<method>`; the other route layers are Swagger's /docs* and
 * the middleware Nest mounts for every method under the prefix and the excluded paths.
 */
export function mappedRoutes(app: NestExpressApplication): { method: string; path: string }[] {
  const controllers = new Set(
    [...app.get(ModulesContainer).values()].flatMap((m) =>
      [...m.controllers.values()].map((c) => String(c.name)),
    ),
  );
  const isControllerHandler = (layer: RouterLayer) =>
    layer.route!.stack.some(({ handle }) => controllers.has(handle.name.split('.')[0]));
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  return express.router.stack
    .filter(
      (layer) => layer.route && !layer.route.path.startsWith('/docs') && isControllerHandler(layer),
    )
    .flatMap(({ route }) =>
      Object.keys(route!.methods).map((method) => ({ method, path: route!.path })),
    );
}
