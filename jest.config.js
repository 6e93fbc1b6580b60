// Three tiers: fast unit specs beside the code (*.spec.ts); integration specs of one lib or module
// against the real DynamoDB Local and Redis (*.int-spec.ts); end-to-end specs through whole apps
// (*.e2e-spec.ts). int and e2e share one global setup (one DynamoDB Local per run, started by
// whichever tier runs first, the machine's Redis with isolated prefixes).
const swcOptions = require('./libs/testing/swc-options');

const swc = ['@swc/jest', { ...swcOptions, sourceMaps: 'inline' }];
const moduleNameMapper = {
  '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  '^@app/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
// Nest 12 and several of its peers ship as ES modules, which jest on Node 20 cannot require:
// let swc compile those packages to CommonJS too.
const esmPackages = ['@nestjs', 'nodemailer', 'smtp-server', 'ulid', 'nestjs-pino', 'jose'];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|js|mjs)$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  roots: [
    '<rootDir>/apps',
    '<rootDir>/libs',
    '<rootDir>/test',
    '<rootDir>/scripts',
    '<rootDir>/bench',
  ],
};
// The same file for both tiers: jest runs one global setup (and teardown) path once per run.
const throughTheStack = {
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    { ...common, ...throughTheStack, displayName: 'int', testMatch: ['**/*.int-spec.ts'] },
    {
      ...common,
      ...throughTheStack,
      displayName: 'e2e',
      testMatch: ['**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/drills/'],
    },
    // Seven app processes and a thousand clients: `npm test` runs them after the rest, alone, so
    // neither slows the other's timing-sensitive specs on a small machine.
    {
      ...common,
      ...throughTheStack,
      displayName: 'drills',
      testMatch: ['<rootDir>/test/drills/**/*.e2e-spec.ts'],
    },
  ],
  maxWorkers: 2,
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/libs/testing/src/jest/summary-reporter.js'],
};
