// `npm run db:migrate`, the tests and the benchmark create and drop tables through this entry point.
export * from './migrate';
