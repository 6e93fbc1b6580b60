import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown, renderSvg } from './report';
import type { BenchResult } from './result';
import { evaluateTargets } from './targets';

/** <stamp>.json, latest.json, latest.md, latest.svg; returns the files and a short summary for the terminal. */
export function writeResults(
  result: BenchResult,
  dir: string,
  stamp: string,
): { files: string[]; summary: string } {
  mkdirSync(dir, { recursive: true });
  result.generated_at ??= new Date().toISOString();
  const json = JSON.stringify(result, null, 2) + '\n';
  const files = [
    join(dir, `${stamp}.json`),
    join(dir, 'latest.json'),
    join(dir, 'latest.md'),
    join(dir, 'latest.svg'),
  ];
  writeFileSync(files[0], json);
  writeFileSync(files[1], json);
  writeFileSync(files[2], renderMarkdown(result, result.generated_at));
  writeFileSync(files[3], renderSvg(result));
  const summary = evaluateTargets(result)
    .map(
      (t) =>
        `${t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${t.measured} (target ${t.target})`,
    )
    .join('\n');
  return { files, summary };
}

/**
 * Renders the Markdown report and the chart of a stored result again (`npm run bench:render --
 * <file.json>`), next to it: after a change to the report's wording, or for a copy under docs/.
 */
export function renderStoredResult(jsonFile: string): string[] {
  const result = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchResult;
  const generatedAt = result.generated_at ?? statSync(jsonFile).mtime.toISOString();
  const base = jsonFile.replace(/\.json$/, '');
  writeFileSync(`${base}.md`, renderMarkdown(result, generatedAt));
  writeFileSync(`${base}.svg`, renderSvg(result));
  return [`${base}.md`, `${base}.svg`];
}
