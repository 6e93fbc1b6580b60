import { Test } from '@nestjs/testing';
import { AppConfigModule, DomainError, ERROR_STATUS } from '@app/common';
import { testTables, withEnv } from '@app/testing';
import { DataModule } from '../dynamodb.module';
import { dropTables, migrate } from '../migrations/migrate';
import { UsersRepository } from '../users/users.repository';
import { NewCourse } from './course.types';
import { InstructorChanged } from './course.errors';
import { CoursesRepository } from './courses.repository';

const { prefix, client, setEnrolled } = testTables('courses_repo');

const course = (id: string, over: Partial<NewCourse> = {}): NewCourse => {
  const [code, ...semester] = id.split('-');
  return {
    course_id: id,
    course_code: code,
    title: `Course ${code}`,
    semester_id: semester.join('-'),
    department_id: code.replace(/\d+$/, ''),
    meetings: [],
    prerequisites: [],
    corequisites: [],
    waitlist_capacity: 0,
    instructor_id: 'i0001',
    capacity: 30,
    credits: 3,
    ...over,
  };
};

/**
 * Runs `fn` and returns the DomainError it threw, with the HTTP status the API answers it with
 * (fails the test if it threw nothing else).
 */
async function domainError(fn: () => Promise<unknown>): Promise<DomainError & { status: number }> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof DomainError) return Object.assign(err, { status: ERROR_STATUS[err.code] });
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('CoursesRepository (DynamoDB Local)', () => {
  let sut: CoursesRepository;
  let close: () => Promise<void>;

  beforeAll(async () => {
    await migrate(client, prefix);
    // Through DataModule, so the providers' wiring is proven too.
    const moduleRef = await withEnv({ TABLE_PREFIX: prefix }, () =>
      Test.createTestingModule({ imports: [AppConfigModule.forRoot(), DataModule] }).compile(),
    );
    sut = moduleRef.get(CoursesRepository);
    close = () => moduleRef.close();

    // 3 departments x 2 semesters; 25 CS courses in 2026-FALL to paginate through.
    for (let n = 100; n < 125; n++)
      await sut.create(course(`CS${n}-2026-FALL`, { instructor_id: n % 2 ? 'i0001' : 'i0002' }));
    for (const id of [
      'MATH101-2026-FALL',
      'MATH102-2026-FALL',
      'PHYS101-2026-FALL',
      'CS100-2027-SPRING',
      'MATH101-2027-SPRING',
    ]) {
      await sut.create(course(id, { instructor_id: 'i0001' }));
    }
  });

  afterAll(async () => {
    await close();
    await dropTables(client, prefix);
    client.destroy();
  });

  it('creates a course with counters and version, and reads it back without GSI key attributes', async () => {
    const created = await sut.create(
      course('BIO200-2026-FALL', { description: 'cells', instructor_id: 'i0300' }),
    );
    expect(created).toMatchObject({ enrolled_count: 0, version: 1, description: 'cells' });
    const read = await sut.get('BIO200-2026-FALL');
    expect(read).toEqual(created);
    expect(read).not.toHaveProperty('dept_code');
    expect(read).not.toHaveProperty('semester_code');
  });

  it('refuses to create a course id twice', async () => {
    const err = await domainError(() => sut.create(course('CS100-2026-FALL', { title: 'again' })));
    expect(err).toMatchObject({ status: 409, code: 'COURSE_EXISTS' });
    expect((await sut.get('CS100-2026-FALL'))?.title).toBe('Course CS100');
  });

  it('returns null for an unknown course', async () => {
    expect(await sut.get('NOPE-2026-FALL')).toBeNull();
  });

  it('lists a semester, and a department of it, as summaries without the seat counter', async () => {
    const all = await sut.listBySemester({ semesterId: '2026-FALL', limit: 100 });
    expect(all.items.map((c) => c.course_id)).toEqual(
      expect.arrayContaining(['MATH101-2026-FALL', 'PHYS101-2026-FALL', 'CS124-2026-FALL']),
    );
    expect(all.items.every((c) => c.semester_id === '2026-FALL')).toBe(true);
    expect(Object.keys(all.items[0]).sort()).toEqual(
      [
        'capacity',
        'course_code',
        'course_id',
        'credits',
        'department_id',
        'instructor_id',
        'semester_id',
        'title',
      ].sort(),
    );

    const math = await sut.listBySemester({
      semesterId: '2026-FALL',
      departmentId: 'MATH',
      limit: 100,
    });
    expect(math.items.map((c) => c.course_id)).toEqual(['MATH101-2026-FALL', 'MATH102-2026-FALL']);
    expect(math.next_cursor).toBeNull();
  });

  it('pages through a department to the end with no duplicates and no gaps', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await sut.listBySemester({
        semesterId: '2026-FALL',
        departmentId: 'CS',
        limit: 7,
        cursor,
      });
      seen.push(...page.items.map((c) => c.course_id));
      cursor = page.next_cursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    const expected = Array.from({ length: 25 }, (_, i) => `CS${100 + i}-2026-FALL`);
    expect(seen).toEqual(expected);
    expect(pages).toBeGreaterThanOrEqual(4);
  });

  it('rejects a tampered cursor and a cursor issued for another query', async () => {
    const page = await sut.listBySemester({
      semesterId: '2026-FALL',
      departmentId: 'CS',
      limit: 5,
    });
    const cursor = page.next_cursor!;
    const [body, mac] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ course_id: 'X', semester_id: '2026-FALL', dept_code: 'CS#CS999' })).toString('base64url')}.${mac}`;
    for (const bad of [forged, `${body}.${mac.slice(1)}A`, 'garbage', '']) {
      const err = await domainError(() =>
        sut.listBySemester({ semesterId: '2026-FALL', departmentId: 'CS', limit: 5, cursor: bad }),
      );
      expect(err).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    }
    const elsewhere = [
      () => sut.listBySemester({ semesterId: '2026-FALL', departmentId: 'MATH', limit: 5, cursor }),
      () => sut.listBySemester({ semesterId: '2026-FALL', limit: 5, cursor }),
      () => sut.listByInstructor({ instructorId: 'i0001', limit: 5, cursor }),
    ];
    for (const call of elsewhere)
      expect(await domainError(call)).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
  });

  it("lists an instructor's courses, optionally one semester", async () => {
    const spring = await sut.listByInstructor({
      instructorId: 'i0001',
      semesterId: '2027-SPRING',
      limit: 50,
    });
    expect(spring.items.map((c) => c.course_id)).toEqual([
      'CS100-2027-SPRING',
      'MATH101-2027-SPRING',
    ]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await sut.listByInstructor({ instructorId: 'i0001', limit: 4, cursor });
      seen.push(...page.items.map((c) => c.course_id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    // 12 odd CS numbers in the fall, 3 other fall courses, 2 in the spring; fall sorts first (semester_code).
    expect(seen).toHaveLength(17);
    expect(new Set(seen).size).toBe(17);
    expect(seen.slice(-2)).toEqual(['CS100-2027-SPRING', 'MATH101-2027-SPRING']);
  });

  it('batch-gets more than 100 ids in the order asked, skipping unknown ids and repeats', async () => {
    for (let n = 0; n < 110; n++)
      await sut.create(course(`ART${300 + n}-2027-FALL`, { instructor_id: 'i0500' }));
    const ids = Array.from({ length: 110 }, (_, n) => `ART${409 - n}-2027-FALL`);
    const asked = [...ids.slice(0, 60), 'NOPE-2027-FALL', ids[3], ...ids.slice(60)];
    const got = await sut.getMany(asked);
    expect(got.map((c) => c.course_id)).toEqual(ids);
    expect(got[0]).toHaveProperty('enrolled_count', 0);
    expect(await sut.getMany([])).toEqual([]);
  });

  it('reads the seat counters of many ids in one consistent BatchGet, skipping unknown ids', async () => {
    await sut.create(
      course('SEAT101-2028-FALL', { capacity: 2, waitlist_capacity: 4, instructor_id: 'i0900' }),
    );
    await setEnrolled('SEAT101-2028-FALL', 2);
    const asked = ['SEAT101-2028-FALL', 'CS100-2026-FALL', 'NOPE1-2028-FALL', 'SEAT101-2028-FALL'];
    const got = await sut.seatCounts(asked);
    expect([...got.keys()].sort()).toEqual(['CS100-2026-FALL', 'SEAT101-2028-FALL']);
    expect(got.get('SEAT101-2028-FALL')).toEqual({
      capacity: 2,
      enrolled_count: 2,
      waitlist_capacity: 4,
      waitlist_count: 0,
    });
    expect(got.get('CS100-2026-FALL')).toEqual({
      capacity: 30,
      enrolled_count: 0,
      waitlist_capacity: 0,
      waitlist_count: 0,
    });
    expect((await sut.seatCounts([])).size).toBe(0);
  });

  it('updates, bumping version and updated_at, and ignores fields that are not patchable', async () => {
    const before = (await sut.get('CS101-2026-FALL'))!;
    const patch = {
      title: 'Data Structures',
      capacity: 40,
      course_id: 'HIJACK',
      enrolled_count: 999,
    };
    const after = await sut.update('CS101-2026-FALL', patch as never);
    expect(after).toMatchObject({
      course_id: 'CS101-2026-FALL',
      title: 'Data Structures',
      capacity: 40,
      enrolled_count: 0,
      version: before.version + 1,
    });
    expect(after.updated_at >= before.updated_at).toBe(true);
    expect(after).not.toHaveProperty('dept_code');
    expect((await sut.update('CS101-2026-FALL', { credits: 4 })).version).toBe(before.version + 2);
  });

  it("moves a course to its new instructor's list when instructor_id changes", async () => {
    await sut.update('CS102-2026-FALL', { instructor_id: 'i0099' });
    const page = await sut.listByInstructor({ instructorId: 'i0099', limit: 10 });
    expect(page.items.map((c) => c.course_id)).toEqual(['CS102-2026-FALL']);
  });

  it('refuses capacity below enrolled_count, a wrong instructor, and an unknown course', async () => {
    await setEnrolled('CS103-2026-FALL', 12);
    expect(await domainError(() => sut.update('CS103-2026-FALL', { capacity: 11 }))).toMatchObject({
      status: 409,
      code: 'CAPACITY_BELOW_ENROLLED',
    });
    expect((await sut.update('CS103-2026-FALL', { capacity: 12 })).capacity).toBe(12);

    // CS103 belongs to i0001 (odd number). What a mismatch means is the caller's decision.
    await expect(
      sut.update('CS103-2026-FALL', { title: 'x' }, { onlyIfInstructor: 'i0002' }),
    ).rejects.toBeInstanceOf(InstructorChanged);
    expect(
      (await sut.update('CS103-2026-FALL', { title: 'mine' }, { onlyIfInstructor: 'i0001' })).title,
    ).toBe('mine');

    expect(await domainError(() => sut.update('NOPE-2026-FALL', { title: 'x' }))).toMatchObject({
      status: 404,
      code: 'COURSE_NOT_FOUND',
    });
  });

  it('deletes a course only while nobody is enrolled', async () => {
    await setEnrolled('CS105-2026-FALL', 1);
    expect(await domainError(() => sut.delete('CS105-2026-FALL'))).toMatchObject({
      status: 409,
      code: 'COURSE_HAS_ENROLLMENTS',
    });
    expect(await sut.get('CS105-2026-FALL')).not.toBeNull();

    await setEnrolled('CS105-2026-FALL', 0);
    await sut.delete('CS105-2026-FALL');
    expect(await sut.get('CS105-2026-FALL')).toBeNull();
    expect(await domainError(() => sut.delete('CS105-2026-FALL'))).toMatchObject({
      status: 404,
      code: 'COURSE_NOT_FOUND',
    });
  });
});

describe('UsersRepository (DynamoDB Local)', () => {
  it('is provided by DataModule and returns null for an unknown user', async () => {
    const own = testTables('users_repo');
    await migrate(own.client, own.prefix);
    const moduleRef = await withEnv({ TABLE_PREFIX: own.prefix }, () =>
      Test.createTestingModule({ imports: [AppConfigModule.forRoot(), DataModule] }).compile(),
    );
    try {
      expect(await moduleRef.get(UsersRepository).get('u99999')).toBeNull();
    } finally {
      await moduleRef.close();
      await dropTables(own.client, own.prefix);
      own.client.destroy();
    }
  });
});
