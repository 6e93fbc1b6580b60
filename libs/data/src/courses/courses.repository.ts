import { Inject, Injectable } from '@nestjs/common';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommandInput,
  TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SeatCounts } from '@app/registration';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { batchGetAll } from '../kit/batch-get';
import { CapacityMeter } from '../kit/capacity';
import { CursorCodec, CursorScope } from '../kit/cursor';
import { queryPage } from '../kit/query-page';
import { setFields } from '../kit/set-fields';
import { transactWrite } from '../kit/transaction';
import { newOutboxEvent, outboxPut } from '../outbox/outbox-event';
import { GSI, TableNames } from '../tables';
import {
  Course,
  courseIndexKeys,
  CoursePatch,
  CourseSummary,
  NewCourse,
  PATCHABLE_FIELDS,
  SECTION_DEFAULTS,
} from './course.types';
import type { Page } from '../kit/page';
import { CourseBatchReader, CourseListReader } from './course-readers';
import {
  CapacityBelowEnrolled,
  CourseExists,
  CourseHasEnrollments,
  CourseNotFound,
  InstructorChanged,
  WaitlistBelowWaiting,
} from './course.errors';

type CourseUpdate = NonNullable<
  NonNullable<TransactWriteCommandInput['TransactItems']>[number]['Update']
>;

// Only PATCHABLE_FIELDS are ever written by update(): keys, counters and GSI sort keys are not.

const SUMMARY_FIELDS = [
  'course_id',
  'course_code',
  'title',
  'semester_id',
  'department_id',
  'instructor_id',
  'capacity',
  'credits',
] as const;

export const toCourseSummary = (item: Record<string, unknown>): CourseSummary =>
  Object.fromEntries(SUMMARY_FIELDS.map((f) => [f, item[f]])) as CourseSummary;

interface ListQuery {
  limit: number;
  cursor?: string;
}

/** The catalog's access patterns, each a key or GSI lookup. */
@Injectable()
export class CoursesRepository implements CourseListReader, CourseBatchReader {
  constructor(
    @Inject(DYNAMODB_DOC_CLIENT) private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly cursors: CursorCodec,
    private readonly meter: CapacityMeter,
  ) {}

  async create(input: NewCourse): Promise<Course> {
    const now = new Date().toISOString();
    const course: Course = {
      ...input,
      enrolled_count: 0,
      waitlist_count: 0,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    try {
      const res = await this.doc.send(
        new PutCommand({
          TableName: this.tables.courses,
          Item: { ...course, ...courseIndexKeys(course) },
          ConditionExpression: 'attribute_not_exists(course_id)',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.meter.write('PutItem', res.ConsumedCapacity);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new CourseExists(input.course_id);
      }
      throw err;
    }
    return course;
  }

  /**
   * Strongly consistent: this read fills the detail's and the roster's cache entries (the seat
   * count), which must never be built from a replica that has not seen the last enroll. A miss
   * costs one read unit instead of a half; a hit costs nothing.
   */
  async get(courseId: string): Promise<Course | null> {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.tables.courses,
        Key: { course_id: courseId },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.meter.read('GetItem', res.ConsumedCapacity);
    return res.Item ? stripIndexKeys(res.Item) : null;
  }

  /**
   * Who teaches the course (undefined when it does not exist), for authorization decisions: a
   * strongly consistent read, so a reassignment is seen at once, of the one attribute needed.
   */
  async instructorOf(courseId: string): Promise<string | undefined> {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.tables.courses,
        Key: { course_id: courseId },
        ProjectionExpression: 'instructor_id',
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.meter.read('GetItem', res.ConsumedCapacity);
    return res.Item ? (res.Item.instructor_id as string) : undefined;
  }

  /** BatchGet in the order of `ids`; unknown ids are skipped, repeats read once. */
  async getMany(ids: string[]): Promise<Course[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const items = await batchGetAll<Record<string, unknown>>(
      this.doc,
      this.tables.courses,
      unique.map((course_id) => ({ course_id })),
      { meter: this.meter },
    );
    const byId = new Map(items.map((i) => [i.course_id as string, stripIndexKeys(i)]));
    return unique.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * The volatile seat attributes of each id, from one strongly consistent BatchGet (≤100 keys a call)
   * that projects only them: they fill the seat cache that class search merges into the long-lived
   * list pages (DESIGN §8), so they must not come from a replica behind the last enroll. Unknown
   * ids are absent from the map.
   */
  async seatCounts(ids: readonly string[]): Promise<Map<string, SeatCounts>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const items = await batchGetAll<Record<string, unknown>>(
      this.doc,
      this.tables.courses,
      unique.map((course_id) => ({ course_id })),
      {
        consistentRead: true,
        projection: '#id, #cap, #enr, #wcap, #wcnt, #wopen',
        names: {
          '#id': 'course_id',
          '#cap': 'capacity',
          '#enr': 'enrolled_count',
          '#wcap': 'waitlist_capacity',
          '#wcnt': 'waitlist_count',
          '#wopen': 'waitlist_open',
        },
        meter: this.meter,
      },
    );
    return new Map(
      items.map((i) => [
        i.course_id as string,
        {
          capacity: i.capacity as number,
          enrolled_count: (i.enrolled_count as number | undefined) ?? 0,
          waitlist_capacity:
            (i.waitlist_capacity as number | undefined) ?? SECTION_DEFAULTS.waitlist_capacity,
          waitlist_count:
            (i.waitlist_count as number | undefined) ?? SECTION_DEFAULTS.waitlist_count,
          ...(i.waitlist_open === true ? { waitlist_open: true } : {}),
        },
      ]),
    );
  }

  listBySemester(
    q: ListQuery & { semesterId: string; departmentId?: string },
  ): Promise<Page<CourseSummary>> {
    const dept = q.departmentId ? `${q.departmentId}#` : undefined;
    return this.list(['courses-by-semester', q.semesterId, q.departmentId ?? null], q, {
      IndexName: GSI.coursesBySemester,
      KeyConditionExpression: dept
        ? 'semester_id = :p AND begins_with(dept_code, :s)'
        : 'semester_id = :p',
      ExpressionAttributeValues: { ':p': q.semesterId, ...(dept ? { ':s': dept } : {}) },
    });
  }

  listByInstructor(
    q: ListQuery & { instructorId: string; semesterId?: string },
  ): Promise<Page<CourseSummary>> {
    const sem = q.semesterId ? `${q.semesterId}#` : undefined;
    return this.list(['courses-by-instructor', q.instructorId, q.semesterId ?? null], q, {
      IndexName: GSI.coursesByInstructor,
      KeyConditionExpression: sem
        ? 'instructor_id = :p AND begins_with(semester_code, :s)'
        : 'instructor_id = :p',
      ExpressionAttributeValues: { ':p': q.instructorId, ...(sem ? { ':s': sem } : {}) },
    });
  }

  /**
   * Admins edit anything editable; with `onlyIfInstructor` the write also requires that instructor
   * (InstructorChanged otherwise: who may edit is the caller's decision). Capacity may never drop
   * below the seats already taken.
   */
  async update(
    courseId: string,
    patch: CoursePatch,
    opts: { onlyIfInstructor?: string } = {},
  ): Promise<Course> {
    const { assignments, names, values } = setFields(
      Object.fromEntries(PATCHABLE_FIELDS.map((f) => [f, patch[f]])),
      {
        assignments: ['#updated_at = :now', '#version = #version + :one'],
        names: { '#updated_at': 'updated_at', '#version': 'version' },
        values: { ':now': new Date().toISOString(), ':one': 1 },
      },
    );
    const conditions = ['attribute_exists(course_id)'];
    if (patch.capacity !== undefined) conditions.push('enrolled_count <= :capacity');
    if (patch.waitlist_capacity !== undefined)
      conditions.push(
        '(attribute_not_exists(waitlist_count) OR waitlist_count <= :waitlist_capacity)',
      );
    if (opts.onlyIfInstructor !== undefined) {
      conditions.push('instructor_id = :caller');
      values[':caller'] = opts.onlyIfInstructor;
    }
    const update = {
      TableName: this.tables.courses,
      Key: { course_id: courseId },
      UpdateExpression: `SET ${assignments.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    if (patch.capacity !== undefined) {
      const raised = await this.raiseCapacity(courseId, patch, opts, update);
      if (raised) return raised;
    }
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          ...update,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.meter.write('UpdateItem', res.ConsumedCapacity);
      return stripIndexKeys(res.Attributes!);
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      // The failed condition's item arrives in the low-level attribute-value format.
      throw this.updateRefused(courseId, patch, opts, err.Item ? unmarshall(err.Item) : undefined);
    }
  }

  /**
   * A capacity raise frees seats (DESIGN §9): the update, and a `course.capacity_raised` event for
   * the waitlist's promotion walk, in one transaction (the open marker goes: the walk decides
   * again). Undefined when the patch does not raise the capacity (a plain update then).
   */
  private async raiseCapacity(
    courseId: string,
    patch: CoursePatch,
    opts: { onlyIfInstructor?: string },
    update: CourseUpdate,
  ): Promise<Course | undefined> {
    const current = await this.get(courseId);
    if (!current || patch.capacity! <= current.capacity) return undefined;
    const event = newOutboxEvent({
      type: 'course.capacity_raised',
      user_id: 'system',
      course_id: courseId,
      semester_id: current.semester_id,
    });
    await transactWrite(
      this.doc,
      {
        TransactItems: [
          {
            Update: {
              ...update,
              UpdateExpression: `${update.UpdateExpression} REMOVE waitlist_open`,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          outboxPut(this.tables, event),
        ],
      },
      ([row]) => {
        const item = row?.Item;
        const plain = item && typeof item.course_id === 'object' ? unmarshall(item as never) : item;
        return this.updateRefused(courseId, patch, opts, plain);
      },
    );
    return (await this.get(courseId)) ?? undefined;
  }

  /** Names a refused update from the item its condition saw (none: the course does not exist). */
  private updateRefused(
    courseId: string,
    patch: CoursePatch,
    opts: { onlyIfInstructor?: string },
    item: Record<string, unknown> | undefined,
  ): Error {
    const old = item as Course | undefined;
    if (!old) return new CourseNotFound(courseId);
    if (opts.onlyIfInstructor !== undefined && old.instructor_id !== opts.onlyIfInstructor) {
      return new InstructorChanged(courseId);
    }
    if (patch.capacity !== undefined && old.enrolled_count > patch.capacity)
      return new CapacityBelowEnrolled(patch.capacity, old.enrolled_count);
    return new WaitlistBelowWaiting(patch.waitlist_capacity!, old.waitlist_count);
  }

  async delete(courseId: string): Promise<void> {
    try {
      const res = await this.doc.send(
        new DeleteCommand({
          TableName: this.tables.courses,
          Key: { course_id: courseId },
          ConditionExpression: 'attribute_exists(course_id) AND enrolled_count = :zero',
          ExpressionAttributeValues: { ':zero': 0 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.meter.write('DeleteItem', res.ConsumedCapacity);
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      if (!err.Item) throw new CourseNotFound(courseId);
      throw new CourseHasEnrollments(courseId);
    }
  }

  private async list(
    scope: CursorScope,
    q: ListQuery,
    query: Pick<
      QueryCommandInput,
      'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeValues'
    >,
  ): Promise<Page<CourseSummary>> {
    const { output, next_cursor } = await queryPage(this.doc, this.cursors, {
      scope,
      limit: q.limit,
      cursor: q.cursor,
      input: { TableName: this.tables.courses, ...query, ReturnConsumedCapacity: 'TOTAL' },
    });
    this.meter.read('Query', output.ConsumedCapacity);
    return { items: (output.Items ?? []).map(toCourseSummary), next_cursor };
  }
}

/** A stored item as the API shows it: no index keys, and the section fields' defaults filled in. */
function stripIndexKeys(item: Record<string, unknown>): Course {
  // waitlist_joins guards the waitlist's open marker (WaitlistRepository.markOpen): not an API field.
  const { dept_code: _d, semester_code: _s, waitlist_joins: _j, ...course } = item;
  return { ...SECTION_DEFAULTS, ...course } as unknown as Course;
}
