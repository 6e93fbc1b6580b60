import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Application, Request, Response } from 'express';
import { errorBody } from './error-body';

/**
 * Nest answers unknown paths under the global prefix (`/api/...`) with its JSON 404, but a path
 * outside it (`/health`, `/metrics/x`, `/.env`) reached Express's final handler, an HTML page.
 * This handler goes last, after every route Nest registered, so any path nobody serves gets the
 * API's error body too.
 */
@Injectable()
export class NotFoundFallback implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const express = this.adapterHost.httpAdapter?.getInstance<Application>();
    express?.use((req: Request, res: Response) => {
      const path = req.originalUrl.split(/[?#]/)[0];
      res.status(404).json(errorBody(404, 'NOT_FOUND', `Cannot ${req.method} ${path}`));
    });
  }
}
