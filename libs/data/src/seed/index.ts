export * from './dataset';
export * from './seed-dataset';
export { forEachConcurrent } from '../kit/pool';
