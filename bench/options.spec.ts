import { runsEndpoint, sweeps } from './configs-phase';
import { CONFIG_NAMES, parseOptions, UsageError } from './options';

describe('parseOptions', () => {
  it('runs every configuration and endpoint by default', () => {
    const opts = parseOptions([]);
    expect(opts).not.toBe('help');
    if (opts === 'help') return;
    expect(opts.configs).toEqual(['baseline', 'index_only', 'cache_only', 'optimized']);
    expect(opts.endpoints).toEqual(['list', 'detail', 'my_enrollments', 'enroll']);
    expect(opts.reference).toBe(true);
    expect(opts.profile).toBe(false);
  });

  it('makes the quick run smaller everywhere', () => {
    const opts = parseOptions(['--quick']);
    if (opts === 'help') throw new Error('unexpected help');
    expect(opts.dataset.courses).toBe(2000);
    expect(opts.durationS).toBe(4);
    expect(opts.warmupS).toBe(1);
    expect(opts.scalingSizes).toEqual([1000, 5000]);
    expect(parseOptions([])).toMatchObject({
      durationS: 20,
      warmupS: 5,
      scalingSizes: [1000, 10000],
    });
    // The open-loop sweep: every configuration, but in a quick run the headline pair only.
    expect(CONFIG_NAMES.filter((c) => sweeps(opts, c))).toEqual(['baseline', 'optimized']);
    expect(CONFIG_NAMES.filter((c) => sweeps({ quick: false }, c))).toEqual(CONFIG_NAMES);
    // Enroll/drop: every configuration, but in a quick run optimized only; the reads everywhere.
    expect(CONFIG_NAMES.filter((c) => runsEndpoint(opts, c, 'enroll'))).toEqual(['optimized']);
    expect(CONFIG_NAMES.filter((c) => runsEndpoint(opts, c, 'list'))).toEqual(CONFIG_NAMES);
    expect(CONFIG_NAMES.filter((c) => runsEndpoint({ quick: false }, c, 'enroll'))).toEqual(
      CONFIG_NAMES,
    );
  });

  it('keeps a subset in report order and drops the references without the optimized list', () => {
    const opts = parseOptions([
      '--configs',
      'optimized,baseline',
      '--endpoints',
      'enroll',
      '--profile',
    ]);
    if (opts === 'help') throw new Error('unexpected help');
    expect(opts.configs).toEqual(['baseline', 'optimized']);
    expect(opts.endpoints).toEqual(['enroll']);
    expect(opts.reference).toBe(false);
    expect(opts.profile).toBe(true);
  });

  it('runs optimized_no_seats only when named, after optimized', () => {
    const opts = parseOptions(['--configs', 'optimized_no_seats,optimized']);
    if (opts === 'help') throw new Error('unexpected help');
    expect(opts.configs).toEqual(['optimized', 'optimized_no_seats']);
  });

  it('takes --rush with 1,000 students by default, 300 with --quick, or --students N', () => {
    const at = (argv: string[]) => {
      const opts = parseOptions(argv);
      if (opts === 'help') throw new Error('unexpected help');
      return opts;
    };
    expect(at([])).toMatchObject({ rush: false, students: 1000 });
    expect(at(['--rush'])).toMatchObject({ rush: true, students: 1000 });
    expect(at(['--rush', '--quick'])).toMatchObject({ rush: true, students: 300 });
    expect(at(['--rush', '--students', '50'])).toMatchObject({ rush: true, students: 50 });
    expect(() => parseOptions(['--rush', '--students', '0'])).toThrow(UsageError);
  });

  it('refuses names it does not know', () => {
    expect(() => parseOptions(['--endpoints', 'list,search'])).toThrow(UsageError);
    expect(() => parseOptions(['--configs', ''])).toThrow(UsageError);
    expect(() => parseOptions(['--frobnicate'])).toThrow(UsageError);
  });
});
