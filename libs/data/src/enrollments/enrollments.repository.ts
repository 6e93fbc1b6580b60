import { Inject, Injectable } from '@nestjs/common';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DependencyUnavailable, DomainError, dynamodbConfig } from '@app/common';
import type { DynamodbConfig } from '@app/common';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { CursorCodec } from '../kit/cursor';
import { queryAll } from '../kit/query-all';
import { queryPage } from '../kit/query-page';
import { conditionFailed, TransactRetryOptions, transactWrite } from '../kit/transaction';
import { WriteAdmission } from '../kit/write-admission';
import { Page } from '../kit/page';
import { CourseNotFound } from '../courses/course.errors';
import {
  AlreadyEnrolled,
  AlreadyWithdrawn,
  CourseFull,
  IdempotencyInProgress,
  IdempotencyKeyReused,
  NotEnrolled,
  ScheduleChanged,
} from './enrollment.errors';
import { historyPut, newHistoryEntry } from '../history/history-entry';
import { newOutboxEvent, OutboxEvent, outboxPut } from '../outbox';
import { GSI, TableNames } from '../tables';
import {
  getStoredResponse,
  IDEMPOTENCY_TTL_SECONDS,
  idempotencyKey,
  StoredResponse,
} from '../idempotency/idempotency';
import { Enrollment, enrollmentFields } from './enrollment.types';
import {
  deleteEnrollment,
  freeSeat,
  putEnrollment,
  statusOfOld,
  takeSeat,
  waitlistDetailsOfOld,
  withdrawEnrollment,
} from './enrollment-transact-items';
import { bumpSchedule, guardSchedule } from '../schedules/schedule-items';
import { removeWaitlistedElsewhere } from '../waitlist/waitlist-transact-items';

export interface EnrollInput {
  userId: string;
  courseId: string;
  /** Who asks (the caller's sub): the history entry's actor. */
  actor: string;
  /** The token's email claim, carried in the outbox event as the fallback recipient. */
  email?: string;
  /** The client's Idempotency-Key header, if sent. */
  idempotencyKey?: string;
  /** The course's semester, when the caller has read the course already (saves a read). */
  semesterId?: string;
  /** The student holds a CAPACITY permit for the course: the seat may go past capacity. */
  overCapacity?: boolean;
  /** The student's waitlist rows for other sections of the course: removed in the same transaction. */
  waitlistedElsewhere?: readonly string[];
  /** The course's credits, added to the student's schedule item of the term. */
  credits?: number;
  /**
   * The schedule item's version the rules were checked on (undefined: none) and the term's credits
   * with this course: the write requires that version (guardSchedule), else ScheduleChanged. Without
   * it the version is bumped unconditionally (bumpSchedule).
   */
  schedule?: { readVersion: number | undefined; credits: number };
}

export type EnrollResult =
  | { replayed: false; status: 201; enrollment: Enrollment; event: OutboxEvent }
  | { replayed: true; status: number; body: unknown };

const enrollmentId = (userId: string, courseId: string) => `${userId}#${courseId}`;

/** The history entry a change of `row` writes in its transaction (DESIGN §8 History). */
const historyOf = (
  row: Enrollment,
  type: 'enrolled' | 'dropped' | 'withdrawn',
  actor: string,
  at?: string,
) =>
  newHistoryEntry({
    type,
    actor,
    at,
    user_id: row.user_id,
    course_id: row.course_id,
    semester_id: row.semester_id,
  });

/**
 * Enrollment writes are single transactions over the course's seat counter, the enrollment row,
 * the outbox event (and the idempotency record), so a seat, a row and an email are never out of step.
 * Each also bumps the student's schedule item of the term, so a concurrent cart submit that read the
 * schedule before it re-validates (DESIGN §8).
 */
@Injectable()
export class EnrollmentsRepository {
  private readonly retry: TransactRetryOptions;

  constructor(
    @Inject(DYNAMODB_DOC_CLIENT) private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly cursors: CursorCodec,
    @Inject(dynamodbConfig.KEY) config: Pick<DynamodbConfig, 'retryBudgetMs'>,
    private readonly admission: WriteAdmission,
  ) {
    this.retry = { budgetMs: config.retryBudgetMs };
  }

  /** Runs under the instance's write admission (503 OVERLOADED before anything is sent). */
  enroll(input: EnrollInput): Promise<EnrollResult> {
    return this.admission.run(() => this.enrollNow(input));
  }

  /**
   * Drops the row the caller has read (a consistent get): the row is deleted only if it still holds
   * a seat, so a race with another drop or a withdrawal is decided by the transaction, not the read.
   */
  drop(input: {
    row: Enrollment;
    email?: string;
    credits?: number;
    actor: string;
  }): Promise<OutboxEvent> {
    return this.admission.run(() => this.dropNow(input));
  }

  /** One row, strongly consistent, with its API fields; undefined when the student holds none. */
  async get(userId: string, courseId: string): Promise<Enrollment | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tables.enrollments,
        Key: { user_id: userId, course_id: courseId },
        ConsistentRead: true,
      }),
    );
    return out.Item ? enrollmentFields(out.Item) : undefined;
  }

  /**
   * A withdrawal (after the drop deadline): in one transaction the row becomes a W (conditioned on
   * its holding a seat), the seat is freed and an `enrollment.withdrawn` event is written. Returns
   * the row as it now is, and the event.
   */
  withdraw(input: {
    row: Enrollment;
    email?: string;
    at: Date;
    credits?: number;
    actor: string;
  }): Promise<{ enrollment: Enrollment; event: OutboxEvent }> {
    return this.admission.run(() => this.withdrawNow(input));
  }

  private async withdrawNow({
    row,
    email,
    at,
    credits,
    actor,
  }: {
    row: Enrollment;
    email?: string;
    at: Date;
    credits?: number;
    actor: string;
  }): Promise<{ enrollment: Enrollment; event: OutboxEvent }> {
    const key = { user_id: row.user_id, course_id: row.course_id };
    const withdrawnAt = at.toISOString();
    const event = newOutboxEvent({
      type: 'enrollment.withdrawn',
      user_id: row.user_id,
      course_id: row.course_id,
      semester_id: row.semester_id,
      email,
    });
    await transactWrite(
      this.doc,
      {
        TransactItems: [
          withdrawEnrollment(this.tables, key, withdrawnAt),
          freeSeat(this.tables, row.course_id),
          outboxPut(this.tables, event),
          bumpSchedule(this.tables, row.user_id, row.semester_id, -(credits ?? 0)),
          historyPut(this.tables, historyOf(row, 'withdrawn', actor, withdrawnAt)),
        ],
      },
      ([failed]) => this.rowError(failed, row.course_id, 'withdrawal'),
      this.retry,
    );
    return { enrollment: { ...row, status: 'withdrawn', withdrawn_at: withdrawnAt }, event };
  }

  /** Names a failed row condition of a drop or withdrawal from the row it returned. */
  private rowError(
    row: { Code?: string; Item?: Record<string, unknown> } | undefined,
    courseId: string,
    what: string,
  ): Error {
    if (!conditionFailed(row))
      return new Error(`${what} transaction cancelled: seat counter out of step`);
    return statusOfOld(row?.Item) === 'withdrawn'
      ? new AlreadyWithdrawn(courseId)
      : new NotEnrolled(courseId);
  }

  private async enrollNow(input: EnrollInput): Promise<EnrollResult> {
    const idemKey = input.idempotencyKey
      ? idempotencyKey(input.userId, input.idempotencyKey)
      : undefined;
    if (idemKey) {
      const stored = await getStoredResponse(this.doc, this.tables.idempotency, idemKey);
      if (stored) return this.replay(stored, input.courseId);
    }

    // The semester is stored on the enrollment; the transaction below re-checks the course.
    const semesterId = input.semesterId ?? (await this.semesterOf(input.courseId));

    const enrolledAt = new Date().toISOString();
    const enrollment: Enrollment = {
      enrollment_id: enrollmentId(input.userId, input.courseId),
      user_id: input.userId,
      course_id: input.courseId,
      semester_id: semesterId,
      enrolled_at: enrolledAt,
      status: 'enrolled',
    };
    const event = newOutboxEvent({
      type: 'enrollment.created',
      user_id: input.userId,
      course_id: input.courseId,
      semester_id: enrollment.semester_id,
      email: input.email,
    });
    const now = Math.floor(Date.now() / 1000);

    try {
      await transactWrite(
        this.doc,
        {
          TransactItems: [
            takeSeat(this.tables, input.courseId, input.overCapacity),
            putEnrollment(this.tables, enrollment),
            outboxPut(this.tables, event),
            ...(idemKey
              ? [
                  {
                    Put: {
                      TableName: this.tables.idempotency,
                      Item: {
                        key: idemKey,
                        fingerprint: input.courseId,
                        status: 201,
                        body: enrollment,
                        created_at: enrolledAt,
                        expires_at: now + IDEMPOTENCY_TTL_SECONDS,
                      } satisfies StoredResponse,
                      ConditionExpression: 'attribute_not_exists(#k) OR expires_at < :now',
                      ExpressionAttributeNames: { '#k': 'key' },
                      ExpressionAttributeValues: { ':now': now },
                    },
                  },
                ]
              : []),
            // After those, so the reasons' positions above stay as they are. The guard fails when
            // another write of the schedule committed since the snapshot (re-validate); the bump
            // and the history entry (a new id) cannot fail.
            input.schedule
              ? guardSchedule(
                  this.tables,
                  input.userId,
                  semesterId,
                  input.schedule.readVersion,
                  input.schedule.credits,
                )
              : bumpSchedule(this.tables, input.userId, semesterId, input.credits ?? 0),
            historyPut(this.tables, historyOf(enrollment, 'enrolled', input.actor, enrolledAt)),
            ...removeWaitlistedElsewhere(
              this.tables,
              input.userId,
              semesterId,
              input.waitlistedElsewhere ?? [],
              input.actor,
            ),
          ],
        },
        (reasons) => {
          const [seat, row] = reasons;
          const idem = idemKey ? reasons[3] : undefined;
          // A stale snapshot first: any other failure may be its consequence (as a cart's).
          if (input.schedule && conditionFailed(reasons[idemKey ? 4 : 3]))
            return new ScheduleChanged();
          // A W stays on the record: the section cannot be added again (Banner).
          if (conditionFailed(row) && statusOfOld(row.Item) === 'withdrawn') {
            return new AlreadyWithdrawn(input.courseId);
          }
          if (conditionFailed(seat)) {
            return seat.Item
              ? new CourseFull(input.courseId, waitlistDetailsOfOld(seat.Item))
              : new CourseNotFound(input.courseId);
          }
          if (conditionFailed(row)) {
            return new AlreadyEnrolled(input.courseId);
          }
          if (conditionFailed(idem)) return new IdempotencyInProgress();
          // A waitlist row of another section changed under the add (left, or promoted): retry.
          if (reasons.some(conditionFailed))
            return new DependencyUnavailable('a waitlist row changed during the enrollment');
          return new Error('enrollment transaction cancelled for an unknown reason');
        },
        this.retry,
      );
    } catch (err) {
      // A concurrent request with the same key may have committed first; this attempt then ran
      // into that request's row, seat or key. The client gets that request's answer, not a 409.
      if (idemKey && (err instanceof DomainError || err instanceof TransactionCanceledException)) {
        const stored = await getStoredResponse(this.doc, this.tables.idempotency, idemKey);
        if (stored) return this.replay(stored, input.courseId);
      }
      throw err;
    }
    return { replayed: false, status: 201, enrollment, event };
  }

  private async semesterOf(courseId: string): Promise<string> {
    const course = await this.doc.send(
      new GetCommand({
        TableName: this.tables.courses,
        Key: { course_id: courseId },
        ProjectionExpression: 'semester_id',
      }),
    );
    if (!course.Item) throw new CourseNotFound(courseId);
    return course.Item.semester_id as string;
  }

  private async dropNow({
    row,
    email,
    credits,
    actor,
  }: {
    row: Enrollment;
    email?: string;
    credits?: number;
    actor: string;
  }): Promise<OutboxEvent> {
    const key = { user_id: row.user_id, course_id: row.course_id };
    const event = newOutboxEvent({
      type: 'enrollment.dropped',
      user_id: row.user_id,
      course_id: row.course_id,
      semester_id: row.semester_id,
      email,
    });
    await transactWrite(
      this.doc,
      {
        TransactItems: [
          deleteEnrollment(this.tables, key),
          freeSeat(this.tables, row.course_id),
          outboxPut(this.tables, event),
          bumpSchedule(this.tables, row.user_id, row.semester_id, -(credits ?? 0)),
          historyPut(this.tables, historyOf(row, 'dropped', actor)),
        ],
      },
      ([failed]) => this.rowError(failed, row.course_id, 'drop'),
      this.retry,
    );
    return event;
  }

  /**
   * A student's enrollments in course order, optionally of one semester: a strongly consistent
   * Query of the base table, so an enroll or drop that just committed is always in the answer (a GSI
   * could still lag behind it). A student holds a few dozen rows at most, so the semester is a
   * filter; a page may then hold fewer than `limit` items and still have a next cursor.
   */
  async listByUser(
    userId: string,
    opts: { semesterId?: string; limit: number; cursor?: string },
  ): Promise<Page<Enrollment>> {
    const { output, next_cursor } = await queryPage(this.doc, this.cursors, {
      scope: ['enrollments-of-student', userId, opts.semesterId ?? null],
      limit: opts.limit,
      cursor: opts.cursor,
      input: {
        TableName: this.tables.enrollments,
        ConsistentRead: true,
        KeyConditionExpression: 'user_id = :u',
        ...(opts.semesterId ? { FilterExpression: 'semester_id = :s' } : {}),
        ExpressionAttributeValues: {
          ':u': userId,
          ...(opts.semesterId ? { ':s': opts.semesterId } : {}),
        },
      },
    });
    return { items: (output.Items ?? []).map(enrollmentFields), next_cursor };
  }

  /** Every row of a student, every term: the schedule the registration rules read (consistent). */
  async listAllByUser(userId: string): Promise<Enrollment[]> {
    const rows = await queryAll<Record<string, unknown>>(this.doc, {
      TableName: this.tables.enrollments,
      KeyConditionExpression: 'user_id = :u',
      ExpressionAttributeValues: { ':u': userId },
      ConsistentRead: true,
    });
    return rows.map(enrollmentFields);
  }

  /** A course's roster in enrollment order. */
  async listByCourse(
    courseId: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<Enrollment>> {
    const { output, next_cursor } = await queryPage(this.doc, this.cursors, {
      scope: ['enrollments-by-course', courseId],
      limit: opts.limit,
      cursor: opts.cursor,
      input: {
        TableName: this.tables.enrollments,
        IndexName: GSI.enrollmentsByCourse,
        KeyConditionExpression: 'course_id = :c',
        ExpressionAttributeValues: { ':c': courseId },
      },
    });
    return { items: (output.Items ?? []).map(enrollmentFields), next_cursor };
  }

  private replay(stored: StoredResponse, courseId: string): EnrollResult {
    if (stored.fingerprint !== courseId) {
      throw new IdempotencyKeyReused();
    }
    return { replayed: true, status: stored.status, body: stored.body };
  }
}
