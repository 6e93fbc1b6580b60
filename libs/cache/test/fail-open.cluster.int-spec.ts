import { describeFailOpen } from './fail-open.suite';

// Every master stops: the Cluster client goes to reconnecting and commands fail at once.
describeFailOpen('cluster');
