export * from './baselines.config';
export * from './baselines.module';
