import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { booleanFlag, validateSettings } from './env.schema';

/** Settings only the dev launcher (`npm start`) reads; the apps' own come from EnvironmentVariables. */
export class LauncherSettings {
  @IsBoolean()
  @Transform(booleanFlag)
  DYNAMODB_IN_MEMORY = false;

  @IsBoolean()
  @Transform(booleanFlag)
  DEMO_SEED = true;

  // Unset (the apps' schema then defaults to port 2525): the launcher serves that address itself.
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['smtp', 'smtps'], require_protocol: true })
  SMTP_URL?: string;

  @IsString()
  @MinLength(1)
  DEV_DATA_DIR = '.data';

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600000)
  DEV_READY_TIMEOUT_MS = 90000;
}

export const validateLauncherEnv = (raw: Record<string, unknown>): LauncherSettings =>
  validateSettings(LauncherSettings, raw);
