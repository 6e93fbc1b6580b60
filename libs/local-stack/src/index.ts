export * from './child-process';
export * from './dynamodb-local';
export * from './free-port';
export * from './mail-parse';
export * from './redis-cluster';
export * from './redis-keys';
export * from './redis-server';
export * from './smtp-sink';
