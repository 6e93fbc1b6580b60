export * from './dataset';
export * from './seed-dataset';
