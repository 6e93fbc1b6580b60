export * from './api-errors.decorator';
export * from './error-examples';
export * from './openapi-document';
