import { bootstrap } from '@app/common';
import { NotificationsModule } from './notifications.module';

void bootstrap(NotificationsModule, 'notifications', 3003);
