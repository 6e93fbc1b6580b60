import { CartChange, OutboxEventType } from '@app/data';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface EmailTemplateInput {
  type: OutboxEventType;
  course_id: string;
  semester_id: string;
  /** Absent when the course was deleted since: the email still goes out, with the ids. */
  course?: { course_code: string; title: string };
  name?: string;
  /** A waitlist join's place in the list. */
  position?: number;
  /** An offer's expiry (ISO-8601). */
  offer_expires_at?: string;
  /** `registration.submitted`: the cart's changes, each with its course when it still exists. */
  changes?: (CartChange & { course?: { course_code: string; title: string } })[];
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

// Headers are folded by nodemailer, but a line break in a course title must not reach the subject line.
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').trim();

type EmailEventType = Exclude<
  OutboxEventType,
  | 'waitlist.left'
  | 'waitlist.removed'
  | 'course.capacity_raised'
  | 'waitlist.declined'
  | 'term.saved'
>;

const SUBJECTS: Record<EmailEventType, string> = {
  'enrollment.created': 'Enrollment confirmed',
  'enrollment.dropped': 'Enrollment dropped',
  'enrollment.withdrawn': 'Withdrawn',
  'waitlist.joined': 'Waitlisted',
  'waitlist.promoted': 'Enrolled from the waitlist',
  'waitlist.offered': 'A seat is offered to you',
  'waitlist.offer_expired': 'Offer expired',
  'registration.submitted': 'Registration updated',
  'waitlist.deadline_removed': 'Removed from the waitlist',
};

const SENTENCES: Record<
  EmailEventType,
  (course: string, semester: string, position?: number, expires?: string) => string
> = {
  'enrollment.created': (c, s) => `You are enrolled in ${c} for ${s}.`,
  'enrollment.dropped': (c, s) => `You have dropped ${c} for ${s}. Your seat has been released.`,
  'enrollment.withdrawn': (c, s) =>
    `You have withdrawn from ${c} for ${s}. A W is recorded, no credits are earned, and your seat has been released.`,
  'waitlist.joined': (c, s, p) =>
    `You are on the waitlist for ${c} for ${s}${p !== undefined ? `, at position ${p}` : ''}. ` +
    'You will be enrolled automatically when a seat opens and you are eligible.',
  'waitlist.promoted': (c, s) =>
    `A seat opened in ${c} for ${s}: you have been enrolled from the waitlist.`,
  'waitlist.offered': (c, s, _p, e) =>
    `A seat opened in ${c} for ${s} and is held for you until ${e ?? 'the offer expires'}. ` +
    'Accept it to enroll; otherwise it goes to the next student waiting.',
  'waitlist.offer_expired': (c, s) =>
    `Your offer of a seat in ${c} for ${s} expired and went to the next student waiting.`,
  'registration.submitted': (c, s) => `Your registration for ${s} changed: ${c}.`,
  'waitlist.deadline_removed': (c, s) =>
    `The add deadline for ${s} has passed: you have been removed from the waitlist for ${c}. ` +
    'No seat was found for you; you can no longer be enrolled in it this term.',
};

const CHANGE_WORDS: Record<CartChange['status'], string> = {
  enrolled: 'Enrolled in',
  waitlisted: 'Waitlisted for',
  dropped: 'Dropped',
  withdrawn: 'Withdrawn from (a W is recorded, no credits)',
};

const isEmailEvent = (type: OutboxEventType): type is EmailEventType => type in SUBJECTS;

export function renderEmail(input: EmailTemplateInput): EmailContent {
  if (input.type === 'registration.submitted') return renderCart(input);
  const type = input.type;
  if (!isEmailEvent(type)) throw new Error(`${type} events send no email`);
  const code = input.course?.course_code ?? input.course_id;
  const course = input.course ? `${code} ${input.course.title}` : code;
  const greeting = input.name ? `Hello ${input.name},` : 'Hello,';
  const subject = oneLine(`${SUBJECTS[type]}: ${course} (${input.semester_id})`);
  const sentence = SENTENCES[type];
  const text = [
    greeting,
    '',
    sentence(course, input.semester_id, input.position, input.offer_expires_at),
    '',
    '— Course Registration',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${sentence(`<strong>${escapeHtml(course)}</strong>`, escapeHtml(input.semester_id), input.position, input.offer_expires_at && escapeHtml(input.offer_expires_at))}</p>`,
    '<p>— Course Registration</p>',
  ].join('\n');
  return { subject, text, html };
}

/** One email for a whole cart: every change on its own line, adds first, in the cart's order. */
function renderCart(input: EmailTemplateInput): EmailContent {
  const changes = input.changes ?? [];
  const greeting = input.name ? `Hello ${input.name},` : 'Hello,';
  const terms = [...new Set(changes.map((c) => c.semester_id))].join(', ') || input.semester_id;
  const lines = changes.map((c) => ({
    words: CHANGE_WORDS[c.status],
    course: c.course ? `${c.course.course_code} ${c.course.title}` : c.course_id,
    term: c.position !== undefined ? `${c.semester_id}, position ${c.position}` : c.semester_id,
  }));
  const n = changes.length;
  const subject = oneLine(
    `${SUBJECTS['registration.submitted']}: ${n} change${n === 1 ? '' : 's'} (${terms})`,
  );
  const text = [
    greeting,
    '',
    'Your registration request was applied:',
    ...lines.map((l) => `- ${l.words} ${l.course} (${l.term})`),
    '',
    '— Course Registration',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    '<p>Your registration request was applied:</p>',
    '<ul>',
    ...lines.map(
      (l) =>
        `<li>${escapeHtml(l.words)} <strong>${escapeHtml(l.course)}</strong> (${escapeHtml(l.term)})</li>`,
    ),
    '</ul>',
    '<p>— Course Registration</p>',
  ].join('\n');
  return { subject, text, html };
}
