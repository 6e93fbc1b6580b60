import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '@app/auth';
import { CurrentUser, Roles } from '@app/auth';
import { Cacheable, CacheEvict, EvictContext, RateLimitedRead, RateLimitedWrite } from '@app/cache';
import { CourseParams } from '@app/common';
import { Page, Tags } from '@app/data';
import { EnrollDto, MyEnrollmentsQuery } from './dto/enroll.dto';
import { IdempotencyKey } from './idempotency-key';
import { MyEnrollment, RegistrationService } from './registration.service';

// An enroll or drop changes the student's list, the course's seat count (shown by the courses
// app) and its roster; both apps share Redis, so bumping these tags invalidates them everywhere.
const enrollmentTags = (ctx: EvictContext, courseId: string) => [
  Tags.userEnrollments(ctx.user!.sub),
  Tags.seats(courseId),
  Tags.roster(courseId),
];

@ApiTags('enrollments')
@ApiBearerAuth()
@Controller('enrollments')
@Roles('student')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @Post()
  @RateLimitedWrite()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'replays the first response for 24 h',
  })
  @CacheEvict({ tags: (ctx) => enrollmentTags(ctx, (ctx.body as EnrollDto).course_id) })
  async enroll(
    @Body() dto: EnrollDto,
    @CurrentUser() user: AuthUser,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const result = await this.registration.enroll(user, dto.course_id, key);
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Delete(':course_id')
  @RateLimitedWrite()
  @HttpCode(204)
  @CacheEvict({ tags: (ctx) => enrollmentTags(ctx, ctx.params.course_id) })
  drop(@Param() p: CourseParams, @CurrentUser() user: AuthUser): Promise<void> {
    return this.registration.drop(user, p.course_id);
  }

  @Get('me')
  @Cacheable({
    name: 'my-enrollments',
    scope: 'user',
    tags: ({ user }) => [Tags.userEnrollments(user!.sub)],
  })
  @RateLimitedRead()
  mine(@CurrentUser() user: AuthUser, @Query() q: MyEnrollmentsQuery): Promise<Page<MyEnrollment>> {
    return this.registration.mine(user, q);
  }
}
