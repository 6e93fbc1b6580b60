import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  Module,
  NotFoundException,
  Param,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { NextFunction, Request, Response } from 'express';
import { AppConfigModule } from '@app/common';
import { AppCacheModule, Cacheable, CacheEvict } from '@app/cache';
import { withEnv } from '@app/testing';

/** The "database" behind the test routes, shared by every app of a test file (like DynamoDB). */
export class FakeDb {
  readonly versions = new Map<string, number>();
  readonly calls = new Map<string, number>();
  /** An eventually consistent index: until `lagUntil`, it answers with the version before the last write. */
  lagUntil = 0;

  version(id: string): number {
    return this.versions.get(id) ?? 1;
  }

  count(route: string): void {
    this.calls.set(route, this.callsOf(route) + 1);
  }

  callsOf(route: string): number {
    return this.calls.get(route) ?? 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function testController(db: FakeDb) {
  @Controller('t')
  class CacheTestController {
    @Get('courses/:id')
    @Cacheable({ name: 'course', scope: 'public', tags: ({ params }) => [`course:${params.id}`] })
    course(@Param('id') id: string, @Query() query: Record<string, unknown>) {
      db.count('course');
      return { id, version: db.version(id), query };
    }

    @Get('index/:id')
    @Cacheable({
      name: 'index',
      scope: 'public',
      readsIndex: true,
      tags: ({ params }) => [`course:${params.id}`],
    })
    fromIndex(@Param('id') id: string) {
      db.count('index');
      const current = db.version(id);
      return { id, version: Date.now() < db.lagUntil ? current - 1 : current };
    }

    @Patch('courses/:id')
    @CacheEvict({ tags: ({ params }) => [`course:${params.id}`] })
    update(@Param('id') id: string, @Query('fail') fail?: string) {
      if (fail) throw new ConflictException('refused');
      db.versions.set(id, db.version(id) + 1);
      return { id, version: db.version(id) };
    }

    @Post('courses')
    @CacheEvict({ tags: ({ result }) => [`course:${(result as { id: string }).id}`] })
    create(@Body() body: { id: string }) {
      db.versions.set(body.id, db.version(body.id) + 1);
      return { id: body.id, version: db.version(body.id) };
    }

    @Delete('courses/:id')
    @HttpCode(204)
    @CacheEvict({ tags: ({ params }) => [`course:${params.id}`] })
    remove(@Param('id') id: string): void {
      db.versions.set(id, db.version(id) + 1);
    }

    @Get('me')
    @Cacheable({ name: 'me', scope: 'user', tags: ({ user }) => [`user:${user!.sub}`] })
    me(@Req() req: Request & { user?: { sub: string } }) {
      db.count('me');
      return { sub: req.user?.sub ?? null, secret: `data of ${req.user?.sub}` };
    }

    @Get('slow/:id')
    @Cacheable({ name: 'slow', scope: 'public' })
    async slow(@Param('id') id: string) {
      db.count('slow');
      await sleep(300);
      return { id, at: Date.now() };
    }

    @Get('missing/:id')
    @Cacheable({ name: 'missing', scope: 'public' })
    missing(@Param('id') id: string) {
      db.count('missing');
      throw new NotFoundException(`no ${id}`);
    }

    @Get('big')
    @Cacheable({ name: 'big', scope: 'public' })
    big() {
      db.count('big');
      return { blob: 'x'.repeat(4096) };
    }

    @Get('plain')
    plain() {
      db.count('plain');
      return { ok: true };
    }
  }
  return CacheTestController;
}

/** The auth guard's job in the real apps: `x-user` stands in for a verified token. */
function fakeAuth(req: Request & { user?: { sub: string } }, _res: Response, next: NextFunction) {
  const sub = req.headers['x-user'];
  if (typeof sub === 'string') req.user = { sub };
  next();
}

/** A listening app with AppConfigModule + AppCacheModule and the test controller. */
export async function startCacheTestApp(
  db: FakeDb,
  env: Record<string, string>,
): Promise<NestExpressApplication> {
  return withEnv({ LOG_LEVEL: 'fatal', ...env }, async () => {
    @Module({
      imports: [AppConfigModule.forRoot(), AppCacheModule],
      controllers: [testController(db)],
    })
    class CacheTestModule {}
    const moduleRef = await Test.createTestingModule({ imports: [CacheTestModule] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    app.use(fakeAuth);
    await app.listen(0, '127.0.0.1');
    return app;
  });
}
