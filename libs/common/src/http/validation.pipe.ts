import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${parent ? `${parent}.` : ''}${m}` : `${path}: ${m}`,
    );
    return [...own, ...describe(e.children ?? [], path)];
  });
}

export const validationFailed = (message: string) =>
  new BadRequestException({ code: 'VALIDATION_FAILED', message });

/**
 * Names every object has through its prototype. class-transformer skips a key whose value on the new
 * instance is a function (`toString`, `constructor`, …), so such a key vanished silently instead of
 * being refused as unknown: they are looked for in the raw input, at every depth, before transforming.
 */
const BUILT_IN_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export function findBuiltInName(value: unknown, path = ''): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (BUILT_IN_NAMES.has(key)) return here;
    const inner = findBuiltInName((value as Record<string, unknown>)[key], here);
    if (inner) return inner;
  }
  return undefined;
}

/** Whitelisting, unknown (and built-in) fields rejected, types transformed; errors listed field by field. */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) => validationFailed(describe(errors).join('; ')),
    });
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const builtIn = findBuiltInName(value);
      if (builtIn) return Promise.reject(validationFailed(`property ${builtIn} should not exist`));
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe();
}
