import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '@app/auth';
import { CurrentUser, NotCourseInstructor, NotSelf, Roles } from '@app/auth';
import { ApiErrors } from '@app/common';
import {
  CourseNotFound,
  CoursesRepository,
  parsePermitId,
  PermitNotFound,
  PermitsRepository,
  StoredPermit,
  UserNotFound,
  UsersRepository,
} from '@app/data';
import { UserParams } from '../students/dto/student.dto';
import { IssuePermitDto, PermitListResponse, PermitParams, PermitResponse } from './dto/permit.dto';

/**
 * Permits (DESIGN §8): each waives exactly one check for one student and section. Issued and
 * revoked by an admin or the section's instructor; the eligibility loader reads them on each add.
 * Ownership is decided here, not by CourseInstructorGuard: the course is in the body or the permit
 * id, not in a `:course_id` param, and none of these answers is cached.
 */
@ApiTags('permits')
@Controller()
export class PermitsController {
  constructor(
    private readonly permits: PermitsRepository,
    private readonly courses: CoursesRepository,
    private readonly users: UsersRepository,
  ) {}

  @Post('permits')
  @Roles('admin', 'instructor')
  @ApiOperation({ summary: 'Issue a permit to a student for a section (admin or its instructor)' })
  @ApiCreatedResponse({ type: PermitResponse, description: 'the permit (replaces an equal one)' })
  @ApiErrors('COURSE_NOT_FOUND', 'NOT_COURSE_INSTRUCTOR', 'USER_NOT_FOUND')
  async issue(@Body() dto: IssuePermitDto, @CurrentUser() caller: AuthUser): Promise<StoredPermit> {
    const instructor = await this.courses.instructorOf(dto.course_id);
    if (instructor === undefined) throw new CourseNotFound(dto.course_id);
    if (caller.role !== 'admin' && instructor !== caller.sub) throw new NotCourseInstructor();
    if (!(await this.users.get(dto.user_id))) throw new UserNotFound(dto.user_id);
    return this.permits.put({
      user_id: dto.user_id,
      course_id: dto.course_id,
      type: dto.type,
      ...(dto.expires_at !== undefined && { expires_at: dto.expires_at }),
      issued_by: caller.sub,
      issued_at: new Date().toISOString(),
    });
  }

  @Get('users/:user_id/permits')
  @Roles('admin', 'student')
  @ApiOperation({ summary: "A student's permits (admins, or the student themself)" })
  @ApiOkResponse({ type: PermitListResponse, description: 'every permit, expired ones too' })
  @ApiErrors('NOT_SELF', 'USER_NOT_FOUND')
  async list(
    @Param() p: UserParams,
    @CurrentUser() caller: AuthUser,
  ): Promise<{ items: StoredPermit[] }> {
    if (caller.role !== 'admin' && caller.sub !== p.user_id) throw new NotSelf();
    const [user, items] = await Promise.all([
      this.users.get(p.user_id),
      this.permits.listByUser(p.user_id),
    ]);
    if (!user) throw new UserNotFound(p.user_id);
    return { items };
  }

  @Delete('permits/:permit_id')
  @Roles('admin', 'instructor')
  @ApiOperation({ summary: 'Revoke a permit (admin or the section instructor)' })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiErrors('NOT_COURSE_INSTRUCTOR', 'PERMIT_NOT_FOUND')
  @HttpCode(204)
  async revoke(@Param() p: PermitParams, @CurrentUser() caller: AuthUser): Promise<void> {
    if (caller.role !== 'admin') {
      const instructor = await this.courses.instructorOf(parsePermitId(p.permit_id).courseId);
      if (instructor !== caller.sub) throw new NotCourseInstructor();
    }
    if (!(await this.permits.delete(p.permit_id))) throw new PermitNotFound(p.permit_id);
  }
}
