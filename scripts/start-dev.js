// npm run start:dev -- <courses|enrollments|notifications>: one app in watch mode (nest start --watch).
// The whole system on embedded defaults is `npm start`.
const { spawnSync } = require('node:child_process');

const APPS = ['courses', 'enrollments', 'notifications'];
const app = process.argv[2];
if (!APPS.includes(app)) {
  process.stderr.write(`usage: npm run start:dev -- <${APPS.join('|')}>\n`);
  process.exit(2);
}
const nest = require.resolve('@nestjs/cli/bin/nest.js');
const { status } = spawnSync(process.execPath, [nest, 'start', app, '--watch'], {
  stdio: 'inherit',
});
process.exit(status ?? 1);
