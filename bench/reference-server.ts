// A framework-overhead reference, run as its own process by bench/reference.ts:
//   tsx bench/reference-server.ts <plain|express> <port> <redis-url> <key>
// Every request does exactly ONE Redis GET of the cached list body and sends those bytes.
import { createServer } from 'node:http';
import express from 'express';
import { Redis } from 'ioredis';

const [mode, portRaw, redisUrl, key] = process.argv.slice(2);
const port = Number(portRaw);
if (!['plain', 'express'].includes(mode) || !port || !redisUrl || !key) {
  console.error('usage: reference-server.ts <plain|express> <port> <redis-url> <key>');
  process.exit(2);
}

const redis = new Redis(redisUrl, { enableAutoPipelining: false, maxRetriesPerRequest: 1 });

const server =
  mode === 'plain'
    ? createServer((_req, res) => {
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
      })
    : (() => {
        const app = express();
        app.disable('x-powered-by');
        app.get('/api/courses', async (_req, res) => {
          const body = await redis.getBuffer(key);
          if (!body) return void res.status(404).end();
          res.type('application/json').send(body);
        });
        return createServer(app);
      })();

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
