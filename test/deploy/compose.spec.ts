// The container setup, checked without a container engine: docker-compose.yml validates with
// Debian's docker-compose 1.29 (installed by `npm test`'s pretest, scripts/system-packages.js),
// scales (apps publish no host port; the proxy routes every API path to its app), and the
// Dockerfile installs as the README says, runs as a non-root user and has a HEALTHCHECK.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { IMAGE_NODE_OPTIONS } from '../../bench/configs';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS script npm runs
const { ensure, PACKAGES } = require('../../scripts/system-packages.js') as {
  ensure: (packages: unknown[]) => void;
  PACKAGES: { name: string }[];
};

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const APPS = ['courses', 'enrollments', 'notifications'];

interface Service {
  ports?: unknown[];
  expose?: string[];
  container_name?: string;
  environment?: Record<string, string>;
  image?: string;
  build?: { args?: Record<string, string> };
}

describe('docker-compose.yml', () => {
  const compose = (...args: string[]) =>
    execFileSync('docker-compose', ['-f', 'docker-compose.yml', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, JWT_SECRET: '', CURSOR_SECRET: '' },
    });
  let services: Record<string, Service>;

  beforeAll(() => {
    ensure(PACKAGES.filter((p) => p.name === 'docker-compose'));
    services = (parse(compose('config')) as { services: Record<string, Service> }).services;
  });

  it('validates with docker-compose 1.29 (`docker-compose config -q`)', () => {
    expect(compose('version', '--short').trim()).toMatch(/^1\.29\./);
    expect(() => compose('config', '-q')).not.toThrow();
  });

  it('apps publish no host port and have no fixed name, so `--scale` cannot clash', () => {
    for (const app of APPS) {
      expect(services[app]).toBeDefined();
      expect(services[app].ports).toBeUndefined();
      expect(services[app].container_name).toBeUndefined();
      expect(services[app].expose).toEqual(['3000', '9464']);
    }
    expect(services.proxy.image).toMatch(/^nginx:/);
    expect(services.proxy.ports).toHaveLength(1);
  });

  it('runs the apps as the image does: production, metrics off the API port, no docs', () => {
    for (const app of APPS) {
      expect(services[app].build?.args).toEqual({ APP: app });
      expect(services[app].environment).toMatchObject({
        NODE_ENV: 'production',
        PORT: '3000',
        METRICS_PORT: '9464',
        DOCS_ENABLED: 'false',
      });
    }
  });
});

describe('the proxy (deploy/nginx/nginx.conf)', () => {
  const conf = read('deploy/nginx/nginx.conf');
  const routes = [...conf.matchAll(/^\s*~(\S+)\s+(\w+);$/gm)].map(([, re, app]) => ({
    re: new RegExp(re),
    app,
  }));
  const routed = (path: string) => routes.find((r) => r.re.test(path))?.app;

  it.each([
    ['/api/courses', 'courses'],
    ['/api/courses/CS101-2026-FALL', 'courses'],
    ['/api/instructors/i1/courses', 'courses'],
    ['/api/courses/CS101-2026-FALL/enrollments', 'enrollments'],
    ['/api/courses/CS101-2026-FALL/history', 'enrollments'],
    ['/api/enrollments/me/history', 'enrollments'],
    ['/api/users/u1/history', 'enrollments'],
    ['/api/enrollments', 'enrollments'],
    ['/api/enrollments/me', 'enrollments'],
    ['/api/auth/me', 'enrollments'],
    ['/api/queues/email/counts', 'notifications'],
    ['/admin/queues', 'notifications'],
    ['/admin/queues/api/queues', 'notifications'],
  ])('routes %s to %s', (path, app) => {
    expect(routed(path)).toBe(app);
  });

  // Every API path each app documents (docs/openapi, exported from the controllers) reaches that app.
  it.each(APPS)('routes every /api path of the %s document to it', (app) => {
    const doc = JSON.parse(read(`docs/openapi/${app}.json`)) as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths)
      .filter((p) => p.startsWith('/api/'))
      .map((p) => p.replace(/\{[^}]+\}/g, 'X1'));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => routed(p) !== app)).toEqual([]);
  });

  it.each(['/metrics', '/docs', '/docs-json', '/health/ready', '/api/coursesX'])(
    'does not route %s',
    (path) => expect(routed(path)).toBeUndefined(),
  );

  it('has an upstream per app that re-resolves its replicas', () => {
    for (const app of APPS) {
      expect(conf).toMatch(new RegExp(`upstream ${app} \\{[^}]*server ${app}:3000 resolve;`));
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('installs with the README command, runs as a non-root user, with a HEALTHCHECK', () => {
    expect(read('README.md')).toContain('npm ci && npm test');
    expect(dockerfile).toMatch(/^RUN npm ci$/m);
    const users = [...dockerfile.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('node');
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD .*\/health\/live/m);
    expect(dockerfile).toMatch(/NODE_ENV=production/);
    expect(dockerfile).toMatch(/METRICS_PORT=9464/);
    expect(dockerfile).toMatch(/DOCS_ENABLED=false/);
  });

  it('caps the heap with the NODE_OPTIONS the benchmark measures the apps with', () => {
    expect(dockerfile).toContain(`NODE_OPTIONS=${IMAGE_NODE_OPTIONS} `);
  });
});
