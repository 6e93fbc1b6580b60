import { describeFailOpen } from './fail-open.suite';

describeFailOpen('server');
