import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { EnvironmentVariables } from '@app/common';

// Every setting the apps accept must be in the README's configuration table.
describe('README configuration table', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const settings = [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
        .map((m) => m.propertyName),
    ),
  ];

  it('knows the settings', () => {
    expect(settings).toEqual(expect.arrayContaining(['REDIS_URL', 'DYNAMODB_ENDPOINT', 'CACHE_ENABLED', 'JWT_SECRET']));
  });

  it.each(settings)('documents %s', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });
});
