// A framework-overhead reference, run as its own process by bench/reference.ts:
//   tsx bench/reference-server.ts <memory|plain|express|nest> <port> <redis-url> <key>
// Every request does exactly ONE Redis GET of the cached list body and sends those bytes; `memory`
// reads the body once at start-up and serves it from memory (the ceiling of an in-process hit).
import 'reflect-metadata';
import { createServer, Server } from 'node:http';
import { Controller, Get, Module, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { Response } from 'express';
import { Redis } from 'ioredis';

const MODES = ['memory', 'plain', 'express', 'nest'] as const;
const [mode, portRaw, redisUrl, key] = process.argv.slice(2);
const port = Number(portRaw);
if (!(MODES as readonly string[]).includes(mode) || !port || !redisUrl || !key) {
  console.error(`usage: reference-server.ts <${MODES.join('|')}> <port> <redis-url> <key>`);
  process.exit(2);
}

const redis = new Redis(redisUrl, { enableAutoPipelining: false, maxRetriesPerRequest: 1 });

/** Express and Nest: the same handler body. */
async function sendCached(res: Response): Promise<void> {
  const body = await redis.getBuffer(key);
  if (!body) return void res.status(404).end();
  res.type('application/json').send(body);
}

function plainServer(): Server {
  return createServer((_req, res) => {
    redis.getBuffer(key).then(
      (body) => {
        if (!body) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': body.length,
        });
        res.end(body);
      },
      () => res.writeHead(503).end(),
    );
  });
}

async function memoryServer(): Promise<Server> {
  const body = await redis.getBuffer(key);
  if (!body) throw new Error(`no body at ${key}`);
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
  };
  return createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  });
}

function expressServer(): Server {
  const app = express();
  app.disable('x-powered-by');
  app.get('/api/courses', (_req, res) => sendCached(res));
  return createServer(app);
}

/**
 * Nest 12 on its default Express adapter with one controller and nothing else: no logger, guards,
 * pipes, interceptors or filters. The gap between it and the app's cached list is what our own
 * request pipeline costs; the gap between it and bare Express is Nest's.
 */
@Controller('api/courses')
class ReferenceController {
  @Get()
  list(@Res() res: Response): Promise<void> {
    return sendCached(res);
  }
}

@Module({ controllers: [ReferenceController] })
class ReferenceModule {}

async function nestServer(): Promise<Server> {
  const app = await NestFactory.create<NestExpressApplication>(ReferenceModule, { logger: false });
  app.disable('x-powered-by');
  await app.init();
  return app.getHttpServer() as Server;
}

async function main(): Promise<void> {
  const servers = {
    memory: memoryServer,
    plain: plainServer,
    express: expressServer,
    nest: nestServer,
  } satisfies Record<(typeof MODES)[number], () => Server | Promise<Server>>;
  const server = await servers[mode as (typeof MODES)[number]]();
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () =>
    console.log(`reference ${mode} listening on 127.0.0.1:${port}`),
  );
  const stop = () => {
    server.close();
    server.closeAllConnections();
    redis.disconnect();
    setTimeout(() => process.exit(0), 200).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
