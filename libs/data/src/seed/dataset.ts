import type { Day } from '@app/registration';
import { Course } from '../courses/course.types';
import { Enrollment } from '../enrollments/enrollment.types';
import { User } from '../users/users.repository';
import { Prng } from './prng';
import { DEPARTMENTS, FIRST_NAMES, LAST_NAMES, TITLE_PATTERNS } from './vocabulary';

export interface SeedOptions {
  /** Students (`u00001`..); instructors and one admin are added on top. */
  users: number;
  courses: number;
  semesters: number;
  departments: number;
  enrollments: number;
  /** PRNG seed: the same options always give the same dataset. */
  seed: number;
  /** Give the first students the registrar's facts the README's examples use (DEMO_STUDENTS). */
  demoStudents?: boolean;
}

export const DEFAULT_SEED_OPTIONS: SeedOptions = {
  users: 5000,
  courses: 10000,
  semesters: 4,
  departments: 20,
  enrollments: 50000,
  seed: 42,
};

/** The small dataset the dev launcher loads (`--demo`). */
export const DEMO_SEED_OPTIONS: SeedOptions = {
  ...DEFAULT_SEED_OPTIONS,
  users: 300,
  courses: 400,
  enrollments: 2000,
  demoStudents: true,
};

/**
 * The demo's registrar records (the README's curl examples): u00001, whose token `npm start`
 * prints, is a senior who has done CS100-CS102 (so CS103 is open to them); u00002 has a bursar
 * hold; u00003 has done nothing (CS103 is PREREQUISITE_MISSING for them).
 */
export const DEMO_STUDENTS: Record<string, Partial<User>> = {
  u00001: { priority_group: 'senior', completed_courses: ['CS100', 'CS101', 'CS102'] },
  u00002: {
    holds: {
      'demo-bursar': {
        code: 'BURSAR',
        reason: 'unpaid tuition',
        created_at: '2026-06-01T00:00:00.000Z',
      },
    },
  },
  u00003: { completed_courses: [] },
};

export interface Dataset {
  semesters: string[];
  departments: string[];
  users: User[];
  courses: Course[];
  enrollments: Enrollment[];
}

/** One instructor per this many course offerings. */
const COURSES_PER_INSTRUCTOR = 20;
const TERMS = ['SPRING', 'SUMMER', 'FALL'] as const;
const TERM_START: Record<(typeof TERMS)[number], string> = {
  SPRING: '01-15',
  SUMMER: '06-01',
  FALL: '09-01',
};
const DAY_MS = 86_400_000;

/** `2026-FALL`, `2027-SPRING`, `2027-SUMMER`, `2027-FALL`, `2028-SPRING`, ... */
export function semesterIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + TERMS.indexOf('FALL');
    return `${2026 + Math.floor(n / TERMS.length)}-${TERMS[n % TERMS.length]}`;
  });
}

/** CS, MATH, PHYS, ... (20 named ones), then D21, D22, ... */
export function departmentCodes(count: number): string[] {
  return Array.from({ length: count }, (_, i) => DEPARTMENTS[i]?.code ?? `D${i + 1}`);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const semesterStart = (semesterId: string): number => {
  const [year, term] = semesterId.split('-') as [string, (typeof TERMS)[number]];
  return Date.parse(`${year}-${TERM_START[term]}T09:00:00.000Z`);
};

/**
 * Builds a reproducible dataset in memory. Invariants: ids are unique, every course's
 * `enrolled_count` equals its enrollment rows and never exceeds its capacity, and no student is
 * enrolled twice in one course.
 */
export function generateDataset(options: Partial<SeedOptions> = {}): Dataset {
  const opts = { ...DEFAULT_SEED_OPTIONS, ...options };
  const rng = new Prng(opts.seed);
  const semesters = semesterIds(opts.semesters);
  const departments = departmentCodes(opts.departments);
  const courses = generateCourses(rng, opts.courses, semesters, departments);
  const instructorCount = Math.ceil(courses.length / COURSES_PER_INSTRUCTOR);
  const users = generateUsers(rng, opts.users, instructorCount).map((u) =>
    opts.demoStudents && DEMO_STUDENTS[u.user_id] ? { ...u, ...DEMO_STUDENTS[u.user_id] } : u,
  );
  const students = users.filter((u) => u.role === 'student');
  const enrollments = generateEnrollments(rng, opts.enrollments, students, courses);
  return { semesters, departments, users, courses, enrollments };
}

function generateCourses(
  rng: Prng,
  count: number,
  semesters: string[],
  departments: string[],
): Course[] {
  const buckets = semesters.length * departments.length;
  if (count > 0 && buckets === 0)
    throw new Error('seeding courses needs at least one semester and one department');
  const courses: Course[] = [];
  // Walk department by department, course number by number, offering each number in every
  // semester: CS100 is the same course (title, credits) in each term, and consecutive offerings
  // share an instructor, who thus teaches a few courses a term in one department.
  const perDept = Math.ceil(count / Math.max(1, departments.length));
  for (let d = 0; d < departments.length && courses.length < count; d++) {
    const dept = departments[d];
    const topics = DEPARTMENTS[d]?.topics ?? ['General Studies'];
    const inDept = Math.min(perDept, count - courses.length);
    for (let k = 0; k * semesters.length < inDept; k++) {
      const code = `${dept}${100 + k}`;
      const title = rng.pick(TITLE_PATTERNS)(rng.pick(topics));
      const credits = rng.pick([1, 2, 3, 3, 3, 4, 4, 5]);
      // Derived from the course number, not drawn: the rest of the dataset stays as it was.
      const section = sectionOf(dept, k);
      for (let s = 0; s < semesters.length && k * semesters.length + s < inDept; s++) {
        const semester = semesters[s];
        const created = new Date(semesterStart(semester) - 120 * DAY_MS).toISOString();
        courses.push({
          course_id: `${code}-${semester}`,
          course_code: code,
          title,
          description: `${title} (${dept}), offered ${semester}.`,
          semester_id: semester,
          department_id: dept,
          instructor_id: `i${pad(Math.floor(courses.length / COURSES_PER_INSTRUCTOR) + 1, 4)}`,
          capacity: rng.int(20, 300),
          credits,
          enrolled_count: 0,
          ...section,
          waitlist_count: 0,
          created_at: created,
          updated_at: created,
          version: 1,
        });
      }
    }
  }
  return courses;
}

const SLOTS_MWF = ['08:00', '09:00', '10:00', '11:00', '13:00', '14:00', '15:00'];
const SLOTS_TR = ['08:00', '09:30', '11:00', '13:00', '14:30', '16:00'];
const plus = (hhmm: string, minutes: number) => {
  const t = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) + minutes;
  return `${pad(Math.floor(t / 60), 2)}:${pad(t % 60, 2)}`;
};

/**
 * The section fields of the k-th course number of a department: meetings on MWF (50 min) or TR
 * (75 min) in a handful of slots, so a schedule of a few courses often conflicts; every fourth
 * number requires the one before it (CS103 needs CS102), a chain along course numbers; a waitlist
 * of a tenth of the numbers' sections.
 */
export function sectionOf(dept: string, k: number) {
  const meetings =
    k % 2 === 0
      ? [
          {
            days: ['MO', 'WE', 'FR'] as Day[],
            start: SLOTS_MWF[k % 7],
            end: plus(SLOTS_MWF[k % 7], 50),
          },
        ]
      : [{ days: ['TU', 'TH'] as Day[], start: SLOTS_TR[k % 6], end: plus(SLOTS_TR[k % 6], 75) }];
  return {
    meetings,
    prerequisites: k % 4 === 3 ? [`${dept}${100 + k - 1}`] : [],
    corequisites: [],
    waitlist_capacity: k % 10 === 0 ? 10 : 0,
  };
}

function generateUsers(rng: Prng, students: number, instructors: number): User[] {
  const person = (user_id: string, role: User['role'], createdDaysAgo: number): User => ({
    user_id,
    email: `${user_id}@example.edu`,
    name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
    role,
    created_at: new Date(
      Date.parse('2026-06-01T00:00:00.000Z') - createdDaysAgo * DAY_MS,
    ).toISOString(),
  });
  const width = Math.max(5, String(students).length);
  return [
    ...Array.from({ length: students }, (_, i) =>
      person(`u${pad(i + 1, width)}`, 'student', rng.int(0, 1500)),
    ),
    ...Array.from({ length: instructors }, (_, i) =>
      person(`i${pad(i + 1, 4)}`, 'instructor', rng.int(100, 4000)),
    ),
    person('a0001', 'admin', 4000),
  ];
}

function generateEnrollments(
  rng: Prng,
  wanted: number,
  students: User[],
  courses: Course[],
): Enrollment[] {
  const seatsLeft = courses.reduce((sum, c) => sum + c.capacity, 0);
  const target = Math.min(wanted, seatsLeft, students.length * courses.length);
  const taken = new Set<number>();
  const enrollments: Enrollment[] = [];
  // Random pairs, rejecting full courses and repeats; bounded so a near-full catalogue cannot spin.
  for (let attempts = 0; enrollments.length < target && attempts < target * 20; attempts++) {
    const s = rng.int(0, students.length - 1);
    const c = rng.int(0, courses.length - 1);
    const course = courses[c];
    const pair = s * courses.length + c;
    if (course.enrolled_count >= course.capacity || taken.has(pair)) continue;
    taken.add(pair);
    course.enrolled_count++;
    const user = students[s];
    const enrolledAt = new Date(
      semesterStart(course.semester_id) - rng.int(1, 60 * DAY_MS),
    ).toISOString();
    enrollments.push({
      enrollment_id: `${user.user_id}#${course.course_id}`,
      user_id: user.user_id,
      course_id: course.course_id,
      semester_id: course.semester_id,
      enrolled_at: enrolledAt,
      status: 'enrolled',
    });
  }
  return enrollments;
}
