// The data layer's public surface: the module, repositories, their types, errors and cache tags,
// the DynamoDB client factory and tokens. Seeding and migrations have their own entry points
// (`@app/data/seed`, `@app/data/migrations`); the kit (batching, transactions) is internal.
export * from './cache-tags';
export * from './courses/course-readers';
export * from './courses/course.errors';
export * from './courses/course.response';
export * from './courses/course.types';
export * from './courses/courses.repository';
export * from './dynamodb.client';
export * from './dynamodb.errors';
export * from './dynamodb.module';
export * from './dynamodb.readiness';
export * from './dynamodb.tokens';
export * from './enrollments/cart-transact-items';
export * from './enrollments/cart.repository';
export * from './enrollments/enrollment.errors';
export * from './enrollments/enrollment.types';
export * from './enrollments/enrollments.repository';
export * from './history';
export * from './kit/capacity';
export * from './kit/cursor';
export * from './kit/page';
export * from './kit/write-admission';
export * from './permits/permit.errors';
export * from './permits/permits.repository';
export * from './schedules/schedule-items';
export * from './schedules/schedules.repository';
export * from './tables';
export * from './terms/term.errors';
export * from './terms/term.types';
export * from './terms/terms.repository';
export * from './users/user.errors';
export * from './users/users.repository';
export * from './outbox';
export * from './waitlist/waitlist.errors';
export * from './waitlist/waitlist.repository';
