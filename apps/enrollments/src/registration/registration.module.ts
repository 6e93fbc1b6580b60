import { Module } from '@nestjs/common';
import { BaselinesModule } from '@app/baselines';
import { DataModule } from '@app/data';
import { RegistrationController } from './registration.controller';
import { RegistrationService } from './registration.service';

@Module({
  imports: [BaselinesModule.registration(), DataModule],
  controllers: [RegistrationController],
  providers: [RegistrationService],
})
export class RegistrationModule {}
