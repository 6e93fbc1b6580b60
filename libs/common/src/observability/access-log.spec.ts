import type { IncomingMessage, ServerResponse } from 'node:http';
import { startTime } from 'pino-http';
import { hitLogLevel, quietHits } from './access-log';

const NOW = 1_000_000;
const response = (status: number, xCache: string | undefined, tookMs: number) =>
  ({
    statusCode: status,
    getHeader: (name: string) => (name === 'x-cache' ? xCache : undefined),
    [startTime]: NOW - tookMs,
  }) as unknown as ServerResponse;

describe('quietHits', () => {
  const level = (random: number) =>
    quietHits({ hitSample: 0.01, slowMs: 1000, random: () => random, now: () => NOW });
  const req = {} as IncomingMessage;

  it.each([
    ['a fast 200 hit, not sampled', 200, 'HIT', 5, 0.5, 'silent'],
    ['a fast 200 hit, sampled', 200, 'HIT', 5, 0.001, 'info'],
    ['a slow hit', 200, 'HIT', 1500, 0.5, 'info'],
    ['a miss', 200, 'MISS', 5, 0.5, 'info'],
    ['a bypass', 200, 'BYPASS', 5, 0.5, 'info'],
    ['an uncached route', 201, undefined, 5, 0.5, 'info'],
    ['a 404', 404, undefined, 5, 0.5, 'info'],
    ['a 503', 503, undefined, 5, 0.5, 'error'],
  ] as const)('%s → %s', (_label, status, xCache, tookMs, random, expected) => {
    expect(level(random)(req, response(status, xCache, tookMs))).toBe(expected);
  });

  it('logs an error whatever the status', () => {
    expect(level(0.5)(req, response(200, 'HIT', 5), new Error('boom'))).toBe('error');
  });
});

describe('hitLogLevel', () => {
  const level = (random: number) =>
    hitLogLevel({ hitSample: 0.01, slowMs: 1000, random: () => random, now: () => NOW });

  it.each([
    ['a fast 200, not sampled', 200, NOW - 5, 0.5, 'silent'],
    ['a fast 200, sampled', 200, NOW - 5, 0.001, 'info'],
    ['a slow 200', 200, NOW - 1500, 0.5, 'info'],
    ['a 304, not sampled', 304, NOW - 5, 0.5, 'silent'],
    ['a 200 with no start time', 200, undefined, 0.5, 'silent'],
    ['a 404', 404, NOW - 5, 0.5, 'info'],
    ['a 503', 503, NOW - 5, 0.5, 'error'],
  ] as const)('%s → %s', (_label, status, started, random, expected) => {
    expect(level(random)(status, started)).toBe(expected);
  });
});
