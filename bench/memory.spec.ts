import { parseProcStatus, readRss } from './memory';

describe('parseProcStatus', () => {
  it('reads VmRSS and VmHWM in MB', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  153600 kB\nThreads:\t11\n';
    expect(parseProcStatus(status)).toEqual({ rss_mb: 150, hwm_mb: 200 });
  });

  it('is null without either field (a kernel thread, a zombie)', () => {
    expect(parseProcStatus('Name:\tkworker\nVmRSS:\t1 kB\n')).toBeNull();
  });

  it('reads this process on Linux, with the high-water mark at or above the current RSS', () => {
    const r = readRss(process.pid);
    if (process.platform !== 'linux') return expect(r).toBeNull();
    expect(r!.rss_mb).toBeGreaterThan(10);
    expect(r!.hwm_mb).toBeGreaterThanOrEqual(r!.rss_mb);
  });
});
