import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CourseInstructorOrAdmin, Roles } from '@app/auth';
import { Cacheable, RateLimitedRead } from '@app/cache';
import { ApiErrors, CourseParams, PageQuery } from '@app/common';
import { Page, Tags, WaitlistedEnrollment } from '@app/data';
import { WaitlistPageResponse } from '../registration/dto/enrollment.response';
import { WaitlistService } from './waitlist.service';

@ApiTags('enrollments')
@Controller('courses/:course_id/waitlist')
export class WaitlistController {
  constructor(private readonly waitlists: WaitlistService) {}

  // The roster's rules: the guard decides who may read it, before the cache; entries per caller.
  // Every change of the list bumps the roster tag (joins, leaves, promotions, removals).
  @Get()
  @ApiOperation({
    summary:
      "A section's waitlist in FIFO order, each row with its position (its instructor, admins)",
  })
  @ApiOkResponse({ type: WaitlistPageResponse, description: 'a page of the waitlist, in order' })
  @ApiErrors('COURSE_NOT_FOUND', 'NOT_COURSE_INSTRUCTOR', 'INVALID_CURSOR')
  @Roles('instructor', 'admin')
  @CourseInstructorOrAdmin()
  @Cacheable({
    name: 'waitlist',
    scope: 'user',
    readsIndex: true, // WaitlistByCourse
    tags: ({ params }) => [Tags.roster(params.course_id)],
  })
  @RateLimitedRead()
  list(@Param() p: CourseParams, @Query() q: PageQuery): Promise<Page<WaitlistedEnrollment>> {
    return this.waitlists.list(p.course_id, q);
  }
}
