import { cpuSeconds, parseProcStat, startCpuWindow } from './cpu';

describe('CPU accounting', () => {
  it('reads utime + stime from a /proc stat line whose name has spaces and parentheses', () => {
    const line =
      '4242 (node (bench) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0 100 0 0';
    expect(parseProcStat(line, 100)).toBe(3);
  });

  it('is null for a process that does not exist', () => {
    expect(cpuSeconds(2 ** 22 + 12345)).toBeNull();
  });

  it('measures the cores a busy process used over a window', () => {
    const stop = startCpuWindow({ self: process.pid });
    const until = Date.now() + 300;
    while (Date.now() < until); // burn one core
    const cores = stop();
    if (process.platform === 'linux') {
      expect(cores.self).toBeGreaterThan(0.5);
      expect(cores.self).toBeLessThan(1.5);
    }
    expect(cores['load generator']).toBeGreaterThan(0.5);
  });
});
