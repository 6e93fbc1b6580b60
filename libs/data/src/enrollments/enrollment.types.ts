import type { EnrollmentStatus } from '@app/registration';

/** A row of the StudentEnrollments table: keyed `user_id` + `course_id`. */
export interface Enrollment {
  /** `user_id#course_id`, kept in the API's answers (clients refer to it); not a key. */
  enrollment_id: string;
  user_id: string;
  course_id: string;
  semester_id: string;
  /**
   * When the seat was taken. Waitlisted rows have none, so they stay out of the EnrollmentsByCourse
   * index (the roster); a promotion sets it.
   */
  enrolled_at?: string;
  /** When the student joined the waitlist (waitlisted rows, and rows promoted from one). */
  waitlisted_at?: string;
  /** `offered` rows (DESIGN §9, offer mode): the seat is held for the student until then. */
  offer_expires_at?: string;
  /** Rows stored before statuses existed have none: they read as `enrolled`. */
  status: EnrollmentStatus;
  /** When a withdrawal (after the drop deadline) turned the row into a W. */
  withdrawn_at?: string;
}

/**
 * A stored row as the API shows it: its API fields only (never index keys or other stored
 * attributes), with the status a row stored without one has (`enrolled`).
 */
export function enrollmentFields(item: Record<string, unknown>): Enrollment {
  const row = item as Partial<Enrollment>;
  return {
    enrollment_id: row.enrollment_id as string,
    user_id: row.user_id as string,
    course_id: row.course_id as string,
    semester_id: row.semester_id as string,
    ...(row.enrolled_at ? { enrolled_at: row.enrolled_at } : {}),
    ...(row.waitlisted_at ? { waitlisted_at: row.waitlisted_at } : {}),
    ...(row.offer_expires_at ? { offer_expires_at: row.offer_expires_at } : {}),
    status: row.status ?? 'enrolled',
    ...(row.withdrawn_at ? { withdrawn_at: row.withdrawn_at } : {}),
  };
}
