import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { AppCacheModule, CacheReadiness } from '@app/cache';
import { PlatformModule } from '@app/common';
import { DataModule, DynamoDbReadiness } from '@app/data';
import { CatalogModule } from './catalog/catalog.module';
import { TermsModule } from './terms/terms.module';

@Module({
  imports: [
    PlatformModule.forApp({
      name: 'courses',
      imports: [AppCacheModule, DataModule],
      readiness: [DynamoDbReadiness, CacheReadiness],
    }),
    AppCacheModule,
    AuthModule,
    CatalogModule,
    TermsModule,
  ],
})
export class CoursesModule {}
