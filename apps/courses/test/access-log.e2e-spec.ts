// Quiet hits through the real app: with no sample, a cache hit writes no access-log line, a miss does.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startApp, testStack, withEnv } from '@app/testing';
import { CoursesModule } from '../src/courses.module';

const stack = testStack('access_log', { LOG_LEVEL: 'info', ACCESS_LOG_HIT_SAMPLE: '0' });

describe('access log of cache hits', () => {
  let app: NestExpressApplication;
  const lines: string[] = [];
  let restore: () => void;

  beforeAll(async () => {
    await stack.migrate();
    await stack.putCourse('LOG1-2026-FALL');
    // pino writes JSON lines straight to stdout: collect the access-log ones.
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = chunk.toString();
      if (text.includes('"responseTime"')) lines.push(text);
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    restore = () => (process.stdout.write = write);
    app = await startApp(CoursesModule);
  });

  afterAll(async () => {
    restore?.();
    await app?.close();
    await stack.drop();
  });

  const detailLines = () => lines.filter((l) => l.includes('/api/courses/LOG1-2026-FALL'));

  it('logs the miss and the 404, not the hits', async () => {
    const http = request(app.getHttpServer());
    expect((await http.get('/api/courses/LOG1-2026-FALL')).headers['x-cache']).toBe('MISS');
    await http.get('/api/courses/NOPE9-2026-FALL').expect(404);
    for (let i = 0; i < 5; i++) {
      expect((await http.get('/api/courses/LOG1-2026-FALL')).headers['x-cache']).toBe('HIT');
    }
    expect(detailLines()).toHaveLength(1);
    expect(lines.filter((l) => l.includes('NOPE9-2026-FALL'))).toHaveLength(1);
  });

  it('logs every hit when the sample is 1, from the hit path, with the same fields', async () => {
    const sampled = await withEnv({ ACCESS_LOG_HIT_SAMPLE: '1' }, () => startApp(CoursesModule));
    try {
      const http = request(sampled.getHttpServer());
      const before = detailLines().length;
      for (let i = 0; i < 3; i++) {
        expect((await http.get('/api/courses/LOG1-2026-FALL')).headers['x-cache']).toBe('HIT');
      }
      const hits = detailLines()
        .slice(before)
        .map((l) => JSON.parse(l) as Record<string, { statusCode?: number; url?: string }>);
      expect(hits).toHaveLength(3);
      for (const line of hits) {
        expect(line.req.url).toBe('/api/courses/LOG1-2026-FALL');
        expect(line.res.statusCode).toBe(200);
        expect(line.msg).toBe('request completed');
      }
    } finally {
      await sampled.close();
    }
  });
});
