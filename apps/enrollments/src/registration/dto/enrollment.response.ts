import { ApiProperty, OmitType } from '@nestjs/swagger';
import { CourseSummaryResponse } from '@app/data';
import type { Enrollment, Page, WaitlistedEnrollment } from '@app/data';
import type { EnrollmentStatus } from '@app/registration';
import type { CourseCard, MyEnrollment } from '../registration.service';

// What registration answers, for the OpenAPI documents only (`implements` keeps them in step).

export class EnrollmentResponse implements Enrollment {
  @ApiProperty({ example: 's0001#CS101-2026-FALL' })
  enrollment_id: string;

  @ApiProperty({ example: 's0001' })
  user_id: string;

  @ApiProperty({ example: 'CS101-2026-FALL' })
  course_id: string;

  @ApiProperty({ example: '2026-FALL' })
  semester_id: string;

  @ApiProperty({
    required: false,
    example: '2026-08-02T09:00:00.000Z',
    description: 'when the seat was taken (waitlisted rows have none)',
  })
  enrolled_at?: string;

  @ApiProperty({
    required: false,
    example: '2026-08-01T09:00:00.000Z',
    description: 'when the student joined the waitlist (waitlisted and promoted rows)',
  })
  waitlisted_at?: string;

  @ApiProperty({
    enum: ['enrolled', 'waitlisted', 'offered', 'withdrawn'],
    example: 'enrolled',
    description:
      '`withdrawn`: a W on the record (seat freed, no credits); rows stored without one read as enrolled',
  })
  status: EnrollmentStatus;

  @ApiProperty({
    required: false,
    example: '2026-10-02T09:00:00.000Z',
    description: 'when the row was withdrawn (withdrawn rows only)',
  })
  withdrawn_at?: string;

  @ApiProperty({
    required: false,
    example: '2026-08-03T09:00:00.000Z',
    description: '`offered` rows: the seat is held until then (accept with POST …/accept)',
  })
  offer_expires_at?: string;
}

/** The catalog fields of the enrolled course. */
export class CourseCardResponse
  extends OmitType(CourseSummaryResponse, ['capacity'] as const)
  implements CourseCard {}

export class MyEnrollmentResponse extends EnrollmentResponse implements MyEnrollment {
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    example: 3,
    description: 'waitlisted rows: 1 + the students ahead in the list',
  })
  position?: number;

  @ApiProperty({
    type: CourseCardResponse,
    nullable: true,
    description: 'null when the course was deleted',
  })
  course: CourseCardResponse | null;
}

export class MyEnrollmentPageResponse implements Page<MyEnrollment> {
  @ApiProperty({ type: [MyEnrollmentResponse] })
  items: MyEnrollmentResponse[];

  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}

export class RosterResponse implements Page<Enrollment> {
  @ApiProperty({ type: [EnrollmentResponse] })
  items: EnrollmentResponse[];

  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 87,
    description: 'every enrolled student, all pages (withdrawn rows are listed, not counted)',
  })
  total: number;
}

/** A waitlisted row with its place in the list (the join's 201, the section's waitlist). */
export class WaitlistedEnrollmentResponse
  extends EnrollmentResponse
  implements WaitlistedEnrollment
{
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 3,
    description: '1 + the students ahead in the list',
  })
  position: number;
}

export class WaitlistPageResponse implements Page<WaitlistedEnrollment> {
  @ApiProperty({ type: [WaitlistedEnrollmentResponse] })
  items: WaitlistedEnrollmentResponse[];

  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
