// The tags a write names to invalidate every cached response built from that data (the response
// cache in @app/cache turns each into a version counter). They belong to the data they name.

/** Tags of the domain: what a write names to invalidate every cached response built from that data. */
export const Tags = {
  course: (courseId: string) => `course:${courseId}`,
  semester: (semesterId: string) => `semester:${semesterId}`,
  instructor: (instructorId: string) => `instructor:${instructorId}`,
  /** Every by-instructor list (a reassignment moves a course between two of them). */
  instructorLists: () => 'instructor-lists',
  /** A course's seat count, changed by every enroll and drop. */
  seats: (courseId: string) => `seats:${courseId}`,
  roster: (courseId: string) => `roster:${courseId}`,
  userEnrollments: (userId: string) => `user-enrollments:${userId}`,
  user: (userId: string) => `user:${userId}`,
  term: (termId: string) => `term:${termId}`,
  /** The list of every term. */
  terms: () => 'terms',
} as const;
