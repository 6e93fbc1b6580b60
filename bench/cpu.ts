import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Processes to account for, by the name they get in the report. */
export type ProcessSet = Record<string, number>;

let clockTicks: number | undefined;

/** Kernel clock ticks per second (the unit of /proc/<pid>/stat's times). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; null where there is
 * no /proc (not Linux) or the process is gone. The command name may hold spaces and parentheses,
 * so fields are counted from the last ')'.
 */
export function parseProcStat(stat: string, ticks: number): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state(3) ... utime is field 14 and stime field 15 of the whole line.
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return (utime + stime) / ticks;
}

export function cpuSeconds(pid: number): number | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), ticksPerSecond());
  } catch {
    return null;
  }
}

/**
 * Cores each process kept busy over a window (CPU seconds / wall seconds): on this 2-core machine
 * it shows which process the load saturated, e.g. the app at ~1.0 (one Node thread) or DynamoDB
 * Local. The harness itself (autocannon) is measured with process.cpuUsage().
 */
export function startCpuWindow(procs: ProcessSet): () => Record<string, number> {
  const t0 = process.hrtime.bigint();
  const self0 = process.cpuUsage();
  const before = Object.fromEntries(
    Object.entries(procs).map(([name, pid]) => [name, cpuSeconds(pid)]),
  );
  return () => {
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(procs)) {
      const a = before[name];
      const b = cpuSeconds(pid);
      if (a !== null && b !== null) out[name] = round2((b - a) / wallS);
    }
    const self = process.cpuUsage(self0);
    out['load generator'] = round2((self.user + self.system) / 1e6 / wallS);
    return out;
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
