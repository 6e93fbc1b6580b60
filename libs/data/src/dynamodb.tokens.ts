// DI tokens of the DynamoDB clients, in their own file so repositories don't import the module that provides them.
export const DYNAMODB_CLIENTS = Symbol('DYNAMODB_CLIENTS');
export const DYNAMODB_CLIENT = Symbol('DYNAMODB_CLIENT');
export const DYNAMODB_DOC_CLIENT = Symbol('DYNAMODB_DOC_CLIENT');
