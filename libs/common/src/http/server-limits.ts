import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const CLIENT_ERROR_STATUS: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
};

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
  // Node's own answer to a client error (a deadline passed, a malformed request) writes an error
  // response first; to a connection that never sent a byte, that write can hang, and the client's
  // side stays open (seen on Node 20: the headers deadline fires for an idle connection, and the
  // client never sees the close). Such a connection is just closed; others get the response.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.bytesRead > 0 && socket.writable && socket.bytesWritten === 0) {
      const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
        socket.destroy(),
      );
      setTimeout(() => socket.destroy(), 1000).unref(); // should that write hang too
    } else {
      socket.destroy();
    }
  });
  server.on('request', (req: { socket: Socket }) => {
    const timer = firstRequest.get(req.socket);
    if (timer) {
      clearTimeout(timer);
      firstRequest.delete(req.socket);
    }
  });
}
