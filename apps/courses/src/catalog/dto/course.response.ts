import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CourseSummaryResponse } from '@app/data';
import type { Course, CourseSummary, Page } from '@app/data';
import type { SeatFields, SeatStatus } from '@app/registration';
import { MeetingDto } from './course.dto';

// What the catalog answers, for the OpenAPI documents only: the handlers return the stored items as
// they are, and `implements` keeps these classes in step with the data types.

export class CourseResponse extends CourseSummaryResponse implements Course {
  @ApiPropertyOptional({ example: 'Variables, control flow, functions and testing.' })
  description?: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 87 })
  enrolled_count: number;

  @ApiProperty({ type: [MeetingDto], description: 'weekly meetings; empty = TBA' })
  meetings: MeetingDto[];

  @ApiProperty({ example: ['CS100'] })
  prerequisites: string[];

  @ApiProperty({ example: [] })
  corequisites: string[];

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 500,
    example: 10,
    description: '0 = no waitlist',
  })
  waitlist_capacity: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  waitlist_count: number;

  @ApiProperty({
    required: false,
    example: true,
    description:
      'set by the promotion worker when nobody waiting is eligible: free seats are open to a plain add (DESIGN §9)',
  })
  waitlist_open?: boolean;

  @ApiProperty({ example: '2026-03-01T10:00:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-03-02T08:30:00.000Z' })
  updated_at: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 3, description: 'bumped by every write' })
  version: number;
}

export class CourseDetailResponse extends CourseResponse {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 33,
    description: 'capacity - enrolled_count, read live',
  })
  seats_available: number;
}

/** A list item: the stable fields (cached with the page) and the live seat fields merged into it. */
export class CourseListItemResponse extends CourseSummaryResponse implements SeatFields {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 12,
    description: 'capacity - enrolled_count, live (merged per request into the cached page)',
  })
  seats_available: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'students waiting, live' })
  waitlist_count: number;

  @ApiProperty({
    enum: ['open', 'waitlist', 'full'],
    example: 'open',
    description:
      'open: a seat and nobody waiting; waitlist: no seat for a plain add, room on the waitlist; full: neither',
  })
  status: SeatStatus;
}

export class CoursePageResponse implements Page<CourseSummary> {
  @ApiProperty({ type: [CourseListItemResponse] })
  items: CourseListItemResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'pass as `cursor` for the next page; null on the last',
  })
  next_cursor: string | null;
}
