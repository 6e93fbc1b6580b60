import {
  AttributeDefinition,
  GlobalSecondaryIndex,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb';

export interface TableDefinition {
  /** Logical name; the physical name is TABLE_PREFIX + this. */
  name:
    | 'Courses'
    | 'StudentEnrollments'
    | 'Users'
    | 'Outbox'
    | 'Idempotency'
    | 'Migrations'
    | 'Terms'
    | 'Permits'
    | 'Schedules'
    | 'History';
  key: KeySchemaElement[];
  attributes: AttributeDefinition[];
  indexes: GlobalSecondaryIndex[];
  ttlAttribute?: string;
}

const S = (AttributeName: string): AttributeDefinition => ({ AttributeName, AttributeType: 'S' });
const hash = (AttributeName: string): KeySchemaElement => ({ AttributeName, KeyType: 'HASH' });
const range = (AttributeName: string): KeySchemaElement => ({ AttributeName, KeyType: 'RANGE' });

// The GSIs project only stable catalog fields. enrolled_count changes on every enrollment; were it
// projected, each enrollment would also rewrite the index item (a hot spot on one semester's partition).
const CATALOG_FIELDS = [
  'course_code',
  'title',
  'semester_id',
  'department_id',
  'instructor_id',
  'credits',
  'capacity',
];

export const GSI = {
  coursesBySemester: 'CoursesBySemester',
  coursesByInstructor: 'CoursesByInstructor',
  enrollmentsByCourse: 'EnrollmentsByCourse',
  outboxPending: 'OutboxPending',
  waitlistByCourse: 'WaitlistByCourse',
  historyByCourse: 'HistoryByCourse',
} as const;

export const COURSES: TableDefinition = {
  name: 'Courses',
  key: [hash('course_id')],
  attributes: [
    S('course_id'),
    S('semester_id'),
    S('dept_code'),
    S('instructor_id'),
    S('semester_code'),
  ],
  indexes: [
    {
      IndexName: GSI.coursesBySemester,
      KeySchema: [hash('semester_id'), range('dept_code')],
      Projection: {
        ProjectionType: 'INCLUDE',
        NonKeyAttributes: CATALOG_FIELDS.filter((f) => f !== 'semester_id'),
      },
    },
    {
      IndexName: GSI.coursesByInstructor,
      KeySchema: [hash('instructor_id'), range('semester_code')],
      Projection: {
        ProjectionType: 'INCLUDE',
        NonKeyAttributes: CATALOG_FIELDS.filter((f) => f !== 'instructor_id'),
      },
    },
  ],
};

/**
 * Keyed by student, then course: a student's own schedule is a strongly consistent Query of the base
 * table (a GSI is eventually consistent, so "my enrollments" read from one could miss the enroll
 * just made), and a second enroll in the same course fails the Put's condition on the key. The
 * roster reads the EnrollmentsByCourse GSI. `npm run db:migrate` moves rows from the legacy
 * `Enrollments` table (keyed `enrollment_id`, see migrations/rekey-enrollments.ts).
 */
export const ENROLLMENTS: TableDefinition = {
  name: 'StudentEnrollments',
  key: [hash('user_id'), range('course_id')],
  attributes: [S('user_id'), S('course_id'), S('enrolled_at'), S('waitlist_key')],
  indexes: [
    {
      IndexName: GSI.enrollmentsByCourse,
      KeySchema: [hash('course_id'), range('enrolled_at')],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      // Sparse: only waitlisted rows carry waitlist_key (join time + ULID), so a section's list in
      // FIFO order is one Query, and a position is a count of the keys before one's own.
      IndexName: GSI.waitlistByCourse,
      KeySchema: [hash('course_id'), range('waitlist_key')],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

export const USERS: TableDefinition = {
  name: 'Users',
  key: [hash('user_id')],
  attributes: [S('user_id')],
  indexes: [],
};

export const OUTBOX: TableDefinition = {
  name: 'Outbox',
  key: [hash('event_id')],
  attributes: [S('event_id'), S('pending_shard')],
  indexes: [
    {
      // Sparse: only pending events carry pending_shard, so the relay reads just those.
      IndexName: GSI.outboxPending,
      KeySchema: [hash('pending_shard'), range('event_id')],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
  ttlAttribute: 'expires_at',
};

export const IDEMPOTENCY: TableDefinition = {
  name: 'Idempotency',
  key: [hash('key')],
  attributes: [S('key')],
  indexes: [],
  ttlAttribute: 'expires_at',
};

/** One item per data migration: its checkpoint while it runs, its counts once done. */
export const MIGRATIONS: TableDefinition = {
  name: 'Migrations',
  key: [hash('migration_id')],
  attributes: [S('migration_id')],
  indexes: [],
};

/**
 * Registration calendars, one item per term. All in one partition (`pk` = 'TERM', sorted by
 * term_id): listing them is one Query, not a Scan. A few dozen items, read through the cache.
 */
export const TERMS: TableDefinition = {
  name: 'Terms',
  key: [hash('pk'), range('term_id')],
  attributes: [S('pk'), S('term_id')],
  indexes: [],
};

/**
 * A student's permits (DESIGN §8), keyed by student, then `course_id#type`: the eligibility check
 * reads one section's permits with one Query (`begins_with(sk, course_id#)`), and re-issuing the
 * same (student, section, type) replaces the item.
 */
export const PERMITS: TableDefinition = {
  name: 'Permits',
  key: [hash('user_id'), range('sk')],
  attributes: [S('user_id'), S('sk')],
  indexes: [],
};

/**
 * One item per student and term (DESIGN §8): the term's enrolled `credits` and a `version` that
 * every write of the student's schedule in that term increments. A cart submit checks the rules on
 * a read snapshot and conditions its transaction on the version it read, so two concurrent submits
 * of one student cannot together pass the credit limit or a time-conflict check.
 */
export const SCHEDULES: TableDefinition = {
  name: 'Schedules',
  key: [hash('user_id'), range('term_id')],
  attributes: [S('user_id'), S('term_id')],
  indexes: [],
};

/**
 * Registration history (DESIGN §8): one item per event, keyed by student, then the event's ULID
 * (which sorts by time, and breaks ties within a millisecond), so a student's history newest first
 * is one strongly consistent Query with ScanIndexForward false. HistoryByCourse serves a course's
 * history with the same sort key, and is sparse: only changes carry `change_course_id`, refused
 * adds do not. Refusals are unbounded (a rush on a full section is thousands a second on one
 * course), and a hot GSI partition throttles the base-table writes that feed it, which would then
 * throttle that section's drops; changes are bounded by the section's seats, like its counter.
 */
export const HISTORY: TableDefinition = {
  name: 'History',
  key: [hash('user_id'), range('event_id')],
  attributes: [S('user_id'), S('event_id'), S('change_course_id')],
  indexes: [
    {
      IndexName: GSI.historyByCourse,
      KeySchema: [hash('change_course_id'), range('event_id')],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

export const TABLES: readonly TableDefinition[] = [
  COURSES,
  ENROLLMENTS,
  USERS,
  OUTBOX,
  IDEMPOTENCY,
  MIGRATIONS,
  TERMS,
  PERMITS,
  SCHEDULES,
  HISTORY,
];
