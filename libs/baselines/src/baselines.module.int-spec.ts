import { Test } from '@nestjs/testing';
import { AppConfigModule } from '@app/common';
import { COURSE_BATCH_READER, COURSE_LIST_READER, CoursesRepository } from '@app/data';
import { EMAIL_DISPATCH, QueuedEmailDispatch } from '@app/messaging';
import { withEnv } from '@app/testing';
import { BaselinesModule } from './baselines.module';
import { InlineEmailDispatch } from './inline-email.dispatch';
import { OneByOneCourseReader } from './one-by-one-course.reader';
import { ScanCourseListReader } from './scan-course-list.reader';

/** What each port is bound to, in an app built with these settings (nothing is connected or sent). */
async function bindings(env: Record<string, string | undefined>) {
  return withEnv({ LOG_LEVEL: 'fatal', ...env }, async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(),
        BaselinesModule.courseLists(),
        BaselinesModule.registration(),
      ],
    }).compile();
    const bound = {
      lists: moduleRef.get(COURSE_LIST_READER),
      batch: moduleRef.get(COURSE_BATCH_READER),
      email: moduleRef.get(EMAIL_DISPATCH),
    };
    await moduleRef.close();
    return bound;
  });
}

describe('BaselinesModule', () => {
  it('binds the product by default', async () => {
    const bound = await bindings({
      BENCH_LIST_STRATEGY: undefined,
      BENCH_MY_ENROLLMENTS_STRATEGY: undefined,
      BENCH_EMAIL_MODE: undefined,
    });
    expect(bound.lists).toBeInstanceOf(CoursesRepository);
    expect(bound.batch).toBeInstanceOf(CoursesRepository);
    expect(bound.email).toBeInstanceOf(QueuedEmailDispatch);
  });

  it('binds each baseline its BENCH_* setting selects', async () => {
    const bound = await bindings({
      BENCH_LIST_STRATEGY: 'scan',
      BENCH_MY_ENROLLMENTS_STRATEGY: 'n_plus_one',
      BENCH_EMAIL_MODE: 'inline',
    });
    expect(bound.lists).toBeInstanceOf(ScanCourseListReader);
    expect(bound.batch).toBeInstanceOf(OneByOneCourseReader);
    expect(bound.email).toBeInstanceOf(InlineEmailDispatch);
  });

  it('refuses an unknown strategy at startup, naming the variable', async () => {
    await expect(bindings({ BENCH_LIST_STRATEGY: 'scna' })).rejects.toThrow(
      /BENCH_LIST_STRATEGY="scna"/,
    );
  });
});
