import { describeResponseCache } from './response-cache.suite';

// The machine's Redis, shared with other test files (every key under this file's own prefix).
describeResponseCache('machine');
