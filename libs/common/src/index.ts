export * from './config/app-config.module';
export * from './config/configuration';
export * from './config/env.schema';
export * from './errors/domain-error';
export * from './metrics/metric-factory';
