export interface Enrollment {
  /** `user_id#course_id`: deterministic, so a second enroll fails its condition. */
  enrollment_id: string;
  user_id: string;
  course_id: string;
  semester_id: string;
  enrolled_at: string;
  /** `semester_id#enrolled_at`, the EnrollmentsByUser sort key: one semester is a key condition. */
  semester_enrolled: string;
}
