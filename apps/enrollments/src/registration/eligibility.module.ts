import { Module } from '@nestjs/common';
import { Clock } from '@app/common';
import { DataModule } from '@app/data';
import { EligibilityLoader } from './eligibility.loader';

/**
 * The registration rules' loader and the one Clock it and the services read (an e2e test moves
 * it): shared by the request path and the waitlist's promotion worker.
 */
@Module({
  imports: [DataModule],
  providers: [EligibilityLoader, Clock],
  exports: [EligibilityLoader, Clock],
})
export class EligibilityModule {}
