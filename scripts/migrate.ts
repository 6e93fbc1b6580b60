// Creates or upgrades the tables of TABLE_PREFIX: npm run db:migrate. Safe to run any number of times.
import { dynamodbConfig, validateEnv } from '@app/common';
import { createDynamoDbClients, describeDynamoDbError } from '@app/data';
import { migrate } from '@app/data/migrations';

async function main(): Promise<void> {
  validateEnv(process.env); // names every bad variable before anything connects
  const cfg = dynamodbConfig();
  const { client } = createDynamoDbClients(cfg);
  const started = performance.now();
  try {
    await migrate(client, cfg.tablePrefix, (line) => console.log(line));
    console.log(
      `tables of "${cfg.tablePrefix}" are up to date (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  } catch (err) {
    throw new Error(describeDynamoDbError(err, cfg));
  } finally {
    client.destroy();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`migrate: ${err.message}\n`);
  process.exit(1);
});
