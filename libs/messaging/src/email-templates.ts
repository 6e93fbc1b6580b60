import { OutboxEventType } from '@app/data';

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
  'waitlist.left' | 'waitlist.removed' | 'course.capacity_raised'
>;

const SUBJECTS: Record<EmailEventType, string> = {
  'enrollment.created': 'Enrollment confirmed',
  'enrollment.dropped': 'Enrollment dropped',
  'enrollment.withdrawn': 'Withdrawn',
  'waitlist.joined': 'Waitlisted',
  'waitlist.promoted': 'Enrolled from the waitlist',
};

const SENTENCES: Record<
  EmailEventType,
  (course: string, semester: string, position?: number) => string
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
};

const isEmailEvent = (type: OutboxEventType): type is EmailEventType => type in SUBJECTS;

export function renderEmail(input: EmailTemplateInput): EmailContent {
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
    sentence(course, input.semester_id, input.position),
    '',
    '— Course Registration',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${sentence(`<strong>${escapeHtml(course)}</strong>`, escapeHtml(input.semester_id), input.position)}</p>`,
    '<p>— Course Registration</p>',
  ].join('\n');
  return { subject, text, html };
}
