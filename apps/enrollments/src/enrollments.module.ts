import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { AppCacheModule, CacheReadiness } from '@app/cache';
import { PlatformModule } from '@app/common';
import { DataModule, DynamoDbReadiness } from '@app/data';
import { HistoryModule } from './history/history.module';
import { PermitsModule } from './permits/permits.module';
import { ProfileModule } from './profile/profile.module';
import { RegistrationModule } from './registration/registration.module';
import { RosterModule } from './roster/roster.module';
import { StudentsModule } from './students/students.module';

@Module({
  imports: [
    PlatformModule.forApp({
      name: 'enrollments',
      imports: [AppCacheModule, DataModule],
      readiness: [DynamoDbReadiness, CacheReadiness],
    }),
    AppCacheModule,
    AuthModule,
    HistoryModule,
    PermitsModule,
    ProfileModule,
    RegistrationModule,
    RosterModule,
    StudentsModule,
  ],
})
export class EnrollmentsModule {}
