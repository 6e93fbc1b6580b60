/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by npm before the tests */
// Debian packages the test suite drives: docker-compose 1.29 validates docker-compose.yml (no engine
// needed) and chromium runs the queue dashboard's browser test. `npm test` runs this first
// (`pretest`): a missing package is installed with apt-get (CI runs as root on Debian). Without
// apt-get or root, docker-compose's absence stops the run with what to do; chromium's only skips
// its one test.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');

const PACKAGES = [
  { name: 'docker-compose', binary: '/usr/bin/docker-compose', required: true },
  { name: 'chromium', binary: '/usr/bin/chromium', required: false },
];

function canInstall() {
  if (!existsSync('/usr/bin/apt-get')) return 'apt-get is not available (not a Debian machine?)';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root';
  return undefined;
}

function apt(args) {
  execFileSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function ensure(packages = PACKAGES) {
  const missing = packages.filter((p) => !existsSync(p.binary));
  if (missing.length === 0) return;
  const why = canInstall();
  if (why === undefined) {
    const names = missing.map((p) => p.name);
    process.stderr.write(`installing Debian packages: ${names.join(' ')} (apt-get)\n`);
    try {
      apt(['update', '-qq']);
      apt(['install', '-y', '-qq', '--no-install-recommends', ...names]);
    } catch (err) {
      process.stderr.write(`apt-get failed: ${err.message}\n`);
    }
  }
  for (const p of missing.filter((m) => !existsSync(m.binary))) {
    const line = `${p.binary} is missing and could not be installed${why ? ` (${why})` : ''}: run \`sudo apt-get install -y ${p.name}\``;
    if (p.required) throw new Error(line);
    process.stderr.write(`${line}; the tests that need it are skipped\n`);
  }
}

module.exports = { ensure, PACKAGES };

if (require.main === module) {
  try {
    ensure();
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
