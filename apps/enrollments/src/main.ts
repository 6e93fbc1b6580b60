import { bootstrap } from '@app/common';
import { EnrollmentsModule } from './enrollments.module';

void bootstrap(EnrollmentsModule, 'enrollments', 3002);
