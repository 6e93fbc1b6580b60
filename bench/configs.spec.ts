import { validateEnv, validateSettings } from '@app/common';
import { BaselineSettings } from '@app/baselines/baselines.config';
import { appEnv, CONFIGS, runKeyPatterns } from './configs';

const ids = {
  runId: 'r1',
  tablePrefix: 'bench_quick_',
  jwtSecret: 'j'.repeat(32),
  cursorSecret: 'c'.repeat(32),
};
const infra = {
  dynamoEndpoint: 'http://127.0.0.1:8001',
  redisUrl: 'redis://127.0.0.1:6380',
  smtpUrl: 'smtp://127.0.0.1:2526',
};

describe('appEnv', () => {
  it.each(Object.keys(CONFIGS) as (keyof typeof CONFIGS)[])(
    'gives %s an environment every app accepts (a value out of range would stop it at startup)',
    (config) => {
      const env = appEnv(config, 4001, ids, infra, {});
      expect(() => validateEnv(env)).not.toThrow();
      expect(() => validateSettings(BaselineSettings, env)).not.toThrow();
    },
  );

  it('maps each configuration to its cache, list, my-enrollments and email switches', () => {
    expect(appEnv('baseline', 4001, ids, infra, {})).toMatchObject({
      CACHE_ENABLED: 'false',
      BENCH_LIST_STRATEGY: 'scan',
      BENCH_MY_ENROLLMENTS_STRATEGY: 'n_plus_one',
      BENCH_EMAIL_MODE: 'inline',
    });
    expect(appEnv('optimized', 4001, ids, infra, {})).toMatchObject({
      CACHE_ENABLED: 'true',
      BENCH_LIST_STRATEGY: 'index',
      BENCH_MY_ENROLLMENTS_STRATEGY: 'batch',
      BENCH_EMAIL_MODE: 'queued',
    });
    expect(CONFIGS.cache_only).toEqual({
      cache: true,
      list: 'scan',
      mine: 'n_plus_one',
      email: 'queued',
      seats: true,
    });
    expect(CONFIGS.index_only).toEqual({
      cache: false,
      list: 'index',
      mine: 'batch',
      email: 'queued',
      seats: true,
    });
    // The seat merge's cost: optimized with and without it, nothing else apart.
    expect(CONFIGS.optimized_no_seats).toEqual({ ...CONFIGS.optimized, seats: false });
    expect(appEnv('optimized', 4001, ids, infra, {}).CATALOG_SEATS_IN_LIST).toBe('true');
    expect(appEnv('optimized_no_seats', 4001, ids, infra, {}).CATALOG_SEATS_IN_LIST).toBe('false');
  });

  it('gives every configuration its own Redis prefixes under the run, and passes no stray variables', () => {
    const a = appEnv('cache_only', 4002, ids, infra, {
      PATH: '/bin',
      TABLE_PREFIX: 'creg_',
      REDIS_URL: 'x',
    });
    const b = appEnv('optimized', 4002, ids, infra, {});
    expect(a.CACHE_PREFIX).not.toBe(b.CACHE_PREFIX);
    expect(a.QUEUE_PREFIX).toMatch(/^\{bench-r1-cache_only\}$/);
    expect(a).toMatchObject({
      PATH: '/bin',
      TABLE_PREFIX: 'bench_quick_',
      REDIS_URL: infra.redisUrl,
      PORT: '4002',
    });
    const patterns = runKeyPatterns('r1').map(
      (p) => new RegExp(`^${p.replace(/[{}]/g, '\\$&').replace('*', '.*')}$`),
    );
    for (const key of [`${a.CACHE_PREFIX}:e:x`, `${a.QUEUE_PREFIX}:email:wait`])
      expect(patterns.some((p) => p.test(key))).toBe(true);
  });
});

describe('appOverrides', () => {
  it('passes BENCH_APP_<NAME> to the apps as <NAME>, after the defaults', () => {
    const env = appEnv('optimized', 4001, ids, infra, {
      BENCH_APP_CACHE_TIMEOUT_MS: '500',
      BENCH_APP_: 'x',
      CACHE_TIMEOUT_MS: '1',
    });
    expect(env.CACHE_TIMEOUT_MS).toBe('500');
    expect(Object.keys(env)).not.toContain('');
  });
});
