import { costOf } from './cost';
import { fmtMs, renderMarkdown, renderSvg } from './report';
import { partialResultFixture, resultFixture } from './result.fixture';

describe('renderMarkdown', () => {
  const md = renderMarkdown(resultFixture(), '2026-01-01T00:00:00.000Z');

  it('has one table per endpoint with the configurations as rows', () => {
    for (const heading of ['### list', '### detail', '### my enrollments', '### enroll / drop'])
      expect(md).toContain(heading);
    expect(md).toContain('| baseline | 20 | 5.30 s | 8.00 s | 8.50 s | 48 | 48 | n/a | 120.0 † |');
    expect(md).toContain(
      '| optimized | 5,000 | 25.0 ms | 60.0 ms | 75.0 ms | 0 | 0 | 99.9% | 0.00200 |',
    );
  });

  it('has the targets with PASS/MISS and the claims beside the measurements', () => {
    expect(md).toMatch(/\| list p99 latency \| ≥100× lower \| 113× lower \| PASS \|/);
    expect(md).toMatch(/\| cached list req\/s vs bare Express \| ≥100% \| 71\.4% \| MISS \|/);
    expect(md).toContain('| p99 latency | 8.5 s → 150 ms | 8.50 s → 75.0 ms | list p99 |');
    expect(md).toContain('| throughput | 20 → 800 req/s | 20 → 5,000 req/s | list req/s |');
    expect(md).toMatch(/\| errors under 200 users \| 12% → 0% \| 0\.17% → 0\.00% \|/);
  });

  it('has the memory and cost tables when the run measured them', () => {
    const r = resultFixture();
    expect(renderMarkdown(r, 'now')).not.toContain('## Cost on AWS');
    r.memory = { courses: { idle_rss_mb: 98.4, peak_rss_mb: 171.2 } };
    r.configs.optimized!.enroll!.wcu_per_req = 8;
    r.cost = costOf(r.configs);
    const text = renderMarkdown(r, 'now');
    expect(text).toContain('| courses | 98.4 MB | 171.2 MB |');
    expect(text).toMatch(/\| baseline \| \$15\.00 \| /); // 120 read units per list
    expect(text).toContain('The original write-up claimed $118 → $68 a month.');
  });

  it('has the open-loop table when the sweep ran', () => {
    const r = resultFixture();
    expect(renderMarkdown(r, 'now')).not.toContain('## Throughput at the SLO');
    r.slo = {
      baseline: {
        list: {
          max_rps_at_slo: 2,
          fixed_rate_rps: 2,
          fixed_rate_p50_ms: 210,
          fixed_rate_p99_ms: 480,
        },
      },
    };
    expect(renderMarkdown(r, 'now')).toContain(
      '| baseline | 2 req/s | 2 req/s | 210 ms | 480 ms |',
    );
    const list = r.slo.baseline!.list;
    r.slo.baseline!.list = { ...list, max_rps_at_slo: 0, fixed_rate_rps: 1 };
    r.slo.optimized = { list: { ...list, max_rps_at_slo: 8000, fixed_rate_rps: 1 } };
    const md = renderMarkdown(r, 'now');
    expect(md).toContain('| baseline | none (< 1 req/s) | 1 req/s |');
    expect(md).toContain("| optimized | ≥ 8,000 req/s (the ladder's top) | 1 req/s |");
  });

  it('has the scaling and reference tables', () => {
    expect(md).toContain('| 10,000 | 180 ms | 3.20 ms | 56.3× | 120.0 | 0.500 |');
    expect(md).toContain('| plain `node:http` + ioredis | 15,000 | 33.3% |');
    expect(md).toContain(
      '| bare Nest 12 (Express adapter, one controller) + ioredis | 6,000 | 83.3% |',
    );
  });

  it('says how far apart the two configurations with the same hit path were', () => {
    expect(md).toContain('measured 4,000 and 5,000 req/s (25.0% apart)');
  });

  it('states the seat merge cost when optimized ran with and without it', () => {
    expect(md).not.toContain('Seat merge');
    const r = resultFixture();
    r.configs.optimized!.list!.cpu_cores = { courses: 1 };
    r.configs.optimized_no_seats = {
      list: { ...r.configs.optimized!.list!, rps: 6250, cpu_cores: { courses: 0.5 } },
    };
    const out = renderMarkdown(r, 'now');
    expect(out).toContain('| optimized_no_seats | 6,250 |');
    expect(out).toContain(
      'served 5,000 req/s, the stable page alone 6,250 req/s (80.0% of it); per busy core of the courses app 5,000 and 12,500 (40.0%)',
    );
    expect(out).toContain('**optimized_no_seats**: the list page alone, no seat merge');
    expect(md).not.toContain('optimized_no_seats');
  });

  it('shows which process each measured window kept busy', () => {
    expect(md).toContain('| config | endpoint | courses | DynamoDB Local | load generator |');
    expect(md).toContain('| optimized | list | 0.99 | 0.01 | 0.70 |');
  });

  it('survives a partial result (configs and phases skipped)', () => {
    const partial = renderMarkdown(partialResultFixture(), 'now');
    expect(partial).toContain('| list p99 latency | ≥100× lower | n/a lower | N/A |');
    expect(partial).not.toContain('## Scan vs GSI Query');
    expect(partial).not.toContain('## Framework overhead');
  });
});

describe('renderSvg', () => {
  it('is a standalone SVG with one bar per config and endpoint in each panel', () => {
    const svg = renderSvg(resultFixture());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(
      svg.match(
        /<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#[0-9a-f]+"><title>/g,
      ),
    ).toHaveLength(2 * 4 * 4);
    expect(svg).toContain('<title>baseline list: 8.5k ms</title>');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('draws zero-height bars for zero values instead of breaking the log scale', () => {
    const r = resultFixture();
    r.configs.baseline!.list!.rps = 0;
    expect(renderSvg(r)).not.toMatch(/NaN|Infinity/);
  });
});

describe('fmtMs', () => {
  it('picks a readable unit', () => {
    expect(fmtMs(0.456)).toBe('0.46 ms');
    expect(fmtMs(42.04)).toBe('42.0 ms');
    expect(fmtMs(420.4)).toBe('420 ms');
    expect(fmtMs(5300)).toBe('5.30 s');
    expect(fmtMs(12_345)).toBe('12.3 s');
    expect(fmtMs(null)).toBe('n/a');
  });
});
