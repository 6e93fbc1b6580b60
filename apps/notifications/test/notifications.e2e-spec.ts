import { describeNotifications } from './notifications.suite';

describeNotifications('machine');
