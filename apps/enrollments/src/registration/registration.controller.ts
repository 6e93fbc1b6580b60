import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '@app/auth';
import { CurrentUser, Roles } from '@app/auth';
import { Cacheable, CacheEvict, EvictContext, RateLimitedRead, RateLimitedWrite } from '@app/cache';
import { ApiErrors, CourseParams } from '@app/common';
import { Page, Tags } from '@app/data';
import { VIOLATION_CODES } from '@app/registration';
import { EnrollDto, MyEnrollmentsQuery } from './dto/enroll.dto';
import { EnrollmentResponse, MyEnrollmentPageResponse } from './dto/enrollment.response';
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
@Controller('enrollments')
@Roles('student')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @Post()
  @ApiOperation({ summary: 'Enroll the calling student in a course' })
  @ApiCreatedResponse({
    type: EnrollmentResponse,
    description:
      'the enrollment; with `waitlist: true` on a full section, the waitlisted row (status ' +
      '`waitlisted`, `position`) (a replay of the first answer carries Idempotent-Replayed: true)',
  })
  @ApiErrors(
    'INVALID_IDEMPOTENCY_KEY',
    'COURSE_NOT_FOUND',
    'COURSE_FULL',
    'ALREADY_ENROLLED',
    'ALREADY_WITHDRAWN',
    'ALREADY_WAITLISTED',
    'WAITLIST_FULL',
    'IDEMPOTENCY_IN_PROGRESS',
    'IDEMPOTENCY_KEY_REUSED',
    ...VIOLATION_CODES, // the registration rules: 422, COURSE_FULL 409
    'OVERLOADED',
  )
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
    const result = await this.registration.enroll(user, dto.course_id, key, dto.waitlist === true);
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Delete(':course_id')
  @ApiOperation({
    summary: 'Drop the calling student from a course, or withdraw after the drop deadline',
    description:
      "Up to the term's drop_deadline the enrollment is removed (204); after it and up to " +
      'withdraw_deadline it becomes `withdrawn` (200 with the row: a W on the record, seat freed, ' +
      'no credits); later 409 WITHDRAW_DEADLINE_PASSED. A semester without a term is always a drop. ' +
      'A waitlisted row leaves the waitlist (204, no email); an offered one declines the offer (204).',
  })
  @ApiNoContentResponse({ description: 'dropped (up to the drop deadline), or left the waitlist' })
  @ApiOkResponse({
    type: EnrollmentResponse,
    description: 'withdrawn (after the drop deadline): the row, status withdrawn',
  })
  @ApiErrors(
    'NOT_ENROLLED',
    'ALREADY_WITHDRAWN',
    'WITHDRAW_DEADLINE_PASSED',
    'NO_OFFER',
    'OVERLOADED',
  )
  @RateLimitedWrite()
  @HttpCode(204)
  @CacheEvict({ tags: (ctx) => enrollmentTags(ctx, ctx.params.course_id) })
  async drop(
    @Param() p: CourseParams,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const withdrawn = await this.registration.drop(user, p.course_id);
    if (!withdrawn) return undefined;
    res.status(200);
    return withdrawn;
  }

  @Get('me')
  @ApiOperation({ summary: "The calling student's enrollments, each with its course" })
  @ApiOkResponse({ type: MyEnrollmentPageResponse, description: 'a page, in course order' })
  @ApiErrors('INVALID_CURSOR')
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
