import { Module } from '@nestjs/common';
import { RateLimitModule } from '@app/cache';
import { DataModule } from '@app/data';
import { HistoryController } from './history.controller';

@Module({
  imports: [DataModule, RateLimitModule],
  controllers: [HistoryController],
})
export class HistoryModule {}
