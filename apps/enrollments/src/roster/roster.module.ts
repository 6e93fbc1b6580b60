import { Module } from '@nestjs/common';
import { RateLimitModule } from '@app/cache';
import { DataModule } from '@app/data';
import { RosterController } from './roster.controller';
import { RosterService } from './roster.service';

@Module({
  imports: [DataModule, RateLimitModule],
  controllers: [RosterController],
  providers: [RosterService],
})
export class RosterModule {}
