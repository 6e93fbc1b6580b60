import { describeResponseCache } from './response-cache.suite';

// A three-master Redis Cluster of this file's own: tag counters, entries and leases of one request
// live in different slots, so any cross-slot command (MGET, a multi-key pipeline) would fail here.
describeResponseCache('cluster');
