/** A row of the StudentEnrollments table: keyed `user_id` + `course_id`. */
export interface Enrollment {
  /** `user_id#course_id`, kept in the API's answers (clients refer to it); not a key. */
  enrollment_id: string;
  user_id: string;
  course_id: string;
  semester_id: string;
  enrolled_at: string;
}
