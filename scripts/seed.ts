// Loads a reproducible dataset: npm run db:seed [-- --demo | --users N --courses N --enrollments N
// --semesters N --departments N --seed N] [--if-empty]. Runs the migrations first.
import { parseArgs } from 'node:util';
import { dynamodbConfig, validateEnv } from '@app/common';
import { createDynamoDbClients, describeDynamoDbError, tableNames } from '@app/data';
import {
  DEFAULT_SEED_OPTIONS,
  DEMO_SEED_OPTIONS,
  hasSeedData,
  SeedOptions,
  SeedProgress,
  seedDataset,
} from '@app/data/seed';
import { migrate } from '@app/data/migrations';

const USAGE =
  'usage: npm run db:seed -- [--demo] [--users N] [--courses N] [--enrollments N] [--semesters N] [--departments N] [--seed N] [--if-empty]';

function parseOptions(): { options: SeedOptions; ifEmpty: boolean } {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      'if-empty': { type: 'boolean', default: false },
      users: { type: 'string' },
      courses: { type: 'string' },
      enrollments: { type: 'string' },
      semesters: { type: 'string' },
      departments: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const options: SeedOptions = { ...(values.demo ? DEMO_SEED_OPTIONS : DEFAULT_SEED_OPTIONS) };
  for (const name of [
    'users',
    'courses',
    'enrollments',
    'semesters',
    'departments',
    'seed',
  ] as const) {
    const raw = values[name];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`--${name} must be a non-negative integer, got "${raw}"\n${USAGE}`);
    options[name] = n;
  }
  return { options, ifEmpty: values['if-empty'] };
}

/** A redrawn single line on a terminal; a line every few seconds in logs (CI, the dev launcher). */
function progressReporter(): { update: (p: SeedProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  let lastLine = '';
  const line = (p: SeedProgress) => {
    const ratio = p.total ? p.written / p.total : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${p.written}/${p.total} items (${p.table})`;
  };
  return {
    update(p) {
      const now = performance.now();
      const finished = p.written === p.total;
      if (!finished && now - lastPrint < (tty ? 100 : 2000)) return;
      lastPrint = now;
      lastLine = line(p);
      process.stderr.write(tty ? `\r${lastLine}\x1b[K` : `${lastLine}\n`);
    },
    done() {
      if (tty && lastLine) process.stderr.write('\n');
    },
  };
}

async function main(): Promise<void> {
  const { options, ifEmpty } = parseOptions();
  validateEnv(process.env); // names every bad variable before anything connects
  const cfg = dynamodbConfig();
  const { client, doc } = createDynamoDbClients(cfg);
  const tables = tableNames(cfg.tablePrefix);
  const started = performance.now();
  const progress = progressReporter();
  try {
    await migrate(client, cfg.tablePrefix, (line) => console.log(line));
    if (ifEmpty && (await hasSeedData(doc, tables))) {
      console.log(`"${cfg.tablePrefix}" already has seed data; nothing to do (--if-empty)`);
      return;
    }
    const summary = await seedDataset(doc, tables, options, progress.update);
    progress.done();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `seeded ${summary.students} students, ${summary.instructors} instructors, 1 admin, ${summary.courses} courses ` +
        `and ${summary.enrollments} enrollments over ${summary.semesters.join(', ')} into "${cfg.tablePrefix}" in ${seconds} s`,
    );
  } catch (err) {
    progress.done();
    throw new Error(describeDynamoDbError(err, cfg));
  } finally {
    client.destroy();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`seed: ${err.message}\n`);
  process.exit(1);
});
