// `npm run db:migrate`, the tests and the load measurements create and drop tables through this entry point.
export * from './migrate';
