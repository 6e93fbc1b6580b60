import { generateDataset } from '@app/data/seed';
import {
  COURSES_PER_LIST,
  SCALING_DEPARTMENT,
  SCALING_SEMESTER,
  scalingDepartments,
} from './scaling';

describe('scalingDepartments', () => {
  it('keeps the listed department at the same size whatever the table size', () => {
    for (const courses of [1000, 10_000]) {
      const data = generateDataset({
        users: 0,
        courses,
        enrollments: 0,
        semesters: 4,
        departments: scalingDepartments(courses),
        seed: 1,
      });
      const listed = data.courses.filter(
        (c) => c.semester_id === SCALING_SEMESTER && c.department_id === SCALING_DEPARTMENT,
      );
      expect(data.courses).toHaveLength(courses);
      expect(listed).toHaveLength(COURSES_PER_LIST);
    }
    expect(scalingDepartments(100_000)).toBe(200);
    expect(scalingDepartments(100)).toBe(1);
  });
});
