import { Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import { Clock } from '@app/common';
import { CourseFull, HistoryRepository } from '@app/data';
import type { CartViolation } from '@app/registration';
import { RegistrationRejected } from './eligibility.loader';

/**
 * Refused adds in the student's history, as Banner logs failed attempts: a refusal by the
 * registration rules (or a full section, found by the rules or by the transaction) becomes one
 * `add_rejected` entry per refused add, with the violations the caller was answered with for it.
 * Best effort: a record never throws, so the answer stays the same.
 */
@Injectable()
export class RejectionLog {
  constructor(
    private readonly history: HistoryRepository,
    private readonly clock: Clock,
  ) {}

  async record(
    user: AuthUser,
    adds: readonly string[],
    err: unknown,
    semesterId?: string,
  ): Promise<void> {
    const violations = refused(err, adds);
    if (!violations) return;
    const at = this.clock.now();
    await Promise.all(
      adds.map(async (courseId) => {
        const own = violations.filter((v) => v.course_id === courseId);
        // This add was fine: the request failed on another line.
        if (own.length === 0) return;
        await this.history.record({
          type: 'add_rejected',
          actor: user.sub,
          at,
          reason: own[0].code,
          user_id: user.sub,
          course_id: courseId,
          semester_id: err instanceof RegistrationRejected ? err.semesterId : semesterId,
          violations: own,
        });
      }),
    );
  }
}

/** The violations of a refusal; a one-course enroll's transaction names its full section by error. */
function refused(err: unknown, adds: readonly string[]): CartViolation[] | undefined {
  if (err instanceof RegistrationRejected) return err.violations;
  if (err instanceof CourseFull && adds.length === 1)
    return [{ code: 'COURSE_FULL', course_id: adds[0], message: err.message }];
  return undefined;
}
