import { Module } from '@nestjs/common';
import { AppCacheModule } from '@app/cache';
import { Clock } from '@app/common';
import { DataModule } from '@app/data';
import { EligibilityLoader } from './eligibility.loader';
import { TermCalendars } from './term-calendars';

/**
 * The registration rules' loader, the term calendars it reads and the one Clock it and the
 * services read (an e2e test moves it): shared by the request path and the waitlist's promotion
 * worker.
 */
@Module({
  imports: [AppCacheModule, DataModule],
  providers: [EligibilityLoader, Clock, TermCalendars],
  exports: [EligibilityLoader, Clock, TermCalendars],
})
export class EligibilityModule {}
