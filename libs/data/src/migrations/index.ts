// `npm run db:migrate`, the tests and the load measurements create and drop tables through this entry point.
export * from './migrate';
export { LEGACY_ENROLLMENTS_TABLE, REKEY_ENROLLMENTS } from './rekey-enrollments';
export type { RekeyCheckpoint } from './rekey-enrollments';
