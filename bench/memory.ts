import { readFileSync } from 'node:fs';

/** A process's resident memory now and its high-water mark, in MB (from /proc/<pid>/status). */
export interface RssReading {
  rss_mb: number;
  hwm_mb: number;
}

/** VmRSS and VmHWM (kB) of a /proc/<pid>/status text; null when either is missing. */
export function parseProcStatus(status: string): RssReading | null {
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    return m ? Number(m[1]) : null;
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  if (rss === null || hwm === null) return null;
  return { rss_mb: round1(rss / 1024), hwm_mb: round1(hwm / 1024) };
}

/** The reading of a live process; null where there is no /proc (not Linux) or the process is gone. */
export function readRss(pid: number): RssReading | null {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;
