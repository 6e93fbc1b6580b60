import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@app/auth';
import { CurrentUser, Roles } from '@app/auth';
import { CacheEvict, RateLimitedWrite } from '@app/cache';
import { ApiErrors, CourseParams } from '@app/common';
import { Enrollment, Tags } from '@app/data';
import { VIOLATION_CODES } from '@app/registration';
import { EnrollmentResponse } from '../registration/dto/enrollment.response';
import { WaitlistService } from './waitlist.service';

@ApiTags('enrollments')
@Controller('enrollments')
@Roles('student')
export class OfferController {
  constructor(private readonly waitlists: WaitlistService) {}

  @Post(':course_id/accept')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept the seat offered from the waitlist (a term in offer mode)',
    description:
      'Re-checked as for a join; enrolls in one transaction conditioned on the offer still being ' +
      'open. DELETE /api/enrollments/:course_id declines it (204).',
  })
  @ApiOkResponse({ type: EnrollmentResponse, description: 'the row, now enrolled' })
  @ApiErrors('NO_OFFER', 'OFFER_EXPIRED', 'COURSE_NOT_FOUND', ...VIOLATION_CODES, 'OVERLOADED')
  @RateLimitedWrite()
  @CacheEvict({
    tags: (ctx) => [
      Tags.userEnrollments(ctx.user!.sub),
      Tags.seats(ctx.params.course_id),
      Tags.roster(ctx.params.course_id),
    ],
  })
  accept(@Param() p: CourseParams, @CurrentUser() user: AuthUser): Promise<Enrollment> {
    return this.waitlists.accept(user, p.course_id);
  }
}
