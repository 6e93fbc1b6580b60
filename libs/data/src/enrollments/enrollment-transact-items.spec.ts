import { statusOfOld, waitlistDetailsOfOld } from './enrollment-transact-items';
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

describe('waitlistDetailsOfOld (the COURSE_FULL of a failed seat condition)', () => {
  it.each([
    ['no item', undefined, { waitlist_available: false, waitlist_count: 0 }],
    [
      'no waitlist',
      { waitlist_capacity: 0, waitlist_count: 0 },
      { waitlist_available: false, waitlist_count: 0 },
    ],
    [
      'room, plain form',
      { waitlist_capacity: 3, waitlist_count: 2 },
      { waitlist_available: true, waitlist_count: 2 },
    ],
    [
      'full, attribute-value form',
      { waitlist_capacity: { N: '2' }, waitlist_count: { N: '2' } },
      { waitlist_available: false, waitlist_count: 2 },
    ],
    [
      'stored before waitlists',
      { enrolled_count: 3 },
      { waitlist_available: false, waitlist_count: 0 },
    ],
  ])('%s', (_, item, expected) => {
    expect(waitlistDetailsOfOld(item as Record<string, unknown> | undefined)).toEqual(expected);
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
      'a waitlisted row: no enrolled_at, its join time, never its index key or email',
      {
        ...base,
        enrolled_at: undefined,
        status: 'waitlisted',
        waitlisted_at: '2026-08-01T00:00:00.000Z',
        waitlist_key: '2026-08-01T00:00:00.000Z#01J',
        email: 'u@example.edu',
      },
      {
        enrollment_id: 'u#c',
        user_id: 'u',
        course_id: 'c',
        semester_id: '2026-FALL',
        status: 'waitlisted',
        waitlisted_at: '2026-08-01T00:00:00.000Z',
      },
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
