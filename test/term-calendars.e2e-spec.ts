// The term calendars the registration rules read are cached in the enrollments app (TermCalendars:
// a fragment under the `term:<id>` tag), and the courses app's PUT /api/terms, which bumps that tag,
// reaches them: through the real stack (DynamoDB Local, Redis, both apps).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DYNAMODB_CLIENT } from '@app/data';
import {
  authAs,
  eventually,
  fallTerm,
  startApp,
  studentAuth,
  testStack,
  watchDynamoDbCommands,
} from '@app/testing';
import { CoursesModule } from '../apps/courses/src/courses.module';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';

const stack = testStack('term_calendars');
const TERM = '2034-FALL';
const SECTIONS = ['TC1', 'TC2', 'TC3', 'TC4'].map((c) => `${c}-${TERM}`);
/** Open now: registration opened in the past, every deadline years ahead. */
const OPEN = fallTerm(TERM, { registration_opens_at: '2026-01-01T09:00:00Z' });
/** Not open yet (the term's own year). */
const LATER = fallTerm(TERM);

describe('term calendars cached for the registration rules', () => {
  let courses: NestExpressApplication;
  let enrollments: NestExpressApplication;
  let admin: { Authorization: string };

  const putTerm = async (term: object) => {
    const { term_id: _, updated_at: __, ...body } = term as Record<string, unknown>;
    await request(courses.getHttpServer())
      .put(`/api/terms/${TERM}`)
      .set(admin)
      .send(body)
      .expect((res) => expect([200, 201]).toContain(res.status));
  };
  const enroll = async (sub: string, courseId: string) =>
    request(enrollments.getHttpServer())
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send({ course_id: courseId });

  beforeAll(async () => {
    await stack.migrate();
    for (const id of SECTIONS) await stack.putCourse(id, { semester_id: TERM, credits: 3 });
    courses = await startApp(CoursesModule);
    enrollments = await startApp(EnrollmentsModule);
    admin = await authAs('tc-admin', 'admin');
  });

  afterAll(async () => {
    await enrollments?.close();
    await courses?.close();
    await stack.drop();
  });

  it('reads a term once, then from the cache, and follows every PUT of it', async () => {
    // No term yet: always open. The "no term" answer is cached too.
    expect((await enroll('tc-1', SECTIONS[0])).status).toBe(201);
    const sent = watchDynamoDbCommands(enrollments.get<DynamoDBClient>(DYNAMODB_CLIENT));
    try {
      expect((await enroll('tc-2', SECTIONS[0])).status).toBe(201);
      expect(sent.sentTo).not.toContain(`GetItemCommand ${stack.tables.terms}`);
    } finally {
      sent.stop();
    }

    // The registrar publishes a calendar that opens later: the next add sees it.
    await putTerm(LATER);
    let refused: request.Response | undefined;
    await eventually(async () => {
      refused = await enroll('tc-3', SECTIONS[1]);
      return refused.status !== 201;
    }, 3000);
    expect({ status: refused!.status, code: refused!.body.code }).toEqual({
      status: 422,
      code: 'REGISTRATION_NOT_OPEN',
    });

    // And opens it: the same student's add goes through, reading the new term once.
    await putTerm(OPEN);
    const reread = watchDynamoDbCommands(enrollments.get<DynamoDBClient>(DYNAMODB_CLIENT));
    try {
      let res: request.Response | undefined;
      await eventually(async () => {
        res = await enroll('tc-3', SECTIONS[1]);
        return res.status === 201;
      }, 3000);
      expect(res!.status).toBe(201);
      expect(
        reread.sentTo.filter((c) => c === `GetItemCommand ${stack.tables.terms}`),
      ).toHaveLength(1);
      expect((await enroll('tc-4', SECTIONS[2])).status).toBe(201);
      expect(
        reread.sentTo.filter((c) => c === `GetItemCommand ${stack.tables.terms}`),
      ).toHaveLength(1);
    } finally {
      reread.stop();
    }
  });
});
