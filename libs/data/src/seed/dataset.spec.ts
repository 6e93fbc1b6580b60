import { checkEligibility } from '@app/registration';
import { studentFacts } from '../users/users.repository';
import { DEMO_SEED_OPTIONS, departmentCodes, generateDataset, semesterIds } from './dataset';
import { demoTerms } from './seed-dataset';

describe('generateDataset', () => {
  const opts = { users: 200, courses: 400, enrollments: 3000, seed: 1 };

  it('is reproducible for a seed and different for another', () => {
    expect(generateDataset(opts)).toEqual(generateDataset(opts));
    expect(generateDataset({ ...opts, seed: 2 }).enrollments).not.toEqual(
      generateDataset(opts).enrollments,
    );
  });

  it('names semesters and departments deterministically', () => {
    expect(semesterIds(5)).toEqual([
      '2026-FALL',
      '2027-SPRING',
      '2027-SUMMER',
      '2027-FALL',
      '2028-SPRING',
    ]);
    expect(departmentCodes(3)).toEqual(['CS', 'MATH', 'PHYS']);
    expect(new Set(departmentCodes(20)).size).toBe(20);
    expect(departmentCodes(21)[20]).toBe('D21');
  });

  it('builds unique courses over every semester and department, with valid fields', () => {
    const { courses } = generateDataset(opts);
    expect(courses).toHaveLength(400);
    expect(new Set(courses.map((c) => c.course_id)).size).toBe(400);
    expect(courses[0]).toMatchObject({
      course_id: 'CS100-2026-FALL',
      course_code: 'CS100',
      department_id: 'CS',
      semester_id: '2026-FALL',
    });
    expect(new Set(courses.map((c) => c.semester_id)).size).toBe(4);
    expect(new Set(courses.map((c) => c.department_id)).size).toBe(20);
    for (const c of courses) {
      expect(c.course_id).toBe(`${c.course_code}-${c.semester_id}`);
      expect(c.capacity).toBeGreaterThanOrEqual(20);
      expect(c.capacity).toBeLessThanOrEqual(300);
      expect(c.instructor_id).toMatch(/^i\d{4}$/);
    }
  });

  it('has students, one instructor per ~20 courses and an admin', () => {
    const { users, courses } = generateDataset(opts);
    const ids = (role: string) => users.filter((u) => u.role === role).map((u) => u.user_id);
    expect(ids('student')).toHaveLength(200);
    expect(ids('student')[0]).toBe('u00001');
    expect(ids('instructor')).toHaveLength(20);
    expect(new Set(courses.map((c) => c.instructor_id))).toEqual(new Set(ids('instructor')));
    expect(ids('admin')).toEqual(['a0001']);
    expect(users.find((u) => u.user_id === 'u00001')?.email).toBe('u00001@example.edu');
  });

  it('respects capacity, counts every enrollment, and never enrolls a student twice in a course', () => {
    const { courses, enrollments } = generateDataset(opts);
    expect(enrollments).toHaveLength(3000);
    expect(new Set(enrollments.map((e) => e.enrollment_id)).size).toBe(3000);
    const counts = new Map<string, number>();
    for (const e of enrollments) {
      counts.set(e.course_id, (counts.get(e.course_id) ?? 0) + 1);
      expect(e.enrollment_id).toBe(`${e.user_id}#${e.course_id}`);
    }
    for (const c of courses) {
      expect(c.enrolled_count).toBe(counts.get(c.course_id) ?? 0);
      expect(c.enrolled_count).toBeLessThanOrEqual(c.capacity);
    }
  });

  it('stops at the seats there are when asked for more', () => {
    const { courses, enrollments } = generateDataset({
      users: 500,
      courses: 2,
      semesters: 1,
      departments: 1,
      enrollments: 10_000,
    });
    expect(enrollments).toHaveLength(courses.reduce((n, c) => n + c.capacity, 0));
  });
});

describe('the demo students', () => {
  const demo = generateDataset({ ...DEMO_SEED_OPTIONS });
  const now = new Date('2026-12-03T12:00:00.000Z');
  const [term] = demoTerms(['2026-FALL'], now);
  const cs103 = demo.courses.find((c) => c.course_id === 'CS103-2026-FALL')!;
  const codesFor = (userId: string) =>
    checkEligibility({
      student: studentFacts(userId, demo.users.find((u) => u.user_id === userId) ?? null),
      termId: '2026-FALL',
      term,
      defaultMaxCredits: 18,
      schedule: [],
      adds: [cs103],
      drops: [],
      permits: [],
      now,
    }).map((v) => v.code);

  it('are what the README says: CS103 needs CS102; u00001 may take it, u00002 is held, u00003 lacks it', () => {
    expect(cs103.prerequisites).toEqual(['CS102']);
    expect(codesFor('u00001')).toEqual([]);
    expect(codesFor('u00002')).toEqual(['HOLD', 'PREREQUISITE_MISSING']);
    expect(codesFor('u00003')).toEqual(['PREREQUISITE_MISSING']);
  });

  it('exist only in the demo dataset', () => {
    const plain = generateDataset({ ...DEMO_SEED_OPTIONS, demoStudents: false });
    const u2 = plain.users.find((u) => u.user_id === 'u00002')!;
    expect(u2.holds).toBeUndefined();
    expect(demo.users.find((u) => u.user_id === 'u00002')!.holds).toBeDefined();
    expect(plain.courses).toEqual(demo.courses);
  });
});
