import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { register } from 'prom-client';
import { httpConfig } from '../config/configuration';
import type { HttpConfig } from '../config/configuration';

/**
 * /metrics on its own port (METRICS_PORT), so the port a public ingress or load balancer forwards
 * does not expose it; Prometheus scrapes the pod or container on this one. Nothing else is served.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(@Inject(httpConfig.KEY) private readonly http: HttpConfig) {}

  /** The port it listens on (METRICS_PORT=0 picks a free one), undefined when it does not run. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.http.metricsPort === undefined) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        return;
      }
      register.metrics().then(
        (text) =>
          res
            .writeHead(200, { 'Content-Type': register.contentType, 'Cache-Control': 'no-store' })
            .end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
    server.requestTimeout = 10_000;
    server.headersTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.http.metricsPort, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics on :${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
