export * from './auth-user';
export * from './auth.errors';
export * from './auth.decorators';
export * from './auth.guard';
export * from './auth.module';
export * from './jwt-verifier';
export * from './sign-token';
export * from './course-instructor.guard';
