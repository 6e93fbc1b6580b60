import { checkEligibility, EligibilityRequest, ViolationCode, WAIVED_BY } from './eligibility';
import type { PermitType, ScheduleEntry, SectionFacts } from './registration.types';
import { FALL_2026, section } from './term.fixture';

const TERM = FALL_2026;
const OPEN = new Date('2026-08-15T12:00:00Z');

const enrolled = (s: SectionFacts, status: ScheduleEntry['status'] = 'enrolled') => ({
  status,
  section: s,
});
const MWF_9 = [{ days: ['MO', 'WE', 'FR'] as const, start: '09:00', end: '09:50' }].map((m) => ({
  ...m,
  days: [...m.days],
}));
const TR_9 = [{ days: ['TU' as const, 'TH' as const], start: '09:00', end: '10:15' }];

function request(over: Partial<EligibilityRequest> = {}): EligibilityRequest {
  return {
    student: { user_id: 's1', completed_courses: [], holds: [] },
    termId: '2026-FALL',
    term: TERM,
    defaultMaxCredits: 18,
    schedule: [],
    adds: [section('CS101-2026-FALL')],
    drops: [],
    permits: [],
    now: OPEN,
    ...over,
  };
}

const codes = (req: EligibilityRequest) => checkEligibility(req).map((v) => v.code);

describe('checkEligibility', () => {
  it('allows a plain add in an open window', () => {
    expect(checkEligibility(request())).toEqual([]);
  });

  // One row per rule: a request that breaks exactly it, and the details it must carry.
  const cases: {
    code: ViolationCode;
    why: string;
    req: EligibilityRequest;
    details?: Record<string, unknown>;
  }[] = [
    {
      code: 'REGISTRATION_NOT_OPEN',
      why: 'before the term opens',
      req: request({ now: new Date('2026-07-30T00:00:00Z') }),
      details: { opens_at: '2026-08-01T09:00:00Z' },
    },
    {
      code: 'REGISTRATION_NOT_OPEN',
      why: "before the student's own priority window, which is later than another group's",
      req: request({
        now: new Date('2026-07-29T00:00:00Z'),
        student: { user_id: 's1', priority_group: 'freshman', completed_courses: [], holds: [] },
      }),
      details: { opens_at: '2026-08-01T09:00:00Z' },
    },
    {
      code: 'REGISTRATION_CLOSED',
      why: 'after the add deadline',
      req: request({ now: new Date('2026-09-11T00:00:00Z') }),
      details: { add_deadline: TERM.add_deadline },
    },
    {
      code: 'HOLD',
      why: 'an active hold',
      req: request({
        student: {
          user_id: 's1',
          completed_courses: [],
          holds: [{ hold_id: 'h1', code: 'BURSAR', reason: 'unpaid fees' }],
        },
      }),
      details: { holds: [{ hold_id: 'h1', code: 'BURSAR', reason: 'unpaid fees' }] },
    },
    {
      code: 'DUPLICATE_COURSE',
      why: 'enrolled in another section of the same course this term',
      req: request({
        schedule: [enrolled(section('CS101-2026-FALL-02', { course_code: 'CS101' }))],
      }),
      details: { section: 'CS101-2026-FALL-02' },
    },
    {
      code: 'DUPLICATE_COURSE',
      why: 'two sections of one course in one request (the second is refused)',
      req: request({
        adds: [section('CS101-2026-FALL'), section('CS101-2026-FALL-02', { course_code: 'CS101' })],
      }),
    },
    {
      code: 'PREREQUISITE_MISSING',
      why: 'a prerequisite neither completed nor taken in an earlier term',
      req: request({
        adds: [section('CS201-2026-FALL', { prerequisites: ['CS101', 'MATH101'] })],
        student: { user_id: 's1', completed_courses: ['MATH101'], holds: [] },
      }),
      details: { missing: ['CS101'] },
    },
    {
      code: 'PREREQUISITE_MISSING',
      why: 'a prerequisite taken in the same term does not count',
      req: request({
        adds: [section('CS201-2026-FALL', { prerequisites: ['CS101'] })],
        schedule: [enrolled(section('CS101-2026-FALL-03', { course_code: 'CS101' }))],
      }),
    },
    {
      code: 'COREQUISITE_MISSING',
      why: 'a corequisite neither enrolled this term nor added with it',
      req: request({ adds: [section('PHYS101-2026-FALL', { corequisites: ['PHYS101L'] })] }),
      details: { missing: ['PHYS101L'] },
    },
    {
      code: 'TIME_CONFLICT',
      why: 'overlapping an enrolled section on a shared day',
      req: request({
        adds: [section('CS101-2026-FALL', { meetings: MWF_9 })],
        schedule: [
          enrolled(
            section('MATH101-2026-FALL', {
              meetings: [{ days: ['WE'], start: '09:30', end: '10:20' }],
            }),
          ),
        ],
      }),
      details: { conflicts_with: ['MATH101-2026-FALL'] },
    },
    {
      code: 'CREDIT_LIMIT',
      why: "over the term's limit",
      req: request({
        schedule: [
          enrolled(section('A1-2026-FALL')),
          enrolled(section('A2-2026-FALL')),
          enrolled(section('A3-2026-FALL')),
        ],
      }),
      details: { limit: 12, attempted: 16 },
    },
    {
      code: 'CREDIT_LIMIT',
      why: "over the student's own lower limit",
      req: request({
        student: { user_id: 's1', max_credits: 3, completed_courses: [], holds: [] },
      }),
      details: { limit: 3, attempted: 4 },
    },
    {
      code: 'COURSE_FULL',
      why: 'no seat left',
      req: request({
        adds: [section('CS101-2026-FALL', { enrolled_count: 30, waitlist_capacity: 5 })],
      }),
      details: { waitlist_available: true, waitlist_count: 0 },
    },
    {
      code: 'COURSE_FULL',
      why: 'a free seat, but students wait for it',
      req: request({
        adds: [
          section('CS101-2026-FALL', {
            enrolled_count: 29,
            waitlist_capacity: 2,
            waitlist_count: 2,
          }),
        ],
      }),
      details: { waitlist_available: false, waitlist_count: 2 },
    },
  ];

  it.each(cases)('$code: $why', ({ code, req, details }) => {
    const violations = checkEligibility(req);
    expect(violations.map((v) => v.code)).toEqual([code]);
    expect(violations[0]).toMatchObject({
      code,
      course_id: req.adds[req.adds.length - 1].course_id,
      ...details,
    });
    expect(violations[0].message).toEqual(expect.any(String));
  });

  it.each(cases)('$code is waived by its permit, and only by it: $why', ({ code, req }) => {
    const courseId = req.adds[req.adds.length - 1].course_id;
    const type = WAIVED_BY[code];
    const others = (
      ['CAPACITY', 'PREREQUISITE', 'TIME_CONFLICT', 'CREDIT_LIMIT', 'WINDOW'] as PermitType[]
    ).filter((t) => t !== type);
    // Every other type of permit, for the same course: still refused.
    expect(
      codes({ ...req, permits: others.map((t) => ({ course_id: courseId, type: t })) }),
    ).toEqual([code]);
    if (!type) return; // HOLD, DUPLICATE_COURSE and COREQUISITE_MISSING have no permit
    expect(codes({ ...req, permits: [{ course_id: courseId, type }] })).toEqual([]);
    // A permit for another section, or one that expired, waives nothing.
    expect(codes({ ...req, permits: [{ course_id: 'OTHER-2026-FALL', type }] })).toEqual([code]);
    expect(
      codes({
        ...req,
        permits: [
          {
            course_id: courseId,
            type,
            expires_at: new Date(req.now.getTime() - 1000).toISOString(),
          },
        ],
      }),
    ).toEqual([code]);
  });

  it('lets a senior register in their earlier window', () => {
    const senior = { user_id: 's1', priority_group: 'senior', completed_courses: [], holds: [] };
    expect(codes(request({ student: senior, now: new Date('2026-07-29T00:00:00Z') }))).toEqual([]);
  });

  it('treats a semester without a term as always open, with the default limit', () => {
    expect(codes(request({ term: null, now: new Date('2001-01-01T00:00:00Z') }))).toEqual([]);
    const five = ['A1', 'A2', 'A3', 'A4'].map((c) => enrolled(section(`${c}-2026-FALL`)));
    expect(codes(request({ term: null, schedule: five }))).toEqual(['CREDIT_LIMIT']); // 20 > 18
  });

  it('counts an earlier term enrollment as a prerequisite, but not a withdrawn one', () => {
    const add = [section('CS201-2026-FALL', { prerequisites: ['CS101'] })];
    const past = section('CS101-2026-SPRING', { semester_id: '2026-SPRING', course_code: 'CS101' });
    expect(codes(request({ adds: add, schedule: [enrolled(past)] }))).toEqual([]);
    expect(codes(request({ adds: add, schedule: [enrolled(past, 'withdrawn')] }))).toEqual([
      'PREREQUISITE_MISSING',
    ]);
  });

  it('accepts a corequisite added in the same request or already enrolled', () => {
    const lecture = section('PHYS101-2026-FALL', { corequisites: ['PHYS101L'] });
    const lab = section('PHYS101L-2026-FALL', { corequisites: ['PHYS101'] });
    expect(codes(request({ adds: [lecture, lab] }))).toEqual([]);
    expect(codes(request({ adds: [lecture], schedule: [enrolled(lab)] }))).toEqual([]);
  });

  it('ignores waitlisted, withdrawn and dropped rows for conflicts, duplicates and credits', () => {
    const busy = section('MATH101-2026-FALL', { meetings: MWF_9, credits: 12 });
    const sameCode = section('CS101-2026-FALL-02', { course_code: 'CS101', meetings: MWF_9 });
    const add = [section('CS101-2026-FALL', { meetings: MWF_9 })];
    for (const status of ['waitlisted', 'withdrawn', 'offered'] as const) {
      expect(
        codes(
          request({ adds: add, schedule: [enrolled(busy, status), enrolled(sameCode, status)] }),
        ),
      ).toEqual([]);
    }
    // A swap: the section dropped in the same request frees its time, credits and course code.
    expect(
      codes(
        request({
          adds: add,
          schedule: [enrolled(busy), enrolled(sameCode)],
          drops: ['MATH101-2026-FALL', 'CS101-2026-FALL-02'],
        }),
      ),
    ).toEqual([]);
  });

  it('finds a conflict between two adds, on both', () => {
    const a = section('CS101-2026-FALL', { meetings: TR_9 });
    const b = section('MATH101-2026-FALL', {
      meetings: [{ days: ['TH'], start: '10:00', end: '11:00' }],
    });
    expect(checkEligibility(request({ adds: [a, b] }))).toEqual([
      expect.objectContaining({
        code: 'TIME_CONFLICT',
        course_id: a.course_id,
        conflicts_with: [b.course_id],
      }),
      expect.objectContaining({
        code: 'TIME_CONFLICT',
        course_id: b.course_id,
        conflicts_with: [a.course_id],
      }),
    ]);
    // Back to back is no conflict: a meeting's end is exclusive.
    const c = section('MATH101-2026-FALL', {
      meetings: [{ days: ['TU'], start: '10:15', end: '11:00' }],
    });
    expect(codes(request({ adds: [a, c] }))).toEqual([]);
  });

  it('lists every violation of a course in the order of the rules', () => {
    const req = request({
      now: new Date('2026-07-30T00:00:00Z'),
      student: {
        user_id: 's1',
        max_credits: 1,
        completed_courses: [],
        holds: [{ hold_id: 'h1', code: 'BURSAR', reason: 'fees' }],
      },
      adds: [section('CS201-2026-FALL', { prerequisites: ['CS101'], enrolled_count: 30 })],
    });
    expect(codes(req)).toEqual([
      'REGISTRATION_NOT_OPEN',
      'HOLD',
      'PREREQUISITE_MISSING',
      'CREDIT_LIMIT',
      'COURSE_FULL',
    ]);
  });

  it('lets a waitlist join past capacity, but keeps every other rule', () => {
    const full = section('CS101-2026-FALL', { enrolled_count: 30, waitlist_capacity: 5 });
    expect(codes(request({ adds: [full], waitlist: true }))).toEqual([]);
    expect(
      codes(request({ adds: [full], waitlist: true, now: new Date('2026-09-11T00:00:00Z') })),
    ).toEqual(['REGISTRATION_CLOSED']);
  });

  it('lets a plain add take a free seat while students wait only once none of them is eligible', () => {
    const held = { enrolled_count: 29, waitlist_capacity: 2, waitlist_count: 1 };
    expect(codes(request({ adds: [section('CS101-2026-FALL', held)] }))).toEqual(['COURSE_FULL']);
    expect(
      codes(request({ adds: [section('CS101-2026-FALL', { ...held, waitlist_open: true })] })),
    ).toEqual([]);
  });

  it('never refuses a drop alone, a hold or a closed window notwithstanding', () => {
    const req = request({
      adds: [],
      drops: ['CS101-2026-FALL'],
      schedule: [enrolled(section('CS101-2026-FALL'))],
      student: {
        user_id: 's1',
        completed_courses: [],
        holds: [{ hold_id: 'h', code: 'X', reason: 'y' }],
      },
      now: new Date('2026-09-15T00:00:00Z'),
    });
    expect(checkEligibility(req)).toEqual([]);
  });
});
