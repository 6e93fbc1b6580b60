import { Module } from '@nestjs/common';
import { BaselinesModule } from '@app/baselines';
import { RateLimitModule } from '@app/cache';
import { DataModule } from '@app/data';
import { CartController } from './cart.controller';
import { CartService } from './cart.service';
import { RegistrationController } from './registration.controller';
import { EligibilityModule } from './eligibility.module';
import { RegistrationService } from './registration.service';
import { RejectionLog } from './rejection-log';
import { WaitlistModule } from '../waitlist/waitlist.module';

@Module({
  imports: [
    BaselinesModule.registration(),
    DataModule,
    EligibilityModule,
    RateLimitModule,
    WaitlistModule,
  ],
  controllers: [RegistrationController, CartController],
  providers: [CartService, RegistrationService, RejectionLog],
})
export class RegistrationModule {}
