import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { SmtpSink, startSmtpSink } from './smtp-sink';

describe('startSmtpSink', () => {
  let dir: string;
  let sut: SmtpSink;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smtp-sink-'));
    sut = await startSmtpSink({ dir, log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await sut.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => sut.clear());

  it('receives a mail sent by nodemailer, parses it and writes it as an .eml file', async () => {
    const transport = createTransport({ url: sut.url });
    await transport.sendMail({
      from: 'Registrar <no-reply@example.edu>',
      to: 'u00001@example.edu',
      subject: 'Enrolled in CS101 — Fall',
      text: 'You are enrolled in CS101.\nSee you in class.',
      html: '<p>You are enrolled in CS101.</p>',
      messageId: '<enroll-1@example.edu>',
    });
    transport.close();

    const [mail] = await sut.waitFor(1, 5000);
    expect(mail).toMatchObject({
      from: 'no-reply@example.edu',
      to: ['u00001@example.edu'],
      subject: 'Enrolled in CS101 — Fall',
      messageId: '<enroll-1@example.edu>',
      text: 'You are enrolled in CS101.\nSee you in class.',
    });
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-enroll-1@example\.edu\.eml$/);
    expect(readFileSync(join(dir, files[0]), 'utf8')).toBe(mail.raw);
    expect(lines.at(-1)).toContain('u00001@example.edu');
  });

  it('rejects waitFor when too few messages arrive in time', async () => {
    await expect(sut.waitFor(1, 200)).rejects.toThrow('expected 1 messages within 200 ms, got 0');
  });
});

describe('startSmtpSink with acceptDelayMs', () => {
  it('holds the acknowledgement back for that long', async () => {
    const sut = await startSmtpSink({ acceptDelayMs: 700 });
    const transport = createTransport({ url: sut.url });
    try {
      const started = Date.now();
      await transport.sendMail({
        from: 'a@example.edu',
        to: 'b@example.edu',
        subject: 'slow',
        text: 'x',
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(650);
      expect(sut.messages).toHaveLength(1);
    } finally {
      transport.close();
      await sut.stop();
    }
  });

  it('stops promptly even while a pooled client keeps its connection open', async () => {
    const sut = await startSmtpSink({});
    const transport = createTransport({ url: sut.url, pool: true });
    await transport.sendMail({
      from: 'a@example.edu',
      to: 'b@example.edu',
      subject: 'pooled',
      text: 'x',
    });
    const started = Date.now();
    await sut.stop();
    transport.close();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
