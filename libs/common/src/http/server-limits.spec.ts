import { createServer, Server } from 'node:http';
import { connect, Socket } from 'node:net';
import { applyServerLimits } from './server-limits';

const LIMITS = {
  requestTimeoutMs: 5000,
  headersTimeoutMs: 400,
  keepAliveTimeoutMs: 300,
  maxConnections: 2,
};

describe('applyServerLimits', () => {
  let sut: Server;
  let port: number;
  const sockets: Socket[] = [];
  const open = () =>
    new Promise<Socket>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.on('error', () => undefined);
      sockets.push(socket);
    });
  const closed = (socket: Socket) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed) resolve();
      else socket.once('close', () => resolve());
    });

  beforeEach(async () => {
    sut = createServer((_req, res) => res.end('ok'));
    applyServerLimits(sut, LIMITS);
    await new Promise<void>((resolve) => sut.listen(0, '127.0.0.1', resolve));
    port = (sut.address() as { port: number }).port;
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    sut.closeAllConnections();
    await new Promise((resolve) => sut.close(resolve));
  });

  it('sets the deadlines, and checks them more often than Node does (30 s)', () => {
    expect(sut.requestTimeout).toBe(5000);
    expect(sut.headersTimeout).toBe(400);
    expect(sut.keepAliveTimeout).toBe(300);
    expect(
      (sut as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval,
    ).toBe(100);
  });

  it('never lets the headers deadline exceed the request deadline', () => {
    const other = createServer();
    applyServerLimits(other, { ...LIMITS, headersTimeoutMs: 9000 });
    expect(other.headersTimeout).toBe(5000);
  });

  // Five in a row: Node's own timeout path for a silent connection, which sometimes left the
  // client's side open, fires on some connections only.
  it('closes a connection that sends nothing at the headers deadline', async () => {
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      await closed(await open());
      expect(Date.now() - started).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 50);
    }
  });

  it('refuses connections past maxConnections', async () => {
    await open();
    await open();
    const third = await open();
    const started = Date.now();
    await closed(third);
    expect(Date.now() - started).toBeLessThan(LIMITS.headersTimeoutMs);
  });
});
