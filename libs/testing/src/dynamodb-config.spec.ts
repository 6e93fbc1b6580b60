import { localDynamoDbConfig } from './dynamodb-config';

describe('localDynamoDbConfig', () => {
  const env = {
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };

  it('fills in region, keys and client tuning for a bare endpoint', () => {
    expect(localDynamoDbConfig({ endpoint: 'http://127.0.0.1:9000', tablePrefix: 'p_' })).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      accessKeyId: 'local',
      secretAccessKey: 'local',
      tablePrefix: 'p_',
      maxSockets: 64,
      timeoutMs: 5000,
      retryBudgetMs: 1500,
      maxInflightWrites: 64,
      writeQueueTimeoutMs: 1000,
      maxAttempts: 3,
    });
  });

  it('takes endpoint, region and keys from the environment, explicit options winning', () => {
    expect(localDynamoDbConfig({ env, tablePrefix: 'p_', timeoutMs: 10_000 })).toMatchObject({
      endpoint: 'http://127.0.0.1:8000',
      region: 'eu-west-1',
      accessKeyId: 'test',
      secretAccessKey: 'test',
      timeoutMs: 10_000,
    });
    expect(
      localDynamoDbConfig({
        env,
        endpoint: 'http://127.0.0.1:9000',
        region: 'us-east-1',
        tablePrefix: '',
      }),
    ).toMatchObject({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1' });
  });

  it('refuses to build a config without an endpoint (the SDK would talk to AWS)', () => {
    expect(() =>
      localDynamoDbConfig({ env: { ...env, DYNAMODB_ENDPOINT: undefined }, tablePrefix: '' }),
    ).toThrow(/no endpoint/);
  });
});
