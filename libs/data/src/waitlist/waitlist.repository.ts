import { Inject, Injectable } from '@nestjs/common';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DependencyUnavailable, DomainError, dynamodbConfig } from '@app/common';
import type { DynamodbConfig } from '@app/common';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { CourseNotFound } from '../courses/course.errors';
import { CursorCodec } from '../kit/cursor';
import { Page } from '../kit/page';
import { queryAll } from '../kit/query-all';
import { queryPage } from '../kit/query-page';
import { conditionFailed, TransactRetryOptions, transactWrite } from '../kit/transaction';
import { WriteAdmission } from '../kit/write-admission';
import {
  AlreadyEnrolled,
  AlreadyWithdrawn,
  CourseFull,
  IdempotencyKeyReused,
  NotEnrolled,
} from '../enrollments/enrollment.errors';
import { freeSeat, numberOfOld, statusOfOld } from '../enrollments/enrollment-transact-items';
import { Enrollment, enrollmentFields } from '../enrollments/enrollment.types';
import {
  getStoredResponse,
  IDEMPOTENCY_TTL_SECONDS,
  idempotencyKey,
  StoredResponse,
} from '../idempotency/idempotency';
import { newOutboxEvent, OutboxEvent, outboxPut } from '../outbox';
import { bumpSchedule } from '../schedules/schedule-items';
import { historyPut, newHistoryEntry, SYSTEM_ACTOR } from '../history/history-entry';
import { GSI, TableNames } from '../tables';
import { AlreadyWaitlisted, WaitlistFull } from './waitlist.errors';
import {
  acceptOffer,
  deleteOffer,
  deleteWaitlisted,
  offerRow,
  promoteRow,
  promoteSeat,
  releaseWaitlistPlace,
  removeWaitlistedElsewhere,
  waitlistJoinItems,
} from './waitlist-transact-items';

/** A waitlisted row as the API shows it: its fields and its place in the list. */
export type WaitlistedEnrollment = Enrollment & { position: number };

/** One waiter of a section, as the promotion walk reads the list. */
export interface Waiter {
  user_id: string;
  course_id: string;
  semester_id: string;
  waitlist_key: string;
  /** The token's email claim at join, the promotion email's fallback recipient. */
  email?: string;
}

export type JoinResult =
  | { replayed: false; enrollment: WaitlistedEnrollment; event: OutboxEvent }
  | { replayed: true; status: number; body: unknown };

export type PromoteResult = 'promoted' | 'no-seat' | 'not-waiting';

/**
 * The waitlists (DESIGN §9): waitlisted rows live in StudentEnrollments (status `waitlisted`, no
 * `enrolled_at`, so the roster never lists them) and carry `waitlist_key`, which puts them in the
 * sparse WaitlistByCourse index in FIFO order. The section's waitlist_count is the counter joins
 * condition on, kept in the same transactions as the rows.
 */
@Injectable()
export class WaitlistRepository {
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

  /**
   * Joins the section's waitlist in one transaction: the place (waitlist_count < waitlist_capacity),
   * the row (only if the student holds none for the section), the `waitlist.joined` event (its
   * email, and the promotion worker's cue: a seat may be free) and the Idempotency-Key's record.
   */
  join(input: {
    userId: string;
    courseId: string;
    semesterId: string;
    email?: string;
    idempotencyKey?: string;
  }): Promise<JoinResult> {
    return this.admission.run(() => this.joinNow(input));
  }

  private async joinNow(input: {
    userId: string;
    courseId: string;
    semesterId: string;
    email?: string;
    idempotencyKey?: string;
  }): Promise<JoinResult> {
    const idemKey = input.idempotencyKey
      ? idempotencyKey(input.userId, input.idempotencyKey)
      : undefined;
    if (idemKey) {
      const stored = await getStoredResponse(this.doc, this.tables.idempotency, idemKey);
      if (stored) return this.replay(stored, input.courseId);
    }
    const join = waitlistJoinItems(this.tables, {
      userId: input.userId,
      courseId: input.courseId,
      semesterId: input.semesterId,
      email: input.email,
      actor: input.userId,
      joinedAt: new Date(),
    });
    const { row, key } = join;
    const event = newOutboxEvent({
      type: 'waitlist.joined',
      user_id: input.userId,
      course_id: input.courseId,
      semester_id: input.semesterId,
      email: input.email,
    });
    const now = Math.floor(Date.now() / 1000);
    try {
      await transactWrite(
        this.doc,
        {
          TransactItems: [
            join.place,
            join.put,
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
                        body: row,
                        created_at: row.waitlisted_at!,
                        expires_at: now + IDEMPOTENCY_TTL_SECONDS,
                      } satisfies StoredResponse,
                      ConditionExpression: 'attribute_not_exists(#k) OR expires_at < :now',
                      ExpressionAttributeNames: { '#k': 'key' },
                      ExpressionAttributeValues: { ':now': now },
                    },
                  },
                ]
              : []),
            // A waitlisted row holds no credits, but the schedule's rows changed: bump its version.
            bumpSchedule(this.tables, input.userId, input.semesterId),
            join.history,
          ],
        },
        ([place, existing]) => {
          if (conditionFailed(existing)) {
            const status = statusOfOld(existing.Item);
            if (status === 'withdrawn') return new AlreadyWithdrawn(input.courseId);
            if (status === 'waitlisted') return new AlreadyWaitlisted(input.courseId);
            return new AlreadyEnrolled(input.courseId);
          }
          if (conditionFailed(place)) {
            if (!place.Item) return new CourseNotFound(input.courseId);
            const capacity = numberOfOld(place.Item, 'waitlist_capacity');
            if (capacity <= 0)
              return new CourseFull(input.courseId, {
                waitlist_available: false,
                waitlist_count: 0,
              });
            return new WaitlistFull(input.courseId, capacity);
          }
          return new Error('waitlist join cancelled for an unknown reason');
        },
        this.retry,
      );
    } catch (err) {
      if (idemKey && err instanceof DomainError) {
        const stored = await getStoredResponse(this.doc, this.tables.idempotency, idemKey);
        if (stored) return this.replay(stored, input.courseId);
      }
      throw err;
    }
    const position = await this.positionOfKey(input.courseId, key);
    return { replayed: false, enrollment: { ...row, position }, event: { ...event, position } };
  }

  /**
   * Leaves the waitlist: the row (only while waitlisted) and its place go, and a silent
   * `waitlist.left` event lets the promotion worker move the list on. No email (DESIGN §9).
   */
  leave(input: { userId: string; courseId: string; semesterId: string }): Promise<OutboxEvent> {
    return this.admission.run(async () => {
      const event = newOutboxEvent({
        type: 'waitlist.left',
        user_id: input.userId,
        course_id: input.courseId,
        semester_id: input.semesterId,
      });
      await transactWrite(
        this.doc,
        {
          TransactItems: [
            deleteWaitlisted(this.tables, { user_id: input.userId, course_id: input.courseId }),
            releaseWaitlistPlace(this.tables, input.courseId),
            outboxPut(this.tables, event),
            bumpSchedule(this.tables, input.userId, input.semesterId),
            historyPut(
              this.tables,
              newHistoryEntry({
                type: 'waitlist_left',
                actor: input.userId,
                user_id: input.userId,
                course_id: input.courseId,
                semester_id: input.semesterId,
              }),
            ),
          ],
        },
        ([row]) =>
          conditionFailed(row)
            ? new NotEnrolled(input.courseId)
            : new Error('waitlist leave cancelled: the waitlist counter is out of step'),
        this.retry,
      );
      return event;
    });
  }

  /**
   * Promotes one waiter (DESIGN §9, auto mode) in one transaction: a free seat (enrolled +1,
   * waitlist −1), the row to `enrolled` (only while still waitlisted), the `waitlist.promoted`
   * event (its email) and the student's removal from the other sections' lists they wait on.
   */
  async promote(input: {
    userId: string;
    courseId: string;
    semesterId: string;
    email?: string;
    /** The section's credits, which the student's schedule item of the term gains. */
    credits: number;
    waitlistedElsewhere: readonly string[];
    /** Offer mode (Banner): the seat is held until then instead of enrolling. */
    offerExpiresAt?: string;
  }): Promise<{ result: PromoteResult; event?: OutboxEvent }> {
    if (input.offerExpiresAt) return this.offer({ ...input, offerExpiresAt: input.offerExpiresAt });
    const event = newOutboxEvent({
      type: 'waitlist.promoted',
      user_id: input.userId,
      course_id: input.courseId,
      semester_id: input.semesterId,
      email: input.email,
    });
    const key = { user_id: input.userId, course_id: input.courseId };
    let result: PromoteResult = 'promoted';
    try {
      await transactWrite(
        this.doc,
        {
          TransactItems: [
            promoteSeat(this.tables, input.courseId),
            promoteRow(this.tables, key, new Date().toISOString()),
            outboxPut(this.tables, event),
            // The schedule changed: a cart submit that read the old version re-validates.
            bumpSchedule(this.tables, input.userId, input.semesterId, input.credits),
            historyPut(
              this.tables,
              newHistoryEntry({
                type: 'promoted',
                actor: SYSTEM_ACTOR,
                user_id: input.userId,
                course_id: input.courseId,
                semester_id: input.semesterId,
              }),
            ),
            ...removeWaitlistedElsewhere(
              this.tables,
              input.userId,
              input.semesterId,
              input.waitlistedElsewhere,
              SYSTEM_ACTOR,
            ),
          ],
        },
        ([seat, row]) => {
          if (conditionFailed(row)) result = 'not-waiting';
          else if (conditionFailed(seat)) result = 'no-seat';
          // Another of the student's rows changed under the walk: read again and retry.
          return new PromotionRaced();
        },
        this.retry,
      );
    } catch (err) {
      if (err instanceof PromotionRaced) {
        if (result === 'promoted')
          throw new DependencyUnavailable('a waitlist row changed during promotion');
        return { result };
      }
      throw err;
    }
    return { result, event };
  }

  /**
   * An offer (offer mode): the seat held (enrolled +1, waitlist −1), the row `offered` until
   * `offerExpiresAt`, the `waitlist.offered` event (its email, and the expiry job) and history.
   */
  private async offer(input: {
    userId: string;
    courseId: string;
    semesterId: string;
    email?: string;
    offerExpiresAt: string;
  }): Promise<{ result: PromoteResult; event?: OutboxEvent }> {
    const event = newOutboxEvent({
      type: 'waitlist.offered',
      user_id: input.userId,
      course_id: input.courseId,
      semester_id: input.semesterId,
      email: input.email,
      offer_expires_at: input.offerExpiresAt,
    });
    const key = { user_id: input.userId, course_id: input.courseId };
    let result: PromoteResult = 'promoted';
    try {
      await transactWrite(
        this.doc,
        {
          TransactItems: [
            promoteSeat(this.tables, input.courseId),
            offerRow(this.tables, key, input.offerExpiresAt),
            outboxPut(this.tables, event),
            historyPut(
              this.tables,
              newHistoryEntry({
                type: 'offered',
                actor: SYSTEM_ACTOR,
                user_id: input.userId,
                course_id: input.courseId,
                semester_id: input.semesterId,
              }),
            ),
          ],
        },
        ([seat, row]) => {
          result = conditionFailed(row)
            ? 'not-waiting'
            : conditionFailed(seat)
              ? 'no-seat'
              : result;
          return new PromotionRaced();
        },
        this.retry,
      );
    } catch (err) {
      if (err instanceof PromotionRaced && result !== 'promoted') return { result };
      throw err;
    }
    return { result, event };
  }

  /**
   * Accepts an offer: the row to `enrolled` (only while offered and unexpired at `at`), the
   * schedule's credits, the confirmation email, history, and the student's other waitlist rows of
   * the course removed. False when the offer is no longer there (lapsed, declined).
   */
  async acceptOffer(input: {
    row: Enrollment;
    credits: number;
    email?: string;
    at: Date;
    waitlistedElsewhere: readonly string[];
  }): Promise<{ enrollment: Enrollment; event: OutboxEvent } | undefined> {
    const { row } = input;
    const at = input.at.toISOString();
    const event = newOutboxEvent({
      type: 'enrollment.created',
      user_id: row.user_id,
      course_id: row.course_id,
      semester_id: row.semester_id,
      email: input.email,
    });
    try {
      await transactWrite(
        this.doc,
        {
          TransactItems: [
            acceptOffer(this.tables, { user_id: row.user_id, course_id: row.course_id }, at),
            outboxPut(this.tables, event),
            bumpSchedule(this.tables, row.user_id, row.semester_id, input.credits),
            historyPut(
              this.tables,
              newHistoryEntry({
                type: 'promoted',
                actor: row.user_id,
                reason: 'offer_accepted',
                user_id: row.user_id,
                course_id: row.course_id,
                semester_id: row.semester_id,
              }),
            ),
            ...removeWaitlistedElsewhere(
              this.tables,
              row.user_id,
              row.semester_id,
              input.waitlistedElsewhere,
              row.user_id,
            ),
          ],
        },
        () => new PromotionRaced(),
        this.retry,
      );
    } catch (err) {
      if (err instanceof PromotionRaced) return undefined;
      throw err;
    }
    const { offer_expires_at: _, ...rest } = row;
    return { enrollment: { ...rest, status: 'enrolled', enrolled_at: at }, event };
  }

  /**
   * Ends an offer: declined by the student (204), or lapsed (`lapsedAt`: only if expired by then,
   * so an offer accepted in time is never taken back). The row goes, the held seat is freed, and
   * the event lets the list move on (`waitlist.offer_expired` also emails the student). False when
   * the row is no longer an (expired) offer.
   */
  async endOffer(input: {
    userId: string;
    courseId: string;
    semesterId: string;
    actor: string;
    lapsedAt?: Date;
    email?: string;
  }): Promise<OutboxEvent | undefined> {
    const lapsed = input.lapsedAt?.toISOString();
    const event = newOutboxEvent({
      type: lapsed ? 'waitlist.offer_expired' : 'waitlist.declined',
      user_id: input.userId,
      course_id: input.courseId,
      semester_id: input.semesterId,
      email: input.email,
    });
    try {
      await transactWrite(
        this.doc,
        {
          TransactItems: [
            deleteOffer(this.tables, { user_id: input.userId, course_id: input.courseId }, lapsed),
            freeSeat(this.tables, input.courseId),
            outboxPut(this.tables, event),
            bumpSchedule(this.tables, input.userId, input.semesterId),
            historyPut(
              this.tables,
              newHistoryEntry({
                type: lapsed ? 'offer_expired' : 'waitlist_left',
                actor: input.actor,
                ...(lapsed ? {} : { reason: 'offer_declined' }),
                user_id: input.userId,
                course_id: input.courseId,
                semester_id: input.semesterId,
              }),
            ),
          ],
        },
        () => new PromotionRaced(),
        this.retry,
      );
    } catch (err) {
      if (err instanceof PromotionRaced) return undefined;
      throw err;
    }
    return event;
  }

  /**
   * Opens the free seats to everyone (DESIGN §9): set after a walk found nobody waiting eligible,
   * only if nobody joined since the walk read the section (`waitlist_joins` unchanged). False when
   * someone did: walk again.
   */
  async markOpen(courseId: string, joinsSeen: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.courses,
          Key: { course_id: courseId },
          UpdateExpression: 'SET waitlist_open = :true',
          ConditionExpression:
            'attribute_exists(course_id) AND (waitlist_joins = :seen OR (attribute_not_exists(waitlist_joins) AND :seen = :zero))',
          ExpressionAttributeValues: { ':true': true, ':seen': joinsSeen, ':zero': 0 },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  /**
   * Removes one waitlist row at the term's add deadline (DESIGN §9): a waitlisted row with its
   * place, or an open offer with its held seat, only while it still is one; history
   * (`waitlist_removed`, reason `add_deadline`) and the `waitlist.deadline_removed` event (its
   * email) in the same transaction. The event is no promotion cue: adds are closed, so a seat an
   * offer held is not offered again. Undefined when the row is no longer there as such.
   */
  async removeAtDeadline(input: {
    userId: string;
    courseId: string;
    semesterId: string;
    offered: boolean;
    email?: string;
  }): Promise<OutboxEvent | undefined> {
    const key = { user_id: input.userId, course_id: input.courseId };
    const event = newOutboxEvent({
      type: 'waitlist.deadline_removed',
      user_id: input.userId,
      course_id: input.courseId,
      semester_id: input.semesterId,
      email: input.email,
    });
    try {
      await transactWrite(
        this.doc,
        {
          TransactItems: [
            input.offered ? deleteOffer(this.tables, key) : deleteWaitlisted(this.tables, key),
            input.offered
              ? freeSeat(this.tables, input.courseId)
              : releaseWaitlistPlace(this.tables, input.courseId),
            outboxPut(this.tables, event),
            bumpSchedule(this.tables, input.userId, input.semesterId),
            historyPut(
              this.tables,
              newHistoryEntry({
                type: 'waitlist_removed',
                actor: SYSTEM_ACTOR,
                reason: 'add_deadline',
                user_id: input.userId,
                course_id: input.courseId,
                semester_id: input.semesterId,
              }),
            ),
          ],
        },
        () => new PromotionRaced(),
        this.retry,
      );
    } catch (err) {
      if (err instanceof PromotionRaced) return undefined;
      throw err;
    }
    return event;
  }

  /**
   * The open offers of a section. Offered rows are in neither index (they left WaitlistByCourse),
   * so the candidates are the students the section's history says were offered a seat
   * (HistoryByCourse, bounded by the section's changes), each row then read consistently.
   */
  async offersOf(courseId: string): Promise<Waiter[]> {
    const entries = await queryAll<{ user_id: string }>(this.doc, {
      TableName: this.tables.history,
      IndexName: GSI.historyByCourse,
      KeyConditionExpression: 'change_course_id = :c',
      FilterExpression: '#type = :offered',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':c': courseId, ':offered': 'offered' },
      ProjectionExpression: 'user_id',
    });
    const users = [...new Set(entries.map((e) => e.user_id))];
    const rows = await Promise.all(
      users.map(async (userId) => {
        const out = await this.doc.send(
          new GetCommand({
            TableName: this.tables.enrollments,
            Key: { user_id: userId, course_id: courseId },
            ProjectionExpression: 'user_id, course_id, semester_id, #status, email',
            ExpressionAttributeNames: { '#status': 'status' },
            ConsistentRead: true,
          }),
        );
        return out.Item;
      }),
    );
    return rows.flatMap((r) => {
      if (r?.status !== 'offered') return [];
      const { status: _, ...waiter } = r;
      return [waiter as unknown as Waiter];
    });
  }

  /** The token email stored on a student's row at join (a system email's fallback recipient). */
  async emailOf(userId: string, courseId: string): Promise<string | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tables.enrollments,
        Key: { user_id: userId, course_id: courseId },
        ProjectionExpression: 'email',
        ConsistentRead: true,
      }),
    );
    return out.Item?.email as string | undefined;
  }

  /** The section's joins so far (the markOpen guard), read strongly consistent. */
  async joinsOf(courseId: string): Promise<number> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tables.courses,
        Key: { course_id: courseId },
        ProjectionExpression: 'waitlist_joins',
        ConsistentRead: true,
      }),
    );
    return (out.Item?.waitlist_joins as number | undefined) ?? 0;
  }

  /** Every waiter of a section, in FIFO order (the sparse GSI; at most waitlist_capacity rows). */
  async waiters(courseId: string): Promise<Waiter[]> {
    const items = await queryAll<Record<string, unknown>>(this.doc, {
      TableName: this.tables.enrollments,
      IndexName: GSI.waitlistByCourse,
      KeyConditionExpression: 'course_id = :c',
      ExpressionAttributeValues: { ':c': courseId },
      ProjectionExpression: 'user_id, course_id, semester_id, waitlist_key, email',
    });
    return items as unknown as Waiter[];
  }

  /** A page of a section's waitlist in order, each row with its position. */
  async listByCourse(
    courseId: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<WaitlistedEnrollment>> {
    const { output, next_cursor } = await queryPage(this.doc, this.cursors, {
      scope: ['waitlist-by-course', courseId],
      limit: opts.limit,
      cursor: opts.cursor,
      input: {
        TableName: this.tables.enrollments,
        IndexName: GSI.waitlistByCourse,
        KeyConditionExpression: 'course_id = :c',
        ExpressionAttributeValues: { ':c': courseId },
      },
    });
    const items = output.Items ?? [];
    const first =
      items.length > 0 && opts.cursor
        ? await this.positionOfKey(courseId, items[0].waitlist_key as string)
        : 1;
    return {
      items: items.map((item, i) => ({ ...enrollmentFields(item), position: first + i })),
      next_cursor,
    };
  }

  /**
   * The positions of a student's waitlisted rows, by course id: one consistent Query of their
   * rows for the keys, then one count per waitlisted section.
   */
  async positionsOf(userId: string): Promise<Map<string, number>> {
    const rows = await queryAll<Record<string, unknown>>(this.doc, {
      TableName: this.tables.enrollments,
      KeyConditionExpression: 'user_id = :u',
      FilterExpression: 'attribute_exists(waitlist_key)',
      ExpressionAttributeValues: { ':u': userId },
      ProjectionExpression: 'course_id, waitlist_key',
      ConsistentRead: true,
    });
    const positions = await Promise.all(
      rows.map((r) => this.positionOfKey(r.course_id as string, r.waitlist_key as string)),
    );
    return new Map(rows.map((r, i) => [r.course_id as string, positions[i]]));
  }

  /** 1 + the waitlisted rows ahead of `key` (a COUNT Query of the index, every page). */
  async positionOfKey(courseId: string, key: string): Promise<number> {
    let ahead = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.enrollments,
          IndexName: GSI.waitlistByCourse,
          KeyConditionExpression: 'course_id = :c AND waitlist_key < :k',
          ExpressionAttributeValues: { ':c': courseId, ':k': key },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      ahead += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return ahead + 1;
  }

  private replay(stored: StoredResponse, courseId: string): JoinResult {
    if (stored.fingerprint !== courseId) throw new IdempotencyKeyReused();
    return { replayed: true, status: stored.status, body: stored.body };
  }
}

class PromotionRaced extends Error {}
