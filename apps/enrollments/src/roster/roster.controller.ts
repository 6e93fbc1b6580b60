import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@app/auth';
import { CurrentUser, Roles } from '@app/auth';
import { Cacheable, Tags } from '@app/cache';
import { CourseParams, PageQuery } from '@app/common';
import { Roster, RosterService } from './roster.service';

@ApiTags('enrollments')
@ApiBearerAuth()
@Controller('courses/:course_id/enrollments')
export class RosterController {
  constructor(private readonly rosters: RosterService) {}

  // Cached per caller: the permission check runs inside, so one user's answer is never another's.
  @Get()
  @Roles('instructor', 'admin')
  @Cacheable({ name: 'roster', scope: 'user', tags: ({ params }) => [Tags.roster(params.course_id)] })
  roster(@Param() p: CourseParams, @Query() q: PageQuery, @CurrentUser() user: AuthUser): Promise<Roster> {
    return this.rosters.roster(user, p.course_id, q);
  }
}
