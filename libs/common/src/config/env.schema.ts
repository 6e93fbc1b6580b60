import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

/**
 * Every environment variable the apps read, with its default. The README's
 * configuration table documents the same list; keep them in step.
 */
export class EnvironmentVariables {
  @Type(() => Number) @IsOptional() @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsString()
  BODY_LIMIT = '100kb';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsBoolean() @Transform(toBool)
  LOG_PRETTY = false;

  @IsString() @MinLength(16)
  CURSOR_SECRET = 'dev-cursor-secret-change-me';

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true })
  DYNAMODB_ENDPOINT?: string;

  @IsString()
  AWS_REGION = 'us-east-1';

  @IsOptional() @IsString()
  AWS_ACCESS_KEY_ID?: string;

  @IsOptional() @IsString()
  AWS_SECRET_ACCESS_KEY?: string;

  @IsString()
  TABLE_PREFIX = 'creg_';

  @Type(() => Number) @IsInt() @Min(1) @Max(10000)
  DYNAMODB_MAX_SOCKETS = 256;

  @Type(() => Number) @IsInt() @Min(100) @Max(60000)
  DYNAMODB_TIMEOUT_MS = 3000;

  @Type(() => Number) @IsInt() @Min(1) @Max(10)
  DYNAMODB_MAX_ATTEMPTS = 3;

  @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsBoolean() @Transform(toBool)
  CACHE_ENABLED = true;

  @IsString()
  CACHE_PREFIX = 'creg:cache';

  @Type(() => Number) @IsInt() @Min(1000)
  CACHE_TTL_MS = 300000;

  @Type(() => Number) @IsInt() @Min(5) @Max(5000)
  CACHE_TIMEOUT_MS = 50;

  @Type(() => Number) @IsInt() @Min(1024)
  CACHE_MAX_ENTRY_BYTES = 262144;

  @IsString() @MinLength(16)
  JWT_SECRET = 'dev-jwt-secret-change-me-please';

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true })
  JWKS_URL?: string;

  @IsOptional() @IsString()
  JWT_ISSUER?: string;

  @IsOptional() @IsString()
  JWT_AUDIENCE?: string;

  // Benchmark-only switches (npm run bench): the slow paths the optimisations are measured against.
  @IsIn(['index', 'scan'])
  BENCH_LIST_STRATEGY: 'index' | 'scan' = 'index';

  @IsIn(['batch', 'n_plus_one'])
  BENCH_MY_ENROLLMENTS_STRATEGY: 'batch' | 'n_plus_one' = 'batch';

  @IsIn(['queued', 'inline'])
  BENCH_EMAIL_MODE: 'queued' | 'inline' = 'queued';
}

/** ConfigModule `validate` hook: coerces types, applies defaults, and names every bad variable. */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  // Explicit @Type/@Transform rather than implicit conversion: scripts run under tsx, which emits no
  // decorator type metadata.
  const env = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  ${e.property}=${JSON.stringify(raw[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}
