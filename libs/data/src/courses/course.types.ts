export interface Course {
  course_id: string;
  course_code: string;
  title: string;
  description?: string;
  semester_id: string;
  department_id: string;
  instructor_id: string;
  capacity: number;
  credits: number;
  enrolled_count: number;
  created_at: string;
  updated_at: string;
  version: number;
}

/** What the catalog GSIs project: stable fields only (never the seat counter). */
export type CourseSummary = Pick<
  Course,
  | 'course_id'
  | 'course_code'
  | 'title'
  | 'semester_id'
  | 'department_id'
  | 'instructor_id'
  | 'capacity'
  | 'credits'
>;

export type NewCourse = Omit<Course, 'enrolled_count' | 'created_at' | 'updated_at' | 'version'>;

export type CoursePatch = Partial<
  Pick<Course, 'title' | 'description' | 'capacity' | 'credits' | 'instructor_id'>
>;

/** Composite sort keys of the GSIs, derived from the course's own fields. */
export const courseIndexKeys = (
  c: Pick<Course, 'department_id' | 'course_code' | 'semester_id'>,
) => ({
  dept_code: `${c.department_id}#${c.course_code}`,
  semester_code: `${c.semester_id}#${c.course_code}`,
});
