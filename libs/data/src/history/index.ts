export * from './history-entry';
export * from './history.repository';
