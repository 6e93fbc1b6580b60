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
    // Burn 300 ms of CPU, not of wall time: on a loaded machine 300 ms of wall time may hold little CPU.
    const start = process.cpuUsage();
    const usedMs = () => {
      const u = process.cpuUsage(start);
      return (u.user + u.system) / 1000;
    };
    while (usedMs() < 300);
    const cores = stop();
    expect(cores['load generator']).toBeGreaterThan(0);
    expect(cores['load generator']).toBeLessThan(1.5);
    if (process.platform === 'linux') {
      // /proc/<pid>/stat (10 ms ticks) and process.cpuUsage() measure the same CPU over the same window.
      expect(Math.abs(cores.self - cores['load generator'])).toBeLessThan(0.15);
    }
  });
});
