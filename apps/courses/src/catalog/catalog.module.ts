import { Module } from '@nestjs/common';
import { BaselinesModule } from '@app/baselines';
import { RateLimitModule } from '@app/cache';
import { DataModule } from '@app/data';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';

@Module({
  imports: [BaselinesModule.courseLists(), DataModule, RateLimitModule],
  controllers: [CatalogController],
  providers: [CatalogService],
})
export class CatalogModule {}
