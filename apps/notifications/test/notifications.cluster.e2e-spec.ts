import { describeNotifications } from './notifications.suite';

// Producer, worker, relay, readiness and the admin reads on a three-master Redis Cluster.
describeNotifications('cluster');
