import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const APP_NAMES = ['courses', 'enrollments', 'notifications'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** The repository's root: the apps run from it (its node_modules). */
export const repoRoot = resolve(__dirname, '../../..');

/** The built entry point of an app, as its container runs it. */
export const entryPointOf = (app: AppName): string =>
  join(repoRoot, 'dist', 'apps', app, 'main.js');

const isTestFile = (name: string) => /\.(int-|e2e-)?spec\.ts$/.test(name);

/** The newest modification time of the files a build reads (sources of apps and libs, build config). */
function newestSourceMs(): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && !isTestFile(entry.name))
        newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const group of ['apps', 'libs']) {
    for (const entry of readdirSync(join(repoRoot, group), { withFileTypes: true })) {
      const src = join(repoRoot, group, entry.name, 'src');
      if (entry.isDirectory() && existsSync(src)) visit(src);
    }
  }
  for (const file of ['nest-cli.json', 'tsconfig.json', 'package-lock.json'])
    newest = Math.max(newest, statSync(join(repoRoot, file)).mtimeMs);
  return newest;
}

/** Whether some entry point is missing or older than the sources it is built from. */
export function entryPointsStale(): boolean {
  const sources = newestSourceMs();
  return APP_NAMES.some((app) => {
    const main = entryPointOf(app);
    return !existsSync(main) || statSync(main).mtimeMs < sources;
  });
}

/**
 * Builds dist/apps/* (`npm run build`, a few seconds) when it is missing or stale, so specs that run
 * the built entry points test the code as it is. Called once per jest run by the global setup.
 */
export function ensureEntryPointsBuilt(): void {
  if (!entryPointsStale()) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['run', 'build'], { cwd: repoRoot, encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(
      `npm run build failed (exit ${run.status}):\n${`${run.stdout}\n${run.stderr}`.trim()}`,
    );
  }
}
