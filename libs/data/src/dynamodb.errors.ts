import { DynamodbConfig } from '@app/common';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/**
 * One line that says what to do, for the CLI scripts: a refused connection to DynamoDB Local is
 * by far the most common failure and its raw SDK error says nothing about how to fix it.
 */
export function describeDynamoDbError(
  err: unknown,
  cfg: Pick<DynamodbConfig, 'endpoint' | 'region'>,
): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? (e.name === 'TimeoutError' ? 'ETIMEDOUT' : undefined);
  const where = cfg.endpoint ?? `AWS DynamoDB in ${cfg.region}`;
  if ((code && UNREACHABLE.has(code)) || /ECONNREFUSED|socket hang up/.test(e.message ?? '')) {
    return cfg.endpoint
      ? `cannot reach DynamoDB at ${where}: start it with \`npm start\` or set DYNAMODB_ENDPOINT`
      : `cannot reach ${where}: check the network, or set DYNAMODB_ENDPOINT for DynamoDB Local`;
  }
  if (e.name === 'CredentialsProviderError') {
    return `no AWS credentials for ${where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or DYNAMODB_ENDPOINT for DynamoDB Local`;
  }
  return `DynamoDB at ${where}: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message ?? String(err)}`;
}
