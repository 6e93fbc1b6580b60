// The IAM policies in deploy/aws against the code: every DynamoDB command the production sources
// send is allowed, nothing else is, and only on the tables (and their indexes) that TABLES defines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEGACY_ENROLLMENTS_TABLE } from '@app/data/migrations';
import { TABLES } from '@app/data/tables/table-definitions';
import {
  actionsNeeded,
  commandsSent,
  DEFAULT_TABLE_PREFIX,
  derivedPolicies,
  iamActions,
  Policy,
  POLICY_FILES,
  policyText,
  productionSources,
  ROOT,
} from '../../scripts/iam-policy';

const committed = (which: keyof typeof POLICY_FILES) =>
  readFileSync(join(ROOT, POLICY_FILES[which]), 'utf8');
const parsed = (which: keyof typeof POLICY_FILES) => JSON.parse(committed(which)) as Policy;
const allowed = (policy: Policy) => new Set(policy.Statement.flatMap((s) => s.Action));

describe('IAM least-privilege policies (deploy/aws)', () => {
  const sources = productionSources();

  it('the scan finds the commands the request paths are built on', () => {
    const commands = new Set(commandsSent(sources.apps).map((c) => c.command));
    for (const c of ['QueryCommand', 'TransactWriteCommand', 'BatchGetCommand', 'GetCommand']) {
      expect(commands).toContain(c);
    }
    expect(new Set(commandsSent(sources.migrate).map((c) => c.command))).toContain(
      'CreateTableCommand',
    );
  });

  it.each(['apps', 'migrate'] as const)(
    'deploy/aws/iam-policy(%s) is what the code needs (else: npm run aws:iam-policy)',
    (which) => {
      expect(committed(which)).toBe(policyText(derivedPolicies()[which]));
    },
  );

  it.each(['apps', 'migrate'] as const)(
    '%s: every command sent maps to an allowed action, and no other action is allowed',
    (which) => {
      const policy = parsed(which);
      const files = sources[which];
      for (const { command, from, file } of commandsSent(files)) {
        for (const action of iamActions(command, from)) {
          if (action === 'dynamodb:ConditionCheckItem') continue;
          expect({ command, file, allowed: allowed(policy).has(action) }).toEqual({
            command,
            file,
            allowed: true,
          });
        }
      }
      expect([...allowed(policy)].sort()).toEqual([...actionsNeeded(files)].sort());
    },
  );

  it('the apps may not Scan, create, change or delete tables', () => {
    const actions = allowed(parsed('apps'));
    for (const a of ['Scan', 'CreateTable', 'DeleteTable', 'UpdateTable', 'ListTables']) {
      expect(actions.has(`dynamodb:${a}`)).toBe(false);
    }
  });

  it.each(['apps', 'migrate'] as const)('%s: resources are the tables of TABLES only', (which) => {
    const arn = (name: string) => `arn:aws:dynamodb:*:*:table/${DEFAULT_TABLE_PREFIX}${name}`;
    const tables = TABLES.map((t) => arn(t.name));
    const indexes = TABLES.filter((t) => t.indexes.length > 0).map((t) => `${arn(t.name)}/index/*`);
    for (const statement of parsed(which).Statement) {
      if (statement.Sid === 'LegacyTablesToMoveAndDelete') continue; // the next test's
      expect(statement.Action).not.toContain('dynamodb:DeleteTable');
      expect(statement.Action).not.toContain('dynamodb:Scan');
      expect(statement.Effect).toBe('Allow');
      for (const resource of statement.Resource) {
        expect([...tables, ...indexes]).toContain(resource);
      }
      // Index ARNs only where a Query may need them.
      if (!statement.Action.includes('dynamodb:Query')) {
        expect(statement.Resource.sort()).toEqual([...tables].sort());
      }
    }
  });

  it('lets the migration delete only the legacy table it moves, and only the migration', () => {
    const legacy = parsed('migrate').Statement.filter(
      (s) => s.Sid === 'LegacyTablesToMoveAndDelete',
    );
    expect(legacy).toEqual([
      {
        Sid: 'LegacyTablesToMoveAndDelete',
        Effect: 'Allow',
        Action: ['dynamodb:DeleteTable', 'dynamodb:DescribeTable', 'dynamodb:Scan'],
        Resource: [`arn:aws:dynamodb:*:*:table/${DEFAULT_TABLE_PREFIX}${LEGACY_ENROLLMENTS_TABLE}`],
      },
    ]);
    expect(parsed('apps').Statement.some((s) => s.Sid === legacy[0].Sid)).toBe(false);
  });
});
