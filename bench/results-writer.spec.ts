import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultFixture } from './result.fixture';
import { renderStoredResult, writeResults } from './results-writer';

describe('results writer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bench-results-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the stamped JSON, latest.* and a summary of the targets', () => {
    const { files, summary } = writeResults(resultFixture(), dir, 'stamp');
    const stored = JSON.parse(readFileSync(join(dir, 'stamp.json'), 'utf8'));
    expect(stored.generated_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(readFileSync(join(dir, 'latest.json'), 'utf8')).toBe(readFileSync(files[0], 'utf8'));
    expect(readFileSync(join(dir, 'latest.md'), 'utf8')).toContain(
      `Generated ${stored.generated_at}`,
    );
    expect(readFileSync(join(dir, 'latest.svg'), 'utf8')).toMatch(/^<svg/);
    expect(summary).toMatch(/^PASS {2}list p99 latency/m);
  });

  it('renders a stored result again beside it, with the time it was generated', () => {
    const file = join(dir, 'full.json');
    writeFileSync(
      file,
      JSON.stringify({ ...resultFixture(), generated_at: '2026-01-02T03:04:05.000Z' }),
    );
    expect(renderStoredResult(file)).toEqual([join(dir, 'full.md'), join(dir, 'full.svg')]);
    expect(readFileSync(join(dir, 'full.md'), 'utf8')).toContain(
      'Generated 2026-01-02T03:04:05.000Z',
    );
  });
});
