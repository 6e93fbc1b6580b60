import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ServerLimits {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

/**
 * Bounds what a slow or idle client can hold: Node closes a request whose headers or whole body
 * have not arrived in time (408), and a keep-alive socket idle after a response. A connection that
 * never sends a byte is not a request yet, so Node's timers never see it: it gets the headers
 * deadline for its first request here. Node checks the request deadlines every
 * `connectionsCheckingInterval` (30 s by default, read when the server starts listening), which
 * would let a 30 s deadline hold a socket for up to 60 s: check every second instead, or more
 * often for short test deadlines.
 */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.max(50, Math.min(1000, Math.floor(server.headersTimeout / 4)));

  const firstRequest = new WeakMap<Socket, NodeJS.Timeout>();
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), server.headersTimeout);
    timer.unref();
    firstRequest.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  server.on('request', (req: { socket: Socket }) => {
    const timer = firstRequest.get(req.socket);
    if (timer) {
      clearTimeout(timer);
      firstRequest.delete(req.socket);
    }
  });
}
