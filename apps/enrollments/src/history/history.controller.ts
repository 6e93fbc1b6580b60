import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@app/auth';
import { CourseInstructorOrAdmin, CurrentUser, Roles } from '@app/auth';
import { RateLimitedRead } from '@app/cache';
import { ApiErrors, CourseParams, PageQuery } from '@app/common';
import { HistoryEntry, HistoryRepository, Page } from '@app/data';
import { UserParams } from '../students/dto/student.dto';
import { HistoryPageResponse } from './dto/history.response';

/**
 * Registration history (DESIGN §8), newest first. Not cached: a refused add records its entry
 * without bumping any cache tag, and a student's own history must show the change just made (a
 * consistent Query); the course view reads the sparse HistoryByCourse (changes only), as
 * eventually consistent as the roster.
 */
@ApiTags('history')
@Controller()
export class HistoryController {
  constructor(private readonly history: HistoryRepository) {}

  @Get('enrollments/me/history')
  @Roles('student')
  @ApiOperation({ summary: "The calling student's registration history, newest first" })
  @ApiOkResponse({ type: HistoryPageResponse, description: 'a page of events' })
  @ApiErrors('INVALID_CURSOR')
  @RateLimitedRead()
  mine(@CurrentUser() user: AuthUser, @Query() q: PageQuery): Promise<Page<HistoryEntry>> {
    return this.history.listByUser(user.sub, { limit: q.limit, cursor: q.cursor });
  }

  // Who may read it is decided by the guard, as for the roster. An admin may read the history of
  // a deleted course (the log outlives the section); an instructor's course must exist.
  @Get('courses/:course_id/history')
  @Roles('instructor', 'admin')
  @CourseInstructorOrAdmin()
  @ApiOperation({
    summary: "A course's registration history, newest first (its instructor, admins)",
    description:
      "Every student's changes of the section (enrolled, dropped, withdrawn, …); refused adds are " +
      "only in the student's history.",
  })
  @ApiOkResponse({ type: HistoryPageResponse, description: 'a page of events' })
  @ApiErrors('COURSE_NOT_FOUND', 'NOT_COURSE_INSTRUCTOR', 'INVALID_CURSOR')
  @RateLimitedRead()
  course(@Param() p: CourseParams, @Query() q: PageQuery): Promise<Page<HistoryEntry>> {
    return this.history.listByCourse(p.course_id, { limit: q.limit, cursor: q.cursor });
  }

  // Students are known to the identity provider: one without a registrar record may have a history.
  @Get('users/:user_id/history')
  @Roles('admin')
  @ApiOperation({ summary: "A student's registration history, newest first (admins)" })
  @ApiOkResponse({ type: HistoryPageResponse, description: 'a page of events' })
  @ApiErrors('INVALID_CURSOR')
  @RateLimitedRead()
  user(@Param() p: UserParams, @Query() q: PageQuery): Promise<Page<HistoryEntry>> {
    return this.history.listByUser(p.user_id, { limit: q.limit, cursor: q.cursor });
  }
}
