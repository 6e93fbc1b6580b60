// The IAM least-privilege policies for AWS, derived from the code: npm run aws:iam-policy writes
// deploy/aws/iam-policy.json (the apps) and deploy/aws/iam-policy-migrate.json (the migrate Job)
// from the DynamoDB SDK commands the production sources send and the tables in TABLES.
// test/deploy/iam-policy.spec.ts fails when the files and the code disagree.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LEGACY_ENROLLMENTS_TABLE } from '../libs/data/src/migrations/rekey-enrollments';
import { TABLES } from '../libs/data/src/tables/table-definitions';

export const ROOT = join(__dirname, '..');
export const DEFAULT_TABLE_PREFIX = 'creg_';
export const POLICY_FILES = {
  apps: 'deploy/aws/iam-policy.json',
  migrate: 'deploy/aws/iam-policy-migrate.json',
} as const;

/** What runs in production: the apps and the libs they bundle, without tests and dev tooling. */
const NOT_PRODUCTION = [
  /\.(spec|int-spec|e2e-spec)\.ts$/,
  /^libs\/(testing|local-stack)\//, // test support and local launchers
  /^libs\/baselines\//, // the benchmark's Scan / N+1 baselines, selected only by BENCH_* settings
  /^libs\/data\/src\/seed\//, // npm run db:seed, a development tool
];
const MIGRATIONS = /^libs\/data\/src\/migrations\//;
/** Commands in production files that production never sends: the file, and why. */
const UNSENT: Record<string, { file: string; why: string }> = {
  DeleteTableCommand: {
    file: 'libs/data/src/migrations/migrate.ts',
    why: 'dropTables(), beside migrate(): tests and the benchmark only',
  },
};
/** Tables the migration empties and deletes (not in TABLES): only these may be deleted. */
const LEGACY_TABLES = [LEGACY_ENROLLMENTS_TABLE];
const LEGACY_ACTIONS = ['dynamodb:DeleteTable', 'dynamodb:DescribeTable', 'dynamodb:Scan'];

/** Document-client commands and the low-level action each one is. */
const LIB_DYNAMODB: Record<string, string> = {
  GetCommand: 'GetItem',
  PutCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  BatchGetCommand: 'BatchGetItem',
  BatchWriteCommand: 'BatchWriteItem',
  TransactGetCommand: 'TransactGetItems',
  TransactWriteCommand: 'TransactWriteItems',
};
/**
 * IAM has no action for a transaction: each of its items is authorized as the item action
 * (DynamoDB docs, "Using IAM with DynamoDB transactions").
 */
const TRANSACTION_ITEMS: Record<string, string[]> = {
  TransactWriteItems: ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
  TransactGetItems: ['GetItem'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** The production source files (relative paths), split into the apps' and the migration's. */
export function productionSources(): { apps: string[]; migrate: string[] } {
  const all = ['apps', 'libs']
    .flatMap((d) => sourceFiles(d))
    .map((f) => relative(ROOT, join(ROOT, f)))
    .filter((f) => /^(apps\/[^/]+|libs\/[^/]+)\/src\//.test(f))
    .filter((f) => !NOT_PRODUCTION.some((re) => re.test(f)));
  return {
    apps: all.filter((f) => !MIGRATIONS.test(f)),
    migrate: all.filter((f) => MIGRATIONS.test(f)),
  };
}

/** The SDK commands the files construct (`new XCommand(`), by the package they come from. */
export function commandsSent(files: string[]): { command: string; from: string; file: string }[] {
  const found: { command: string; from: string; file: string }[] = [];
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const imports = new Map<string, string>();
    for (const m of text.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/(?:client|lib)-dynamodb)'/g,
    )) {
      for (const name of m[1].split(',').map((n) => n.trim().split(/\s+as\s+/)[0])) {
        if (name.endsWith('Command')) imports.set(name, m[2]);
      }
    }
    for (const [command, from] of imports) {
      if (new RegExp(`new ${command}\\(`).test(text) && UNSENT[command]?.file !== file) {
        found.push({ command, from, file });
      }
    }
  }
  return found;
}

/**
 * The IAM actions a command needs; a transaction needs its item actions, ConditionCheckItem only
 * where the sources build a ConditionCheck item.
 */
export function iamActions(command: string, from: string, conditionChecks = false): string[] {
  const action =
    from === '@aws-sdk/lib-dynamodb' ? LIB_DYNAMODB[command] : command.replace(/Command$/, '');
  if (!action) throw new Error(`no IAM action known for ${from} ${command}`);
  return (TRANSACTION_ITEMS[action] ?? [action])
    .filter((a) => a !== 'ConditionCheckItem' || conditionChecks)
    .map((a) => `dynamodb:${a}`);
}

const buildsConditionChecks = (files: string[]) =>
  files.some((f) => /\bConditionCheck\s*:/.test(readFileSync(join(ROOT, f), 'utf8')));

/** Every action the files' commands need. */
export function actionsNeeded(files: string[]): Set<string> {
  const checks = buildsConditionChecks(files);
  return new Set(
    commandsSent(files).flatMap(({ command, from }) => iamActions(command, from, checks)),
  );
}

const tableArn = (prefix: string, name: string) => `arn:aws:dynamodb:*:*:table/${prefix}${name}`;

interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}
export interface Policy {
  Version: '2012-10-17';
  Statement: Statement[];
}

/**
 * One policy from a set of actions: item and table actions on the tables, Query also on their
 * indexes (the GSIs every list reads), nothing on `*`.
 */
export function policyFor(
  actions: Set<string>,
  prefix = DEFAULT_TABLE_PREFIX,
  legacy: readonly string[] = [],
): Policy {
  const tables = TABLES.map((t) => tableArn(prefix, t.name)).sort();
  const indexes = TABLES.filter((t) => t.indexes.length > 0)
    .map((t) => `${tableArn(prefix, t.name)}/index/*`)
    .sort();
  const sorted = (list: Iterable<string>) => [...list].sort();
  // DeleteTable only ever on a legacy table the migration has emptied, and the migration's Scan
  // only there too (the only table it reads whole).
  const legacyOnly = new Set([
    'dynamodb:DeleteTable',
    ...(legacy.length > 0 ? ['dynamodb:Scan'] : []),
  ]);
  const onTables = sorted([...actions].filter((a) => a !== 'dynamodb:Query' && !legacyOnly.has(a)));
  const statements: Statement[] = [];
  if (onTables.length > 0) {
    statements.push({ Sid: 'Tables', Effect: 'Allow', Action: onTables, Resource: tables });
  }
  if (actions.has('dynamodb:Query')) {
    statements.push({
      Sid: 'QueryTablesAndIndexes',
      Effect: 'Allow',
      Action: ['dynamodb:Query'],
      Resource: sorted([...tables, ...indexes]),
    });
  }
  if (legacy.length > 0) {
    statements.push({
      Sid: 'LegacyTablesToMoveAndDelete',
      Effect: 'Allow',
      Action: LEGACY_ACTIONS.filter((a) => actions.has(a)),
      Resource: legacy.map((name) => tableArn(prefix, name)).sort(),
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** Both policies, as the code needs them today. */
export function derivedPolicies(prefix = DEFAULT_TABLE_PREFIX): Record<'apps' | 'migrate', Policy> {
  const sources = productionSources();
  return {
    apps: policyFor(actionsNeeded(sources.apps), prefix),
    migrate: policyFor(actionsNeeded(sources.migrate), prefix, LEGACY_TABLES),
  };
}

export const policyText = (policy: Policy) => `${JSON.stringify(policy, null, 2)}\n`;

if (require.main === module) {
  const policies = derivedPolicies(process.argv[2] ?? DEFAULT_TABLE_PREFIX);
  for (const [which, file] of Object.entries(POLICY_FILES)) {
    writeFileSync(join(ROOT, file), policyText(policies[which as keyof typeof policies]));
    console.log(`wrote ${file}`);
  }
}
