import { Inject, Injectable } from '@nestjs/common';
import { dynamodbConfig } from '@app/common';
import type { DynamodbConfig } from '@app/common';

export interface Tables {
  courses: string;
  enrollments: string;
  users: string;
  outbox: string;
  idempotency: string;
  migrations: string;
  terms: string;
  permits: string;
  schedules: string;
  history: string;
}

export const tableNames = (prefix: string): Tables => ({
  courses: `${prefix}Courses`,
  enrollments: `${prefix}StudentEnrollments`,
  users: `${prefix}Users`,
  outbox: `${prefix}Outbox`,
  idempotency: `${prefix}Idempotency`,
  migrations: `${prefix}Migrations`,
  terms: `${prefix}Terms`,
  permits: `${prefix}Permits`,
  schedules: `${prefix}Schedules`,
  history: `${prefix}History`,
});

/** The physical table names of this environment (TABLE_PREFIX + logical name). */
@Injectable()
export class TableNames implements Tables {
  readonly courses: string;
  readonly enrollments: string;
  readonly users: string;
  readonly outbox: string;
  readonly idempotency: string;
  readonly migrations: string;
  readonly terms: string;
  readonly permits: string;
  readonly schedules: string;
  readonly history: string;

  constructor(@Inject(dynamodbConfig.KEY) config: DynamodbConfig) {
    Object.assign(this, tableNames(config.tablePrefix));
  }
}
