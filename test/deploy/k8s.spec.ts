// deploy/k8s, rendered offline (test/deploy/kustomize.ts) and validated against the Kubernetes
// OpenAPI schemas that the kubernetes-models package ships (validate-manifests.mjs), then checked for what operations need:
// probes on routes the apps serve, resources, autoscaling, disruption budgets, the migrate Job,
// config wiring, and a termination grace that covers the apps' shutdown deadlines.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PATH_METADATA } from '@nestjs/common/constants';
import { parseAllDocuments } from 'yaml';
import { EnvironmentVariables, validateEnv } from '@app/common';
import { HealthController } from '@app/common/health/health.controller';
import { commandOnPath } from '@app/local-stack';
import { K8S_DIR, K8sObject, renderKustomization } from './kustomize';

const APPS = ['courses', 'enrollments', 'notifications'];
const SCALED = ['courses', 'enrollments'];
const TARGETS = { base: join(K8S_DIR, 'base'), local: join(K8S_DIR, 'overlays', 'local') };

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped JSON */
type Any = any;

describe.each(Object.entries(TARGETS))('deploy/k8s %s', (target, dir) => {
  const objects = renderKustomization(dir);
  const find = (kind: string, name: string): Any =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  const config = find('ConfigMap', 'course-registration-config').data as Record<string, string>;
  const setting = (name: keyof EnvironmentVariables): number =>
    Number(config[name] ?? new EnvironmentVariables()[name]);

  it('every object is valid against the Kubernetes schema (kubernetes-models, offline)', () => {
    const results = JSON.parse(
      execFileSync(process.execPath, [join(__dirname, 'validate-manifests.mjs')], {
        input: JSON.stringify(objects),
        encoding: 'utf8',
      }),
    ) as { key: string; error: string | null }[];
    expect(results).toHaveLength(objects.length);
    expect(results.filter((r) => r.error !== null)).toEqual([]);
  });

  it.each(APPS)('%s: Deployment and Service, probes on the health routes it serves', (app) => {
    const health = Reflect.getMetadata(PATH_METADATA, HealthController) as string;
    const route = (method: 'live' | 'ready') =>
      `/${health}/${Reflect.getMetadata(PATH_METADATA, HealthController.prototype[method])}`;
    const deployment = find('Deployment', app);
    const [container] = deployment.spec.template.spec.containers;
    expect(container.readinessProbe.httpGet).toEqual({ path: route('ready'), port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: route('live'), port: 'http' });
    expect(route('ready')).toBe('/health/ready');
    const ports = Object.fromEntries(container.ports.map((p: Any) => [p.name, p.containerPort]));
    expect(ports).toEqual({ http: Number(config.PORT), metrics: Number(config.METRICS_PORT) });

    const service = find('Service', app);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports.map((p: Any) => p.targetPort)).toEqual(['http']);
  });

  it('every container has resource requests and limits, and runs as a non-root user', () => {
    const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job');
    const ours = workloads.filter((o) => APPS.includes(o.metadata.name) || o.kind === 'Job');
    expect(ours).toHaveLength(4);
    for (const o of workloads) {
      for (const c of (o as Any).spec.template.spec.containers) {
        expect({
          name: c.name,
          requests: !!c.resources?.requests,
          limits: !!c.resources?.limits,
        }).toEqual({ name: c.name, requests: true, limits: true });
      }
    }
    for (const o of ours) {
      const pod = (o as Any).spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      for (const c of pod.containers)
        expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    }
  });

  it('courses and enrollments autoscale; every app has a disruption budget', () => {
    for (const app of SCALED) {
      const hpa = find('HorizontalPodAutoscaler', app);
      expect(hpa.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: app,
      });
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    }
    expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toHaveLength(2);
    for (const app of APPS) {
      expect(find('PodDisruptionBudget', app).spec.selector).toEqual(
        find('Deployment', app).spec.selector,
      );
    }
  });

  it('the migrate Job runs the migration script with the same config and secrets', () => {
    const [c] = find('Job', 'migrate').spec.template.spec.containers;
    expect(c.command).toEqual(['npx', 'tsx', 'scripts/migrate.ts']);
    expect(existsSync(join(K8S_DIR, '..', '..', 'scripts', 'migrate.ts'))).toBe(true);
    const [app] = find('Deployment', 'courses').spec.template.spec.containers;
    expect(c.envFrom).toEqual(app.envFrom);
  });

  it('every app reads the ConfigMap and the Secret', () => {
    for (const app of APPS) {
      const [c] = find('Deployment', app).spec.template.spec.containers;
      expect(c.envFrom).toEqual([
        { configMapRef: { name: 'course-registration-config' } },
        { secretRef: { name: 'course-registration-secrets' } },
      ]);
    }
    // Only the local overlay carries a Secret (local-only values); real ones come from the store.
    expect(!!find('Secret', 'course-registration-secrets')).toBe(target === 'local');
    expect(config.NODE_ENV).toBe('production');
    expect(config.DOCS_ENABLED).toBe('false');
    expect(
      Object.keys(config).filter(
        (k) => /SECRET|PASSWORD|TOKEN/.test(k) && k !== 'AWS_SECRET_ACCESS_KEY',
      ),
    ).toEqual([]);
  });

  it('the ConfigMap holds valid settings (the apps would start with it)', () => {
    const secrets = {
      JWT_SECRET: 'k8s-spec-jwt-secret-0123',
      CURSOR_SECRET: 'k8s-spec-cursor-0123',
    };
    expect(() => validateEnv({ ...config, ...secrets })).not.toThrow();
  });

  it.each(APPS)('%s: the termination grace covers preStop and the shutdown deadlines', (app) => {
    const pod = find('Deployment', app).spec.template.spec;
    const preStop = Number(pod.containers[0].lifecycle.preStop.exec.command[1]);
    const deadlines = [setting('HTTP_REQUEST_TIMEOUT_MS')];
    if (app === 'notifications') deadlines.push(setting('WORKER_SHUTDOWN_TIMEOUT_MS'));
    const needed = preStop + Math.max(...deadlines) / 1000 + 5;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(needed);
  });

  const kubectl = commandOnPath('kubectl');
  (kubectl ? it : it.skip)('renders as `kubectl kustomize` does (skipped without kubectl)', () => {
    const theirs = parseAllDocuments(
      execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' }),
    ).map((d) => d.toJS() as K8sObject);
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const byKey = (list: K8sObject[]) =>
      Object.fromEntries(
        list.map((o) => [key(o), o]).sort(([a], [b]) => String(a).localeCompare(String(b))),
      );
    expect(byKey(objects)).toEqual(byKey(theirs));
  });
});

describe('the manifest validator', () => {
  it('refuses an object that breaks the schema', () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { replicas: 'two' },
    };
    const [result] = JSON.parse(
      execFileSync(process.execPath, [join(__dirname, 'validate-manifests.mjs')], {
        input: JSON.stringify([broken]),
        encoding: 'utf8',
      }),
    ) as { error: string }[];
    expect(result.error).toMatch(/replicas must be integer/);
  });
});
