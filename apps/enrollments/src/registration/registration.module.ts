import { Module } from '@nestjs/common';
import { BaselinesModule } from '@app/baselines';
import { RateLimitModule } from '@app/cache';
import { DataModule } from '@app/data';
import { CartController } from './cart.controller';
import { CartService } from './cart.service';
import { RegistrationController } from './registration.controller';
import { Clock } from '@app/common';
import { EligibilityLoader } from './eligibility.loader';
import { RegistrationService } from './registration.service';
import { RejectionLog } from './rejection-log';

@Module({
  imports: [BaselinesModule.registration(), DataModule, RateLimitModule],
  controllers: [RegistrationController, CartController],
  providers: [CartService, Clock, EligibilityLoader, RegistrationService, RejectionLog],
})
export class RegistrationModule {}
