import prettier from 'eslint-config-prettier/flat';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Request DTOs: class-validator's IsOptional lets `null` through every check.
    files: ['apps/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['libs/common/src/config/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'class-validator',
              importNames: ['IsOptional'],
              message: 'use IsOmittable from @app/common: IsOptional also accepts null',
            },
          ],
        },
      ],
    },
  },
  // Formatting is Prettier's (npm run format:check); ESLint rules that would disagree with it are off.
  prettier,
);
