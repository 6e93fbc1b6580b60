import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { COURSE_BATCH_READER, COURSE_LIST_READER, CoursesRepository, DataModule } from '@app/data';
import {
  EMAIL_DISPATCH,
  EmailSendingModule,
  MessagingModule,
  QueuedEmailDispatch,
} from '@app/messaging';
import { baselinesConfig, BaselinesConfig } from './baselines.config';
import { InlineEmailDispatch } from './inline-email.dispatch';
import { OneByOneCourseReader } from './one-by-one-course.reader';
import { ScanCourseListReader } from './scan-course-list.reader';

/**
 * Binds the ports the benchmark compares: the product's implementation unless a BENCH_* setting
 * selects the baseline. A baseline is built only when selected (ModuleRef.create), so the product
 * never holds one, and the enrollments app opens no SMTP connection unless BENCH_EMAIL_MODE=inline.
 * Each feature module imports the ports it uses, so the courses app never opens a queue connection.
 */
@Module({})
export class BaselinesModule {
  /** COURSE_LIST_READER: GSI queries (CoursesRepository), or Scan + filter. */
  static courseLists(): DynamicModule {
    return {
      module: BaselinesModule,
      imports: [ConfigModule.forFeature(baselinesConfig), DataModule],
      providers: [
        {
          provide: COURSE_LIST_READER,
          inject: [baselinesConfig.KEY, CoursesRepository, ModuleRef],
          useFactory: (b: BaselinesConfig, courses: CoursesRepository, ref: ModuleRef) =>
            b.listStrategy === 'scan' ? ref.create(ScanCourseListReader) : courses,
        },
      ],
      exports: [COURSE_LIST_READER],
    };
  }

  /** COURSE_BATCH_READER (BatchGet, or one GetItem per course) and EMAIL_DISPATCH (queued, or inline). */
  static registration(): DynamicModule {
    return {
      module: BaselinesModule,
      imports: [
        ConfigModule.forFeature(baselinesConfig),
        DataModule,
        EmailSendingModule,
        MessagingModule,
      ],
      providers: [
        {
          provide: COURSE_BATCH_READER,
          inject: [baselinesConfig.KEY, CoursesRepository, ModuleRef],
          useFactory: (b: BaselinesConfig, courses: CoursesRepository, ref: ModuleRef) =>
            b.myEnrollmentsStrategy === 'n_plus_one' ? ref.create(OneByOneCourseReader) : courses,
        },
        {
          provide: EMAIL_DISPATCH,
          inject: [baselinesConfig.KEY, QueuedEmailDispatch, ModuleRef],
          useFactory: (b: BaselinesConfig, queued: QueuedEmailDispatch, ref: ModuleRef) =>
            b.emailMode === 'inline' ? ref.create(InlineEmailDispatch) : queued,
        },
      ],
      exports: [COURSE_BATCH_READER, EMAIL_DISPATCH],
    };
  }
}
