import { Module } from '@nestjs/common';
import { DataModule } from '@app/data';
import { RosterController } from './roster.controller';
import { RosterService } from './roster.service';

@Module({
  imports: [DataModule],
  controllers: [RosterController],
  providers: [RosterService],
})
export class RosterModule {}
