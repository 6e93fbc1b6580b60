// An entry point, like main.ts and scripts/dev.ts: class-transformer's @Type needs Reflect metadata.
import 'reflect-metadata';
import { validateLauncherEnv } from './launcher.schema';
import { parseClusterNodes } from './configuration';
import { booleanFlag, isHashTagged, validateEnv } from './env.schema';

describe('settings validation', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    [' False ', false],
    ['0', false],
  ])('reads the boolean %j as %s', (raw, value) => {
    expect(booleanFlag({ value: raw })).toBe(value);
    expect(validateEnv({ CACHE_ENABLED: raw }).CACHE_ENABLED).toBe(value);
  });

  it.each(['ture', 'yes', 'on', 'no', 'off', ''])(
    'stops on the boolean %j, naming the variable',
    (raw) => {
      expect(() => validateEnv({ CACHE_ENABLED: raw })).toThrow(/CACHE_ENABLED=/);
      expect(() => validateLauncherEnv({ DEMO_SEED: raw })).toThrow(/DEMO_SEED=/);
    },
  );

  it('names every bad variable at once', () => {
    expect(() => validateEnv({ CACHE_TTL_MS: 'soon', LOG_LEVEL: 'loud' })).toThrow(
      /CACHE_TTL_MS="soon"[\s\S]*LOG_LEVEL="loud"|LOG_LEVEL="loud"[\s\S]*CACHE_TTL_MS="soon"/,
    );
  });

  it('refuses the development secrets in production', () => {
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: must be set in production/,
    );
  });

  it('applies defaults without touching the environment it reads', () => {
    const raw = { REDIS_URL: 'redis://cache:6379' };
    const env = validateEnv(raw);
    expect(env.REDIS_URL).toBe('redis://cache:6379');
    expect(env.CACHE_TTL_MS).toBe(300000);
    expect(raw).toEqual({ REDIS_URL: 'redis://cache:6379' });
  });

  it("wants the dashboard's basic-auth user and password together, the password ≥ 12 chars", () => {
    expect(() => validateEnv({ ADMIN_BASIC_AUTH_USER: 'ops' })).toThrow(/set both or neither/);
    expect(() =>
      validateEnv({ ADMIN_BASIC_AUTH_USER: 'ops', ADMIN_BASIC_AUTH_PASSWORD: 'short' }),
    ).toThrow(/ADMIN_BASIC_AUTH_PASSWORD=/);
    expect(() =>
      validateEnv({ ADMIN_BASIC_AUTH_USER: 'ops', ADMIN_BASIC_AUTH_PASSWORD: 'long-enough-0123' }),
    ).not.toThrow();
  });

  it.each(['false', '1', 'loopback, 10.0.0.0/8', 'uniquelocal'])('accepts TRUST_PROXY=%j', (v) => {
    expect(validateEnv({ TRUST_PROXY: v }).TRUST_PROXY).toBe(v);
  });

  it('refuses an HTTP deadline below its floor, naming it', () => {
    expect(() => validateEnv({ HTTP_REQUEST_TIMEOUT_MS: '10' })).toThrow(
      /HTTP_REQUEST_TIMEOUT_MS=/,
    );
  });

  describe('REDIS_CLUSTER_NODES', () => {
    it('reads host:port seed nodes', () => {
      const env = validateEnv({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis-b.internal:7001' });
      expect(parseClusterNodes(env.REDIS_CLUSTER_NODES!)).toEqual([
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b.internal', port: 7001 },
      ]);
    });

    it.each(['127.0.0.1', '127.0.0.1:0', 'a:70000', 'a:1,,b:2', 'a:1, b:2', 'redis://a:1', ''])(
      'stops on %j, naming the variable',
      (raw) => {
        expect(() => validateEnv({ REDIS_CLUSTER_NODES: raw })).toThrow(/REDIS_CLUSTER_NODES=/);
      },
    );

    it('stops when the queue prefix is not a hash tag, since BullMQ scripts span a queue’s keys', () => {
      expect(() => validateEnv({ REDIS_CLUSTER_NODES: 'a:1', QUEUE_PREFIX: 'creg' })).toThrow(
        /QUEUE_PREFIX="creg": must contain a hash tag/,
      );
      expect(validateEnv({ REDIS_CLUSTER_NODES: 'a:1' }).QUEUE_PREFIX).toBe('{creg}');
      // Standalone Redis takes any prefix.
      expect(validateEnv({ QUEUE_PREFIX: 'creg' }).QUEUE_PREFIX).toBe('creg');
    });

    it.each([
      ['{creg}', true],
      ['{test-t_x}', true],
      ['app:{q}', true],
      ['creg', false],
      ['{}creg', false],
      ['{creg', false],
    ])('isHashTagged(%j) is %s', (prefix, tagged) => {
      expect(isHashTagged(prefix)).toBe(tagged);
    });
  });
});
