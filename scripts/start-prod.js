// npm run start:prod -- <courses|enrollments|notifications>: one built app, as its container runs it
// (node dist/apps/<app>/main.js; build first with `npm run build`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const APPS = ['courses', 'enrollments', 'notifications'];
const app = process.argv[2];
if (!APPS.includes(app)) {
  process.stderr.write(`usage: npm run start:prod -- <${APPS.join('|')}>\n`);
  process.exit(2);
}
const main = join(__dirname, '..', 'dist', 'apps', app, 'main.js');
if (!existsSync(main)) {
  process.stderr.write(`${main} is missing: run \`npm run build\` first\n`);
  process.exit(1);
}
require(main);
