import { testTables } from '@app/testing';
import { dropTables, migrate } from '../migrations/migrate';
import { parsePermitId, PermitsRepository } from './permits.repository';

const { prefix, client, doc, tables } = testTables('permits');
const issued = { issued_by: 'a1', issued_at: '2032-01-01T00:00:00.000Z' };

describe('PermitsRepository (DynamoDB Local)', () => {
  const sut = new PermitsRepository(doc, tables);

  beforeAll(() => migrate(client, prefix));
  afterAll(async () => {
    await dropTables(client, prefix);
    client.destroy();
  });

  it("reads one section's permits with one key condition, not its prefix's neighbours", async () => {
    await sut.put({ user_id: 'p1', course_id: 'CS101-2032', type: 'CAPACITY', ...issued });
    await sut.put({ user_id: 'p1', course_id: 'CS101-2032', type: 'WINDOW', ...issued });
    // A course id that starts with the other one: `begins_with(sk, course_id#)` must not match it.
    await sut.put({ user_id: 'p1', course_id: 'CS101-2032-B', type: 'CAPACITY', ...issued });
    await sut.put({ user_id: 'p2', course_id: 'CS101-2032', type: 'CAPACITY', ...issued });
    const types = (await sut.listForCourse('p1', 'CS101-2032')).map((p) => p.type).sort();
    expect(types).toEqual(['CAPACITY', 'WINDOW']);
    const all = await sut.listByUser('p1');
    expect(all).toHaveLength(3);
    expect(all[0]).not.toHaveProperty('sk');
    expect(all.map((p) => p.permit_id)).toContain('p1~CS101-2032-B~CAPACITY');
  });

  it('replaces a re-issued permit and deletes by id, once', async () => {
    const first = await sut.put({
      user_id: 'p3',
      course_id: 'HIST1-2032',
      type: 'CREDIT_LIMIT',
      expires_at: '2032-01-02T00:00:00Z',
      ...issued,
    });
    await sut.put({ user_id: 'p3', course_id: 'HIST1-2032', type: 'CREDIT_LIMIT', ...issued });
    const listed = await sut.listByUser('p3');
    expect(listed).toEqual([
      {
        permit_id: first.permit_id,
        user_id: 'p3',
        course_id: 'HIST1-2032',
        type: 'CREDIT_LIMIT',
        ...issued,
      },
    ]);
    expect(parsePermitId(first.permit_id)).toEqual({
      userId: 'p3',
      courseId: 'HIST1-2032',
      type: 'CREDIT_LIMIT',
    });
    expect(await sut.delete(first.permit_id)).toBe(true);
    expect(await sut.delete(first.permit_id)).toBe(false);
    expect(await sut.listByUser('p3')).toEqual([]);
  });
});
