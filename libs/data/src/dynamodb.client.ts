import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamodbConfig } from '@app/common';
import { countRequests } from './kit/capacity';

export interface DynamoDbClients {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/**
 * One client per process: keep-alive sockets (a TLS handshake per request would dominate latency),
 * a pool above the SDK's default 50 so 200 concurrent requests don't queue for sockets, standard retries.
 */
export function createDynamoDbClients(cfg: DynamodbConfig): DynamoDbClients {
  const agentOptions = { keepAlive: true, maxSockets: cfg.maxSockets };
  const client = new DynamoDBClient({
    region: cfg.region,
    endpoint: cfg.endpoint,
    retryMode: 'standard',
    maxAttempts: cfg.maxAttempts,
    credentials:
      cfg.accessKeyId && cfg.secretAccessKey
        ? { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey }
        : undefined,
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: cfg.timeoutMs,
      requestTimeout: cfg.timeoutMs,
      // Without this the SDK only warns and keeps waiting past the timeout; fail so the retry policy applies.
      throwOnRequestTimeout: true,
    }),
  });
  countRequests(client);
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { client, doc };
}
