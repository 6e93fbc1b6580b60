import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { AuthModule, JwtVerifier } from '@app/auth';
import { adminConfig } from '@app/common';
import type { AdminConfig } from '@app/common';
import { EMAIL_QUEUE, MessagingModule, WAITLIST_QUEUE } from '@app/messaging';
import { adminOnly } from './admin-only.middleware';

/** Where the dashboard is served, outside the /api prefix (see UNPREFIXED_PATHS). */
export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/** Every queue of the system, shown by the dashboard (add a queue here when one is added). */
const QUEUES = [EMAIL_QUEUE, WAITLIST_QUEUE];

/**
 * bull-board at /admin/queues: every queue's jobs by state, with retry of failed ones (BullMQ has
 * no dead-letter queue; failed jobs wait there). Admins only (adminOnly).
 */
@Module({
  imports: [
    MessagingModule,
    BullBoardModule.forRootAsync({
      imports: [AuthModule],
      inject: [JwtVerifier, adminConfig.KEY],
      useFactory: (verifier: JwtVerifier, admin: AdminConfig) => ({
        route: QUEUE_DASHBOARD_ROUTE,
        adapter: ExpressAdapter,
        middleware: adminOnly(verifier, admin),
        boardOptions: { uiConfig: { boardTitle: 'Course registration queues' } },
      }),
    }),
    ...QUEUES.map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
  ],
})
export class QueueDashboardModule {}
