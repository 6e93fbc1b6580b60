import { statusOfOld } from './enrollment-transact-items';
import { enrollmentFields } from './enrollment.types';

describe('statusOfOld (the row a failed condition returned)', () => {
  it.each([
    ['no row', undefined, undefined],
    ['a row stored without a status', { user_id: { S: 'u' } }, 'enrolled'],
    ['attribute-value form', { status: { S: 'withdrawn' } }, 'withdrawn'],
    ['plain form', { status: 'enrolled' }, 'enrolled'],
  ])('%s', (_, item, expected) => {
    expect(statusOfOld(item as Record<string, unknown> | undefined)).toBe(expected);
  });
});

describe('enrollmentFields', () => {
  const base = {
    enrollment_id: 'u#c',
    user_id: 'u',
    course_id: 'c',
    semester_id: '2026-FALL',
    enrolled_at: '2026-08-01T00:00:00.000Z',
  };
  it.each([
    [
      'a row stored without a status reads as enrolled',
      { ...base },
      { ...base, status: 'enrolled' },
    ],
    [
      'index keys and other attributes are left out',
      { ...base, status: 'enrolled', semester_enrolled: '2026-FALL#x' },
      { ...base, status: 'enrolled' },
    ],
    [
      'a W keeps withdrawn_at',
      { ...base, status: 'withdrawn', withdrawn_at: '2026-10-01T00:00:00.000Z' },
      { ...base, status: 'withdrawn', withdrawn_at: '2026-10-01T00:00:00.000Z' },
    ],
  ])('%s', (_, item, expected) => {
    expect(enrollmentFields(item)).toEqual(expected);
  });
});
