// Prints a locally signed HS256 token: npm run token -- --sub u00001 --role student [--email x@y] [--ttl 12h]
import { parseArgs } from 'node:util';
import { validateEnv } from '@app/common';
import { ROLES, Role, signToken } from '@app/auth';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      role: { type: 'string', default: 'student' },
      email: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
    },
  });
  if (!values.sub)
    throw new Error(
      'usage: npm run token -- --sub <user id> --role <student|instructor|admin> [--email <address>] [--ttl 12h]',
    );
  if (!ROLES.includes(values.role as Role))
    throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const env = validateEnv(process.env);
  process.stdout.write(
    (await signToken(
      { sub: values.sub, role: values.role as Role, email: values.email },
      env.JWT_SECRET,
      values.ttl,
    )) + '\n',
  );
}

main().catch((err: Error) => {
  process.stderr.write(`token: ${err.message}\n`);
  process.exit(1);
});
