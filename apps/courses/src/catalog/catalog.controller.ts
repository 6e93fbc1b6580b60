import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '@app/auth';
import { CourseInstructorOrAdmin, CurrentUser, Public, Roles } from '@app/auth';
import { ApiErrors, CourseParams, InstructorParams } from '@app/common';
import { Cacheable, CacheEvict, RateLimitedRead } from '@app/cache';
import { Course, CourseSummary, Page, Tags } from '@app/data';
import { CatalogService, CourseDetail } from './catalog.service';
import { CourseSeatsMerge } from './course-seats.merge';
import { CreateCourseDto, UpdateCourseDto } from './dto/course.dto';
import { CourseDetailResponse, CoursePageResponse, CourseResponse } from './dto/course.response';
import { InstructorCoursesQuery, ListCoursesQuery } from './dto/list-courses.query';

// Lists are cached with stable catalog fields only, so enrollments never invalidate them; their
// items' seat fields are merged per request (CourseSeatsMerge). The detail carries the live seat
// count and is invalidated by the seats tag on every enroll and drop.
const DETAIL_TTL_MS = 60_000;

@ApiTags('courses')
@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('courses')
  @ApiOperation({ summary: "A semester's courses, optionally of one department" })
  @ApiOkResponse({ type: CoursePageResponse, description: 'a page, in course order' })
  @ApiErrors('INVALID_CURSOR')
  @Public()
  @Cacheable({
    name: 'courses-by-semester',
    scope: 'public',
    readsIndex: true,
    tags: ({ query }) => [Tags.semester(String(query.semester_id))],
    merge: CourseSeatsMerge,
  })
  @RateLimitedRead()
  list(@Query() q: ListCoursesQuery): Promise<Page<CourseSummary>> {
    return this.catalog.list(q);
  }

  @Get('courses/:course_id')
  @ApiOperation({ summary: 'One course, with its live seats_available' })
  @ApiOkResponse({ type: CourseDetailResponse, description: 'the course' })
  @ApiErrors('COURSE_NOT_FOUND')
  @Public()
  @Cacheable({
    name: 'course-detail',
    scope: 'public',
    ttlMs: DETAIL_TTL_MS,
    tags: ({ params }) => [Tags.course(params.course_id), Tags.seats(params.course_id)],
  })
  @RateLimitedRead()
  detail(@Param() p: CourseParams): Promise<CourseDetail> {
    return this.catalog.detail(p.course_id);
  }

  @Get('instructors/:instructor_id/courses')
  @ApiOperation({ summary: "An instructor's courses, optionally of one semester" })
  @ApiOkResponse({ type: CoursePageResponse, description: 'a page, in course order' })
  @ApiErrors('INVALID_CURSOR')
  @Public()
  @Cacheable({
    name: 'courses-by-instructor',
    scope: 'public',
    readsIndex: true,
    tags: ({ params }) => [Tags.instructor(params.instructor_id), Tags.instructorLists()],
    merge: CourseSeatsMerge,
  })
  @RateLimitedRead()
  listByInstructor(
    @Param() p: InstructorParams,
    @Query() q: InstructorCoursesQuery,
  ): Promise<Page<CourseSummary>> {
    return this.catalog.listByInstructor(p.instructor_id, q);
  }

  @Post('courses')
  @ApiOperation({ summary: 'Create a course (admins)' })
  @ApiCreatedResponse({ type: CourseResponse, description: 'the stored course' })
  @ApiErrors('COURSE_EXISTS')
  @Roles('admin')
  @CacheEvict({ tags: ({ result }) => courseTags(result as Course) })
  create(@Body() dto: CreateCourseDto): Promise<Course> {
    return this.catalog.create(dto);
  }

  @Patch('courses/:course_id')
  @ApiOperation({
    summary: "Update a course (admins, or the course's instructor; only admins reassign it)",
  })
  @ApiOkResponse({ type: CourseResponse, description: 'the updated course' })
  @ApiErrors(
    'COURSE_NOT_FOUND',
    'NOT_COURSE_INSTRUCTOR',
    'FORBIDDEN_FIELD',
    'CAPACITY_BELOW_ENROLLED',
    'WAITLIST_BELOW_WAITING',
  )
  @Roles('admin', 'instructor')
  @CourseInstructorOrAdmin()
  @CacheEvict({
    // A reassignment changes who may read what the old instructor could: their by-instructor list
    // (whose id we no longer know: all instructor lists) and the roster they may have cached.
    tags: ({ result, body }) => [
      ...courseTags(result as Course),
      ...((body as UpdateCourseDto).instructor_id !== undefined
        ? [Tags.instructorLists(), Tags.roster((result as Course).course_id)]
        : []),
    ],
  })
  update(
    @Param() p: CourseParams,
    @Body() dto: UpdateCourseDto,
    @CurrentUser() user: AuthUser,
  ): Promise<Course> {
    return this.catalog.update(p.course_id, dto, user);
  }

  /** 204: the removed course is returned to the interceptor for its tags; Express sends no body with 204. */
  @Delete('courses/:course_id')
  @ApiOperation({ summary: 'Delete a course without enrollments (admins)' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors('COURSE_NOT_FOUND', 'COURSE_HAS_ENROLLMENTS')
  @Roles('admin')
  @HttpCode(204)
  @CacheEvict({ tags: ({ result }) => courseTags(result as Course) })
  remove(@Param() p: CourseParams): Promise<Course> {
    return this.catalog.remove(p.course_id);
  }
}

// The seats tag too: a capacity or waitlist_capacity change moves seats_available and status.
function courseTags(c: Course): string[] {
  return [
    Tags.course(c.course_id),
    Tags.seats(c.course_id),
    Tags.semester(c.semester_id),
    Tags.instructor(c.instructor_id),
  ];
}
