export * from './outbox-event';
export * from './outbox.repository';
