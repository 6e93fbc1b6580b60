import { ConfigType, registerAs } from '@nestjs/config';
import { IsIn } from 'class-validator';
import { validateSettings } from '@app/common';

/**
 * The benchmark's switches (npm run bench sets them per configuration): which slow path stands in
 * for each optimisation. Unset, every one is the product's own path.
 */
export class BaselineSettings {
  @IsIn(['index', 'scan'])
  BENCH_LIST_STRATEGY: 'index' | 'scan' = 'index';

  @IsIn(['batch', 'n_plus_one'])
  BENCH_MY_ENROLLMENTS_STRATEGY: 'batch' | 'n_plus_one' = 'batch';

  @IsIn(['queued', 'inline'])
  BENCH_EMAIL_MODE: 'queued' | 'inline' = 'queued';
}

export const baselinesConfig = registerAs('baselines', () => {
  const s = validateSettings(BaselineSettings, process.env);
  return {
    listStrategy: s.BENCH_LIST_STRATEGY,
    myEnrollmentsStrategy: s.BENCH_MY_ENROLLMENTS_STRATEGY,
    emailMode: s.BENCH_EMAIL_MODE,
  };
});
export type BaselinesConfig = ConfigType<typeof baselinesConfig>;
