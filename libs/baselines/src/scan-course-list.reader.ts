import { Inject, Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  CapacityMeter,
  CourseListReader,
  CourseSummary,
  DYNAMODB_DOC_CLIENT,
  Page,
  TableNames,
  toCourseSummary,
} from '@app/data';

/**
 * Baseline of the catalog lists: Scan + filter over the whole table, read to completion, as the
 * write-up the benchmark answers did before it had indexes. One page, no cursor.
 */
@Injectable()
export class ScanCourseListReader implements CourseListReader {
  constructor(
    @Inject(DYNAMODB_DOC_CLIENT) private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly meter: CapacityMeter,
  ) {}

  listBySemester(q: {
    semesterId: string;
    departmentId?: string;
    limit: number;
  }): Promise<Page<CourseSummary>> {
    return q.departmentId
      ? this.scan(
          'semester_id = :p AND begins_with(dept_code, :s)',
          { ':p': q.semesterId, ':s': `${q.departmentId}#` },
          q.limit,
        )
      : this.scan('semester_id = :p', { ':p': q.semesterId }, q.limit);
  }

  listByInstructor(q: {
    instructorId: string;
    semesterId?: string;
    limit: number;
  }): Promise<Page<CourseSummary>> {
    return q.semesterId
      ? this.scan(
          'instructor_id = :p AND begins_with(semester_code, :s)',
          { ':p': q.instructorId, ':s': `${q.semesterId}#` },
          q.limit,
        )
      : this.scan('instructor_id = :p', { ':p': q.instructorId }, q.limit);
  }

  private async scan(
    filter: string,
    values: Record<string, string>,
    limit: number,
  ): Promise<Page<CourseSummary>> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new ScanCommand({
          TableName: this.tables.courses,
          FilterExpression: filter,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: start,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.meter.read('Scan', res.ConsumedCapacity);
      items.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    // The order the GSI Query would have given.
    const sortKey = (i: Record<string, unknown>) => `${i.dept_code ?? ''}${i.semester_code ?? ''}`;
    items.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    return { items: items.slice(0, limit).map(toCourseSummary), next_cursor: null };
  }
}
