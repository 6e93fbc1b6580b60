import { bootstrap } from '@app/common';
import { CoursesModule } from './courses.module';

void bootstrap(CoursesModule, 'courses', 3001);
