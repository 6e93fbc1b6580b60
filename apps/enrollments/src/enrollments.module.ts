import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { AppCacheModule, CacheReadiness } from '@app/cache';
import { PlatformModule } from '@app/common';
import { DataModule, DynamoDbReadiness } from '@app/data';

@Module({
  imports: [
    PlatformModule.forApp({ name: 'enrollments', readiness: [DynamoDbReadiness, CacheReadiness] }),
    AppCacheModule,
    AuthModule,
    DataModule,
  ],
})
export class EnrollmentsModule {}
