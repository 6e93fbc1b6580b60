import { Module } from '@nestjs/common';
import { BaselinesModule } from '@app/baselines';
import { AppCacheModule, RateLimitModule } from '@app/cache';
import { DataModule } from '@app/data';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';
import { CourseSeatsMerge } from './course-seats.merge';

@Module({
  imports: [AppCacheModule, BaselinesModule.courseLists(), DataModule, RateLimitModule],
  controllers: [CatalogController],
  providers: [CatalogService, CourseSeatsMerge],
})
export class CatalogModule {}
