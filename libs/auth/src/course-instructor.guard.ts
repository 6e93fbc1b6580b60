import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { validatedRequest } from '@app/common';
import { CourseNotFound, CoursesRepository } from '@app/data';
import { NotCourseInstructor } from './auth.errors';
import { AuthUser } from './auth-user';

/**
 * Ownership, decided before the response cache: the route's `:course_id` must be taught by the
 * caller, or the caller is an admin. A guard runs ahead of every interceptor, so a cached answer
 * can never reach someone the handler would refuse (a former instructor after a reassignment).
 * Runs after the global AuthGuard (roles) and reads the validated params.
 */
@Injectable()
export class CourseInstructorGuard implements CanActivate {
  constructor(private readonly courses: CoursesRepository) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (user?.role === 'admin') return true;
    const courseId = String((await validatedRequest(ctx)).params.course_id);
    const instructor = await this.courses.instructorOf(courseId);
    if (instructor === undefined) throw new CourseNotFound(courseId);
    if (!user || instructor !== user.sub) {
      throw new NotCourseInstructor();
    }
    return true;
  }
}

/** Only the instructor of the route's `:course_id`, or an admin (combine with @Roles for the roles). */
export const CourseInstructorOrAdmin = () => applyDecorators(UseGuards(CourseInstructorGuard));
