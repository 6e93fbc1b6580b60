import {
  DynamoDBDocumentClient,
  GetCommand,
  GetCommandOutput,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Course, courseIndexKeys, SECTION_DEFAULTS, Tables, User } from '@app/data';

/**
 * Rows written straight into a test file's tables, as the repositories store them, to arrange
 * what a test needs without going through the API.
 */
export function tableFixtures(doc: DynamoDBDocumentClient, tables: Tables) {
  return {
    /** Writes a course row as the repository stores it (2026-FALL, department CS, no one enrolled). */
    async putCourse(id: string, over: Partial<Course> = {}): Promise<void> {
      const now = new Date().toISOString();
      const course: Course = {
        course_id: id,
        course_code: id.split('-')[0],
        title: `Course ${id}`,
        semester_id: '2026-FALL',
        department_id: 'CS',
        instructor_id: 'i1',
        capacity: 30,
        credits: 3,
        enrolled_count: 0,
        ...SECTION_DEFAULTS,
        created_at: now,
        updated_at: now,
        version: 1,
        ...over,
      };
      await doc.send(
        new PutCommand({
          TableName: tables.courses,
          Item: { ...course, ...courseIndexKeys(course) },
        }),
      );
    },

    /**
     * Writes a Users row (a student with the address `<id>@example.edu`, created now, unless `over`
     * says otherwise; an `email: undefined` in `over` writes a row without one).
     */
    async putUser(id: string, over: Partial<User> = {}): Promise<void> {
      const user: User = {
        user_id: id,
        email: `${id}@example.edu`,
        name: `User ${id}`,
        role: 'student',
        created_at: new Date().toISOString(),
        ...over,
      };
      await doc.send(new PutCommand({ TableName: tables.users, Item: user }));
    },

    /** Sets a course's enrolled_count directly (nothing else of the row changes). */
    async setEnrolled(courseId: string, n: number): Promise<void> {
      await doc.send(
        new UpdateCommand({
          TableName: tables.courses,
          Key: { course_id: courseId },
          UpdateExpression: 'SET enrolled_count = :n',
          ExpressionAttributeValues: { ':n': n },
        }),
      );
    },

    /** A course's stored item, read strongly consistent (undefined when the course is missing). */
    async course(courseId: string): Promise<GetCommandOutput['Item']> {
      const out = await doc.send(
        new GetCommand({
          TableName: tables.courses,
          Key: { course_id: courseId },
          ConsistentRead: true,
        }),
      );
      return out.Item;
    },

    /** A student's stored row of a course, read strongly consistent (undefined when none). */
    async enrollment(userId: string, courseId: string): Promise<GetCommandOutput['Item']> {
      const out = await doc.send(
        new GetCommand({
          TableName: tables.enrollments,
          Key: { user_id: userId, course_id: courseId },
          ConsistentRead: true,
        }),
      );
      return out.Item;
    },

    /** A course's enrolled_count, read strongly consistent (undefined when the course is missing). */
    async enrolledCount(courseId: string): Promise<number | undefined> {
      return (await this.course(courseId))?.enrolled_count as number | undefined;
    },
  };
}

export type TableFixtures = ReturnType<typeof tableFixtures>;
