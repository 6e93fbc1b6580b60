// POST /api/registrations/validate through the enrollments app, DynamoDB Local and Redis: every line
// of a cart with its violations, on one snapshot, and nothing written (the app's DynamoDB client
// sends reads only).
import { NestExpressApplication } from '@nestjs/platform-express';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import request from 'supertest';
import { DYNAMODB_CLIENT } from '@app/data';
import { startApp, studentAuth, testStack, watchDynamoDbCommands } from '@app/testing';
import { EnrollmentsModule } from '../src/enrollments.module';

const stack = testStack('cart-validate');
const TERM = '2032-FALL';

describe('POST /api/registrations/validate', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  const validate = async (sub: string, body: unknown) =>
    http
      .post('/api/registrations/validate')
      .set(await studentAuth(sub))
      .send(body as object);
  beforeAll(async () => {
    await stack.migrate();
    const section = (id: string, over = {}) =>
      stack.putCourse(id, { semester_id: TERM, credits: 4, ...over });
    await section('A101-2032-FALL');
    await section('B101-2032-FALL', { capacity: 1, enrolled_count: 1 });
    await section('C101-2032-FALL');
    app = await startApp(EnrollmentsModule);
    http = request(app.getHttpServer());
    const res = await http
      .post('/api/enrollments')
      .set(await studentAuth('cv-1'))
      .send({ course_id: 'A101-2032-FALL' });
    expect(res.status).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
    await stack.drop();
  });

  it('lists every line with its violations and writes nothing', async () => {
    const sent = watchDynamoDbCommands(app.get<DynamoDBClient>(DYNAMODB_CLIENT));
    const res = await validate('cv-1', {
      add: ['B101-2032-FALL', 'C101-2032-FALL', 'NOPE-2032-FALL'],
      drop: ['A101-2032-FALL', 'Z101-2032-FALL'],
    });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    const lines = res.body.results.map(
      (r: { course_id: string; action: string; ok: boolean; violations: { code: string }[] }) => [
        r.course_id,
        r.action,
        r.ok,
        r.violations.map((v) => v.code),
      ],
    );
    expect(lines).toEqual([
      ['B101-2032-FALL', 'add', false, ['COURSE_FULL']],
      ['C101-2032-FALL', 'add', true, []],
      ['NOPE-2032-FALL', 'add', false, ['COURSE_NOT_FOUND']],
      ['A101-2032-FALL', 'drop', true, []],
      ['Z101-2032-FALL', 'drop', false, ['NOT_ENROLLED']],
    ]);
    sent.stop();
    // The five DynamoDB reads of a one-term cart (the schedule items, record, permits; the rows;
    // the sections: the submit's snapshot; the term calendar comes from the cache), no write.
    expect([...sent.names].sort()).toEqual(
      [
        'BatchGetItemCommand',
        'GetItemCommand',
        'QueryCommand',
        'QueryCommand',
        'QueryCommand',
      ].sort(),
    );
    expect(sent.writes).toEqual([]);
  });

  it('says valid for a cart that fits, and ALREADY_ENROLLED for a held add', async () => {
    const ok = await validate('cv-1', { add: ['C101-2032-FALL'] });
    expect(ok.body).toEqual({
      valid: true,
      results: [{ course_id: 'C101-2032-FALL', action: 'add', ok: true, violations: [] }],
    });
    const held = await validate('cv-1', { add: ['A101-2032-FALL'] });
    expect(held.body.results[0].violations[0].code).toBe('ALREADY_ENROLLED');
  });

  it.each([
    [{ add: Array.from({ length: 11 }, (_, i) => `X${i}-2032-FALL`) }, 'CART_TOO_LARGE'],
    [{ drop: Array.from({ length: 11 }, (_, i) => `X${i}-2032-FALL`) }, 'CART_TOO_LARGE'],
    [{ add: ['A101-2032-FALL'], drop: ['A101-2032-FALL'] }, 'CART_ADD_AND_DROP'],
    [{ add: 'A101-2032-FALL' }, 'VALIDATION_FAILED'],
    [{ add: ['bad id!'] }, 'VALIDATION_FAILED'],
    [{ add: ['A101-2032-FALL', 'A101-2032-FALL'] }, 'VALIDATION_FAILED'],
  ])('refuses %j with 400 %s', async (body, code) => {
    const res = await validate('cv-2', body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code });
  });
});
