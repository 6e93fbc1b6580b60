import { escapeHtml, renderEmail } from './email-templates';

describe('renderEmail', () => {
  const course = { course_code: 'CS101', title: 'Intro to Programming' };

  it('confirms an enrollment with the course code, title and semester', () => {
    const sut = renderEmail({
      type: 'enrollment.created',
      course_id: 'CS101-2026-FALL',
      semester_id: '2026-FALL',
      course,
    });
    expect(sut.subject).toBe('Enrollment confirmed: CS101 Intro to Programming (2026-FALL)');
    expect(sut.text).toContain('You are enrolled in CS101 Intro to Programming for 2026-FALL.');
    expect(sut.html).toContain('<strong>CS101 Intro to Programming</strong>');
  });

  it('reports a drop', () => {
    const sut = renderEmail({
      type: 'enrollment.dropped',
      course_id: 'CS101-2026-FALL',
      semester_id: '2026-FALL',
      course,
    });
    expect(sut.subject).toBe('Enrollment dropped: CS101 Intro to Programming (2026-FALL)');
    expect(sut.text).toContain('You have dropped CS101 Intro to Programming for 2026-FALL');
  });

  it('reports a withdrawal: a W, no credits, the seat released', () => {
    const sut = renderEmail({
      type: 'enrollment.withdrawn',
      course_id: 'CS101-2026-FALL',
      semester_id: '2026-FALL',
      course,
    });
    expect(sut.subject).toBe('Withdrawn: CS101 Intro to Programming (2026-FALL)');
    expect(sut.text).toContain(
      'You have withdrawn from CS101 Intro to Programming for 2026-FALL. A W is recorded, no credits are earned',
    );
    expect(sut.html).toContain('<strong>CS101 Intro to Programming</strong>');
  });

  it.each([
    [
      'a waitlist join, with its position',
      { type: 'waitlist.joined', position: 3 },
      'Waitlisted: CS101 Intro to Programming (2026-FALL)',
      'You are on the waitlist for CS101 Intro to Programming for 2026-FALL, at position 3.',
    ],
    [
      'a waitlist join whose position is not known (queued by the relay)',
      { type: 'waitlist.joined' },
      'Waitlisted: CS101 Intro to Programming (2026-FALL)',
      'You are on the waitlist for CS101 Intro to Programming for 2026-FALL. You will be enrolled',
    ],
    [
      'a promotion',
      { type: 'waitlist.promoted' },
      'Enrolled from the waitlist: CS101 Intro to Programming (2026-FALL)',
      'A seat opened in CS101 Intro to Programming for 2026-FALL: you have been enrolled from the waitlist.',
    ],
    [
      'an offer, with its expiry',
      { type: 'waitlist.offered', offer_expires_at: '2026-08-03T09:00:00.000Z' },
      'A seat is offered to you: CS101 Intro to Programming (2026-FALL)',
      'A seat opened in CS101 Intro to Programming for 2026-FALL and is held for you until 2026-08-03T09:00:00.000Z.',
    ],
    [
      'an offer that lapsed',
      { type: 'waitlist.offer_expired' },
      'Offer expired: CS101 Intro to Programming (2026-FALL)',
      'Your offer of a seat in CS101 Intro to Programming for 2026-FALL expired',
    ],
    [
      'a removal at the add deadline',
      { type: 'waitlist.deadline_removed' },
      'Removed from the waitlist: CS101 Intro to Programming (2026-FALL)',
      'The add deadline for 2026-FALL has passed: you have been removed from the waitlist for CS101 Intro to Programming.',
    ],
  ] as const)('reports %s', (_, over, subject, sentence) => {
    const sut = renderEmail({
      course_id: 'CS101-2026-FALL',
      semester_id: '2026-FALL',
      course,
      ...over,
    });
    expect(sut.subject).toBe(subject);
    expect(sut.text).toContain(sentence);
    expect(sut.html).toContain('<strong>CS101 Intro to Programming</strong>');
  });

  it.each([
    'waitlist.left',
    'waitlist.removed',
    'course.capacity_raised',
    'waitlist.declined',
    'term.saved',
  ] as const)('has no email for the silent event %s', (type) => {
    expect(() => renderEmail({ type, course_id: 'C', semester_id: 'S' })).toThrow('send no email');
  });

  it('lists every change of a submitted cart in one email', () => {
    const sut = renderEmail({
      type: 'registration.submitted',
      course_id: 'CS101-2026-FALL',
      semester_id: '2026-FALL',
      name: 'Ada',
      changes: [
        {
          course_id: 'CS101-2026-FALL',
          semester_id: '2026-FALL',
          action: 'add',
          status: 'enrolled',
          course,
        },
        {
          course_id: 'GONE1-2026-FALL',
          semester_id: '2026-FALL',
          action: 'add',
          status: 'enrolled',
        },
        {
          course_id: 'MA201-2026-FALL',
          semester_id: '2026-FALL',
          action: 'drop',
          status: 'withdrawn',
          course: { course_code: 'MA201', title: 'Linear <Algebra>' },
        },
      ],
    });
    expect(sut.subject).toBe('Registration updated: 3 changes (2026-FALL)');
    expect(sut.text.split('\n')).toEqual([
      'Hello Ada,',
      '',
      'Your registration request was applied:',
      '- Enrolled in CS101 Intro to Programming (2026-FALL)',
      '- Enrolled in GONE1-2026-FALL (2026-FALL)',
      '- Withdrawn from (a W is recorded, no credits) MA201 Linear <Algebra> (2026-FALL)',
      '',
      '— Course Registration',
    ]);
    expect(sut.html).toContain('<strong>MA201 Linear &lt;Algebra&gt;</strong>');
  });

  it("lists a cart's waitlisted line with its position", () => {
    const sut = renderEmail({
      type: 'registration.submitted',
      course_id: 'CS101-2026-FALL',
      semester_id: '2026-FALL',
      changes: [
        {
          course_id: 'CS101-2026-FALL',
          semester_id: '2026-FALL',
          action: 'add',
          status: 'waitlisted',
          position: 3,
          course,
        },
      ],
    });
    expect(sut.text).toContain(
      '- Waitlisted for CS101 Intro to Programming (2026-FALL, position 3)',
    );
  });

  it('falls back to the course id when the course no longer exists', () => {
    const sut = renderEmail({
      type: 'enrollment.created',
      course_id: 'GONE1-2026-FALL',
      semester_id: '2026-FALL',
    });
    expect(sut.subject).toBe('Enrollment confirmed: GONE1-2026-FALL (2026-FALL)');
    expect(sut.html).toContain('GONE1-2026-FALL');
  });

  it('escapes HTML in every interpolated value but not in the plain-text part', () => {
    const sut = renderEmail({
      type: 'enrollment.created',
      course_id: 'X1',
      semester_id: '2026<b>',
      course: { course_code: 'X1', title: '<script>alert("x")</script> & Co' },
      name: "O'Brien <admin>",
    });
    expect(sut.html).not.toMatch(/<script>|<b>|<admin>/);
    expect(sut.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(sut.html).toContain('O&#39;Brien &lt;admin&gt;');
    expect(sut.text).toContain('<script>alert("x")</script> & Co');
  });

  it('keeps line breaks in a title out of the subject line', () => {
    const sut = renderEmail({
      type: 'enrollment.created',
      course_id: 'X1',
      semester_id: 'S',
      course: { course_code: 'X1', title: 'Evil\r\nBcc: victim@example.com' },
    });
    expect(sut.subject).not.toMatch(/[\r\n]/);
  });
});

describe('escapeHtml', () => {
  it('escapes the five significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
