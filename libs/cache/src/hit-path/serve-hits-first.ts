import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express, Request } from 'express';
import { HitPath } from './hit-path';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts the hit path ahead of Express on the app's HTTP server: the server's request listener (the
 * Express app) is wrapped, so a hit never enters Express. Where the hit path reads `req.query` or
 * `req.ip`, it first gives the request Express's request prototype, so they mean what they mean to
 * Express (its query parser, its `trust proxy`); Express sets the same prototype again when the
 * request goes on to it.
 * An application without an HTTP server (a worker context) is left alone.
 */
@Injectable()
export class ServeHitsFirst implements OnApplicationBootstrap {
  private readonly logger = new Logger(ServeHitsFirst.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly hitPath: HitPath,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter;
    const server = adapter?.getHttpServer() as
      | {
          listeners(e: 'request'): RequestListener[];
          removeListener(e: 'request', l: RequestListener): void;
          on(e: 'request', l: RequestListener): void;
        }
      | undefined;
    if (!server) return;
    const express = adapter.getInstance<Express>();
    // Only Express's own listener is put behind the hit path: the server's other 'request'
    // listeners (the first-request deadline of applyServerLimits) must see every request, hits too.
    const app = server.listeners('request').find((l) => l === (express as unknown));
    if (!app) {
      this.logger.warn(
        'the HTTP server does not call the Express app directly: hits go through Nest',
      );
      return;
    }
    const asExpress = (req: IncomingMessage) =>
      Object.setPrototypeOf(req, express.request) as Request;
    server.removeListener('request', app);
    server.on('request', (req, res) => {
      this.hitPath.handle(req, res, () => app.call(server, req, res), asExpress);
    });
  }
}
