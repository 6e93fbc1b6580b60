import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { BaselineSettings } from '@app/baselines';
import { EnvironmentVariables, LauncherSettings } from '@app/common';

const settingsOf = (schema: new () => object) => [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(schema, '', true, false)
      .map((m) => m.propertyName),
  ),
];

// Every setting the apps, the benchmark's baselines and the launcher accept must be in the README's
// configuration tables.
describe('README configuration table', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const settings = [
    ...settingsOf(EnvironmentVariables),
    ...settingsOf(BaselineSettings),
    ...settingsOf(LauncherSettings),
  ];

  it('knows the settings', () => {
    expect(settings).toEqual(
      expect.arrayContaining(['REDIS_URL', 'CACHE_ENABLED', 'BENCH_LIST_STRATEGY', 'DEMO_SEED']),
    );
  });

  it.each(settings)('documents %s', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });
});
