import {
  AttributeDefinition,
  GlobalSecondaryIndex,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb';

export interface TableDefinition {
  /** Logical name; the physical name is TABLE_PREFIX + this. */
  name: 'Courses' | 'Enrollments' | 'Users' | 'Outbox' | 'Idempotency';
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
  enrollmentsByUser: 'EnrollmentsByUser',
  enrollmentsByCourse: 'EnrollmentsByCourse',
  outboxPending: 'OutboxPending',
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

export const ENROLLMENTS: TableDefinition = {
  name: 'Enrollments',
  key: [hash('enrollment_id')],
  attributes: [
    S('enrollment_id'),
    S('user_id'),
    S('semester_enrolled'),
    S('course_id'),
    S('enrolled_at'),
  ],
  indexes: [
    {
      IndexName: GSI.enrollmentsByUser,
      KeySchema: [hash('user_id'), range('semester_enrolled')],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      IndexName: GSI.enrollmentsByCourse,
      KeySchema: [hash('course_id'), range('enrolled_at')],
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

export const TABLES: readonly TableDefinition[] = [
  COURSES,
  ENROLLMENTS,
  USERS,
  OUTBOX,
  IDEMPOTENCY,
];
