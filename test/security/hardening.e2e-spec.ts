// Operations hardening through the three real apps: security headers, slow and idle clients cut off
// by the server's deadlines, /metrics off the app port, /docs switched off, and reads limited per
// client address. Short deadlines here keep the file fast; the defaults are in the README.
import { connect, Socket } from 'node:net';
import { MetricsServer } from '@app/common';
import { testStack } from '@app/testing';
import { AppName, RawResponse, startThreeApps } from '../three-apps';

const REQUEST_TIMEOUT_MS = 1500;
const HEADERS_TIMEOUT_MS = 1000;
const KEEP_ALIVE_TIMEOUT_MS = 500;
const READS_PER_WINDOW = 5;
const stack = testStack('hardening', {
  HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
  METRICS_PORT: '0',
  DOCS_ENABLED: 'false',
  TRUST_PROXY: 'loopback',
  RATE_LIMIT_READS: String(READS_PER_WINDOW),
});
const APPS: AppName[] = ['courses', 'enrollments', 'notifications'];
const COURSE = 'HARD1-2026-FALL';

/** Resolves with how long after `since` the socket closed, and what the server wrote to it. */
function closed(socket: Socket, since: number): Promise<{ afterMs: number; received: string }> {
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  return new Promise((resolve) => {
    socket.on('error', () => undefined); // a reset is a close too
    socket.once('close', () => resolve({ afterMs: Date.now() - since, received }));
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('hardening: headers, deadlines, metrics port, docs, per-address read limit', () => {
  let api: Awaited<ReturnType<typeof startThreeApps>>;
  const port = (app: AppName) => (api.apps[app].getHttpServer().address() as { port: number }).port;

  beforeAll(async () => {
    await stack.migrate();
    await stack.putCourse(COURSE);
    api = await startThreeApps();
  });

  afterAll(async () => {
    await api?.close();
    await stack.drop();
  });

  it.each(APPS)('%s sends the security headers (helmet) and no X-Powered-By', async (app) => {
    const res = await api.send({ app, method: 'GET', path: '/health/live' });
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it.each(APPS)('%s serves /metrics only on METRICS_PORT, and no /docs', async (app) => {
    const onAppPort = await api.send({ app, method: 'GET', path: '/metrics' });
    expect(onAppPort.status).toBe(404);
    const metricsPort = api.apps[app].get(MetricsServer).port!;
    expect(metricsPort).not.toBe(port(app));
    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('process_cpu_seconds_total');
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/courses`)).status).toBe(404);
    expect((await api.send({ app, method: 'GET', path: '/docs' })).status).toBe(404);
  });

  it('closes a request whose body trickles in (1 byte every 200 ms) at the request deadline', async () => {
    const socket = await open(port('enrollments'));
    const started = Date.now();
    const done = closed(socket, started);
    socket.write(
      'POST /api/enrollments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1000\r\n\r\n{',
    );
    const trickle = setInterval(() => socket.writable && socket.write(' '), 200);
    const { afterMs, received } = await done;
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    // The deadline plus at most one connections check (a quarter of the headers deadline here),
    // with slack for a loaded machine: the default deadline held it 326 s.
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
  });

  it('closes a connection whose headers trickle in at the headers deadline', async () => {
    const socket = await open(port('courses'));
    const started = Date.now();
    const done = closed(socket, started);
    socket.write('GET /api/courses/HARD1-2026-FALL HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => socket.writable && socket.write('X-A: b\r\n'), 200);
    const { afterMs } = await done;
    clearInterval(trickle);
    expect(afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 5000);
  });

  it('closes 300 connections that never send a byte, and an idle keep-alive socket', async () => {
    const started = Date.now();
    const sockets = await Promise.all(Array.from({ length: 300 }, () => open(port('courses'))));
    const results = await Promise.all(sockets.map((s) => closed(s, started)));
    expect(Math.max(...results.map((r) => r.afterMs))).toBeLessThan(HEADERS_TIMEOUT_MS + 5000);

    const keepAlive = await open(port('courses'));
    const done = closed(keepAlive, Date.now());
    keepAlive.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    const { afterMs, received } = await done;
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(afterMs).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + 5000);
  });

  it('keeps a keep-alive connection open whose every request is a cache hit (answered before Express)', async () => {
    // The entry is cached first, over another connection: here the very first request is a hit.
    expect(
      (await api.send({ app: 'courses', method: 'GET', path: `/api/courses/${COURSE}` })).status,
    ).toBe(200);
    const socket = await open(port('courses'));
    const done = closed(socket, Date.now());
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const sent = Math.ceil((2.5 * HEADERS_TIMEOUT_MS) / 200);
    for (let i = 0; i < sent; i++) {
      // An address each, so the read budget never refuses one (a 429 would go through Express).
      socket.write(
        `GET /api/courses/${COURSE} HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.${i + 1}\r\n\r\n`,
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(socket.destroyed).toBe(false);
    // Responses follow one another on the socket (a body is not line-terminated).
    expect(received.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(sent);
    expect(received.match(/\r\nX-Cache: HIT\r\n/gi)).toHaveLength(sent);
    socket.end();
    await done;
  });

  it('limits reads per client address (X-Forwarded-For from a trusted proxy), not per server', async () => {
    const read = (client: string): Promise<RawResponse> =>
      api.send({
        app: 'courses',
        method: 'GET',
        path: `/api/courses/${COURSE}`,
        headers: { 'x-forwarded-for': client },
      });
    for (let i = 0; i < READS_PER_WINDOW; i++) expect((await read('203.0.113.7')).status).toBe(200);
    const refused = await read('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await read('203.0.113.8')).status).toBe(200);
    // Health probes are not API reads: a load balancer polling from one address is never refused.
    for (let i = 0; i < READS_PER_WINDOW + 2; i++) {
      const probe = await api.send({ app: 'courses', method: 'GET', path: '/health/live' });
      expect(probe.status).toBe(200);
    }
  });
});
