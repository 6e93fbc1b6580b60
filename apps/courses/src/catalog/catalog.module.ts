import { Module } from '@nestjs/common';
import { BaselinesModule } from '@app/baselines';
import { DataModule } from '@app/data';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';

@Module({
  imports: [BaselinesModule.courseLists(), DataModule],
  controllers: [CatalogController],
  providers: [CatalogService],
})
export class CatalogModule {}
