// A cold key read at once through two instances of the courses app, each its own process: one
// DynamoDB load in all (one per process without the lease), the other instance waits for the entry.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, metricValue, testStack } from '@app/testing';

const stack = testStack('stampede', { CACHE_LEASE_MS: '5000' });
jest.setTimeout(60_000);

function startInstance(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'run-courses.js')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`courses instance exited early (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) resolve(child);
    });
  });
}

/** A counter's value in an instance's /metrics, summed over the label sets that match. */
const metric = async (port: number, name: string, labels: string): Promise<number> =>
  metricValue(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), name, labels);

describe('cold-key stampede across instances', () => {
  const instances: ChildProcess[] = [];
  let ports: number[] = [];

  beforeAll(async () => {
    await stack.migrate();
    await stack.putCourse('HOT1-2026-FALL');
    ports = [await freePort(), await freePort()];
    for (const port of ports) instances.push(await startInstance(port));
  });

  afterAll(async () => {
    for (const child of instances) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await stack.drop();
  });

  it('200 concurrent reads over two instances cause one DynamoDB load', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`http://127.0.0.1:${ports[i % 2]}/api/courses/HOT1-2026-FALL`).then(async (r) => ({
          status: r.status,
          body: await r.text(),
        })),
      ),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(responses.map((r) => JSON.parse(r.body).course_id))).toEqual(
      new Set(['HOT1-2026-FALL']),
    );

    const loads = await Promise.all(
      ports.map((p) => metric(p, 'cache_load_duration_seconds_count', 'name="course-detail"')),
    );
    expect(loads.reduce((a, b) => a + b, 0)).toBe(1);
    // Whoever found the key leased waited for its entry and got it (none gave up and loaded). How
    // many waited depends on how the requests interleave; that nobody loaded twice does not.
    const gaveUp = await Promise.all(
      ports.map((p) => metric(p, 'cache_lease_waits_total', 'result="gave-up"')),
    );
    expect(gaveUp).toEqual([0, 0]);
  });
});
