import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CourseInstructorOrAdmin, Roles } from '@app/auth';
import { Cacheable, RateLimitedRead } from '@app/cache';
import { ApiErrors, CourseParams, PageQuery } from '@app/common';
import { Tags } from '@app/data';
import { RosterResponse } from '../registration/dto/enrollment.response';
import { Roster, RosterService } from './roster.service';

@ApiTags('enrollments')
@Controller('courses/:course_id/enrollments')
export class RosterController {
  constructor(private readonly rosters: RosterService) {}

  // Who may read it is decided by the guard, before the cache; entries are still kept per caller.
  @Get()
  @ApiOperation({ summary: "A course's roster (its instructor, admins)" })
  @ApiOkResponse({ type: RosterResponse, description: 'a page of the roster' })
  @ApiErrors('COURSE_NOT_FOUND', 'NOT_COURSE_INSTRUCTOR', 'INVALID_CURSOR')
  @Roles('instructor', 'admin')
  @CourseInstructorOrAdmin()
  @Cacheable({
    name: 'roster',
    scope: 'user',
    readsIndex: true, // EnrollmentsByCourse
    tags: ({ params }) => [Tags.roster(params.course_id)],
  })
  @RateLimitedRead()
  roster(@Param() p: CourseParams, @Query() q: PageQuery): Promise<Roster> {
    return this.rosters.roster(p.course_id, q);
  }
}
