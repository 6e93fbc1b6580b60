import type { SectionFacts } from '@app/registration';

/**
 * A course item is one section of a term (DESIGN §8): the facts the registration rules read of it,
 * and the catalog's own fields.
 */
export interface Course extends SectionFacts {
  title: string;
  description?: string;
  department_id: string;
  instructor_id: string;
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

export type NewCourse = Omit<
  Course,
  'enrolled_count' | 'waitlist_count' | 'created_at' | 'updated_at' | 'version'
>;

export const PATCHABLE_FIELDS = [
  'title',
  'description',
  'capacity',
  'credits',
  'instructor_id',
  'meetings',
  'prerequisites',
  'corequisites',
  'waitlist_capacity',
] as const;

export type CoursePatch = Partial<Pick<Course, (typeof PATCHABLE_FIELDS)[number]>>;

/** The section fields of DESIGN §8 with their defaults, for items stored before they existed. */
export const SECTION_DEFAULTS = {
  meetings: [],
  prerequisites: [],
  corequisites: [],
  waitlist_capacity: 0,
  waitlist_count: 0,
} as const satisfies Partial<Course>;

/** Composite sort keys of the GSIs, derived from the course's own fields. */
export const courseIndexKeys = (
  c: Pick<Course, 'department_id' | 'course_code' | 'semester_id'>,
) => ({
  dept_code: `${c.department_id}#${c.course_code}`,
  semester_code: `${c.semester_id}#${c.course_code}`,
});
