export * from './email-queue';
export * from './email-templates';
export * from './email.producer';
export * from './email.sender';
export * from './mailer';
export * from './messaging.module';
export * from './queue.readiness';
export * from './redis-connections';
