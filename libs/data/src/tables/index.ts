export * from './table-definitions';
export * from './table-names';
