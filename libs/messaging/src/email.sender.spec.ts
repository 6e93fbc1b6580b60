import type { QueueConfig } from '@app/common';
import { UnrecoverableError } from 'bullmq';
import { register } from 'prom-client';
import type { CoursesRepository, OutboxRepository, SendClaim, UsersRepository } from '@app/data';
import { EmailJob } from './email-queue';
import { EmailSender, SendInProgressError } from './email.sender';
import type { Mailer, OutgoingEmail } from './mailer';

const duplicateSends = async (): Promise<number> =>
  (await register.getSingleMetric('email_duplicate_sends_total')?.get())?.values[0]?.value ?? 0;

const job: EmailJob = {
  event_id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  type: 'enrollment.created',
  user_id: 'u1',
  course_id: 'CS101-2026-FALL',
  semester_id: '2026-FALL',
  email: 'token@example.edu',
  occurred_at: '2026-08-01T00:00:00.000Z',
};

function setup(
  opts: {
    claim?: SendClaim;
    claimError?: Error;
    user?: { email?: string; name?: string };
    course?: boolean;
    smtpError?: Error;
    /** How many marker writes fail (with "timeout") before one succeeds. */
    markSentFailures?: number;
  } = {},
) {
  const sent: OutgoingEmail[] = [];
  const calls = { markSent: 0, release: 0 };
  const outbox = {
    claimSend: async () => {
      if (opts.claimError) throw opts.claimError;
      return opts.claim ?? 'claimed';
    },
    releaseSend: async () => void calls.release++,
    markSent: async () => {
      calls.markSent++;
      if (calls.markSent <= (opts.markSentFailures ?? 0)) throw new Error('timeout');
      return true;
    },
  } as unknown as OutboxRepository;
  const users = { get: async () => opts.user } as unknown as UsersRepository;
  const courses = {
    get: async () =>
      opts.course === false ? undefined : { course_code: 'CS101', title: 'Intro to Programming' },
  } as unknown as CoursesRepository;
  const mailer = {
    send: async (m: OutgoingEmail) => {
      if (opts.smtpError) throw opts.smtpError;
      sent.push(m);
    },
  } as unknown as Mailer;
  const sut = new EmailSender(outbox, users, courses, mailer, {
    claimLeaseMs: 10000,
  } as QueueConfig);
  return { sut, sent, calls };
}

describe('EmailSender', () => {
  it('sends to the Users row address, with a deterministic Message-ID, and records SENT', async () => {
    const { sut, sent, calls } = setup({ user: { email: 'row@example.edu', name: 'Ada' } });
    await expect(sut.send(job)).resolves.toBe('sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'row@example.edu',
      messageId: `<${job.event_id}@course-registration>`,
    });
    expect(sent[0].subject).toContain('CS101 Intro to Programming');
    expect(calls.markSent).toBe(1);
  });

  it('falls back to the token email when the user has no Users row', async () => {
    const { sut, sent } = setup({ user: undefined });
    await sut.send(job);
    expect(sent[0].to).toBe('token@example.edu');
  });

  it('does not send an event that was already sent', async () => {
    const { sut, sent, calls } = setup({ claim: 'already-sent' });
    await expect(sut.send(job)).resolves.toBe('already-sent');
    expect(sent).toHaveLength(0);
    expect(calls.markSent).toBe(0);
  });

  it('retries later while another delivery of the same event is sending', async () => {
    const { sut, sent } = setup({ claim: 'in-progress' });
    await expect(sut.send(job)).rejects.toBeInstanceOf(SendInProgressError);
    expect(sent).toHaveLength(0);
  });

  it('sends after taking over a lapsed claim, and counts it as a probable duplicate', async () => {
    const before = await duplicateSends();
    const { sut, sent, calls } = setup({ claim: 'taken-over' });
    await expect(sut.send(job)).resolves.toBe('sent');
    expect(sent).toHaveLength(1);
    expect(calls.markSent).toBe(1);
    expect(await duplicateSends()).toBe(before + 1);
  });

  it('after the server accepted, a failed marker write is tried again, not the send', async () => {
    const { sut, sent, calls } = setup({ markSentFailures: 1 });
    await expect(sut.send(job)).resolves.toBe('sent');
    expect(sent).toHaveLength(1);
    expect(calls.markSent).toBe(2);
  });

  it('when the marker cannot be written at all, the retry of the job writes it and does not send again', async () => {
    jest.useFakeTimers();
    try {
      const { sut, sent, calls } = setup({ markSentFailures: 5 });
      const first = expect(sut.send(job)).rejects.toThrow('timeout');
      await jest.advanceTimersByTimeAsync(10_000);
      await first;
      await expect(sut.send(job)).resolves.toBe('sent');
      expect(sent).toHaveLength(1);
      expect(calls.markSent).toBe(6);
    } finally {
      jest.useRealTimers();
    }
  });

  it('notes the acceptance in the job as soon as the server accepted, beside the marker', async () => {
    const { sut, sent, calls } = setup();
    const notes: number[] = [];
    await expect(sut.send(job, async () => notes.push(sent.length))).resolves.toBe('sent');
    expect(notes).toEqual([1]);
    expect(calls.markSent).toBe(1);
  });

  it('a job whose earlier delivery noted the acceptance writes the marker and sends nothing', async () => {
    const { sut, sent, calls } = setup({ claim: 'taken-over' });
    await expect(sut.send({ ...job, smtp_accepted_at: '2026-08-01T00:00:01.000Z' })).resolves.toBe(
      'sent',
    );
    expect(sent).toHaveLength(0);
    expect(calls.markSent).toBe(1);
  });

  it('gives back a claim whose answer never came (it may have committed), for the retry to take at once', async () => {
    const { sut, sent, calls } = setup({ claimError: new Error('socket timeout') });
    await expect(sut.send(job)).rejects.toThrow('socket timeout');
    expect(calls.release).toBe(1);
    expect(sent).toHaveLength(0);
  });

  it('fails permanently when there is no address at all', async () => {
    const { sut, sent, calls } = setup({ user: { name: 'No Mail' } });
    await expect(sut.send({ ...job, email: undefined })).rejects.toBeInstanceOf(UnrecoverableError);
    expect(sent).toHaveLength(0);
    expect(calls.release).toBe(1);
  });

  it('fails permanently when the outbox event does not exist', async () => {
    const { sut } = setup({ claim: 'missing' });
    await expect(sut.send(job)).rejects.toBeInstanceOf(UnrecoverableError);
  });

  it('still sends, with the ids, when the course was deleted', async () => {
    const { sut, sent } = setup({ course: false });
    await sut.send(job);
    expect(sent[0].subject).toBe('Enrollment confirmed: CS101-2026-FALL (2026-FALL)');
  });

  it('lets an SMTP error through for BullMQ to retry, and gives the claim back', async () => {
    const { sut, calls } = setup({ smtpError: new Error('421 try again later') });
    await expect(sut.send(job)).rejects.toThrow('421');
    expect(calls.release).toBe(1);
    expect(calls.markSent).toBe(0);
  });
});
