// The test-support library: what integration and e2e specs (and the benchmark harness, for its
// DynamoDB client) share. Not for production code. The jest global setup, teardown and summary
// reporter live in ./jest and are named by jest.config.js, not exported here.
export * from './built-entry-points';
export * from './dynamodb-commands';
export * from './dynamodb-config';
export * from './dynamodb-faults';
export * from './email-test-queue';
export * from './eventually';
export * from './fixtures';
export * from './start-app';
export * from './test-stack';
export * from './test-redis';
export * from './term-calendar';
export * from './test-tables';
export * from './tokens';
export * from './topology';
export * from './unique-prefix';
export * from './with-env';

// The local processes tests start themselves, re-exported so a spec needs one import.
export { freePort, startRedisCluster, startRedisServer, startSmtpSink } from '@app/local-stack';
export type {
  ReceivedMail,
  RedisClusterHandle,
  RedisServerHandle,
  SmtpSink,
} from '@app/local-stack';
