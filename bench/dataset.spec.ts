import { generateDataset } from '@app/data/seed';
import { pickEnrollPairs, studentIds } from './dataset';

describe('pickEnrollPairs', () => {
  const data = generateDataset({
    users: 50,
    courses: 200,
    enrollments: 400, // 8 a student over 4 terms: most can still take a course
    semesters: 4,
    departments: 5,
    seed: 7,
  });
  const students = studentIds(data).slice(-30);

  it('gives distinct courses with free seats, never a pair that is already enrolled', () => {
    const sut = pickEnrollPairs(data, students, 40, 1);
    expect(sut).toHaveLength(40);
    expect(new Set(sut.map((p) => p.course_id)).size).toBe(40);
    const enrolled = new Set(data.enrollments.map((e) => e.enrollment_id));
    const byId = new Map(data.courses.map((c) => [c.course_id, c]));
    for (const p of sut) {
      expect(students).toContain(p.user_id);
      expect(enrolled.has(`${p.user_id}#${p.course_id}`)).toBe(false);
      const c = byId.get(p.course_id)!;
      expect(c.capacity - c.enrolled_count).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(sut.map((p) => p.user_id)).size).toBe(30);
  });

  it('is deterministic and refuses to return fewer pairs than asked', () => {
    expect(pickEnrollPairs(data, students, 10, 5)).toEqual(pickEnrollPairs(data, students, 10, 5));
    expect(() => pickEnrollPairs(data, students, 10_000, 5)).toThrow(/pairs available/);
  });
});
