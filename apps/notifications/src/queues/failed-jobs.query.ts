import { PickType } from '@nestjs/swagger';
import { PageQuery } from '@app/common';

/** Failed jobs are listed newest first, `limit` at a time (1-100, default 20). */
export class FailedJobsQuery extends PickType(PageQuery, ['limit'] as const) {}
