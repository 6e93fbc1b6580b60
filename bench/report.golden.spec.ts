// The whole report, byte for byte: bench/golden/* were rendered by the report code before it was
// split into report-*.ts (issue 9), from the inputs below. After an intended change to the
// report's wording or chart, render these inputs again and review the diff of bench/golden/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown, renderSvg } from './report';
import type { BenchResult } from './result';
import { partialResultFixture, resultFixture } from './result.fixture';

const golden = (file: string) => readFileSync(join(__dirname, 'golden', file), 'utf8');

/**
 * A quick run with gaps: a configuration and an endpoint row missing, CPU of unlisted processes,
 * an unknown RCU, an unlisted DynamoDB operation, a scaling point whose Query took 0 ms, half the references missing.
 */
function edgeResult(): BenchResult {
  const r = resultFixture();
  r.dataset.quick = true;
  r.dataset.duration_s = 4;
  delete r.configs.index_only;
  delete r.configs.cache_only!.enroll;
  r.configs.baseline!.detail!.cpu_cores = {
    courses: 1.02,
    zeta: 0.3,
    Redis: 0.12,
    'load generator': 0.5,
  };
  r.configs.cache_only!.list!.cpu_cores = { enrollments: 0.2, notifications: 0.01 };
  r.configs.optimized!.list!.rcu_per_req = null;
  r.configs.optimized!.list!.rcu_source = 'window';
  r.configs.optimized!.list!.hit_rate = 0.5;
  r.configs.baseline!.enroll!.ddb_calls_per_req = { GetItem: 0.07, Zeta: 0.5 };
  r.reference.express_rps = null;
  r.reference.nest_cached_rps = null;
  r.scaling.push({ courses: 100000, scan_ms: 2500, query_ms: 0, scan_rcu: 1200, query_rcu: 0 });
  return r;
}

describe.each([
  ['full', resultFixture(), '2026-01-01T00:00:00.000Z'],
  ['partial', partialResultFixture(), 'now'],
  ['edge', edgeResult(), '2026-01-01T00:00:00.000Z'],
])('the %s report', (name, result, generatedAt) => {
  it('renders latest.md exactly as the golden file', () => {
    expect(renderMarkdown(result, generatedAt)).toBe(golden(`${name}.md`));
  });

  it('renders latest.svg exactly as the golden file', () => {
    expect(renderSvg(result)).toBe(golden(`${name}.svg`));
  });
});
