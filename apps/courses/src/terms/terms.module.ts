import { Module } from '@nestjs/common';
import { DataModule } from '@app/data';
import { TermsController } from './terms.controller';
import { TermsService } from './terms.service';

/** Registration calendars (DESIGN §8): the courses app owns them; the enrollments app reads them. */
@Module({
  imports: [DataModule],
  controllers: [TermsController],
  providers: [TermsService],
})
export class TermsModule {}
