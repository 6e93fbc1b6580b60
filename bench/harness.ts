import type autocannon from 'autocannon';
import { Cleanup } from './cleanup';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** A terminal's Ctrl-C reaches this process twice (directly and relayed by tsx): only a later one forces. */
const RELAYED_SIGNAL_MS = 1500;
const INDENT = ' '.repeat(14);

/**
 * What every phase of one `npm run bench` shares: the progress and detail lines on stderr, the undo
 * steps of everything started, and the interruption by a signal (which stops the running load).
 */
export class Harness {
  readonly cleanup = new Cleanup();
  /** The autocannon run in progress, stopped by a signal. */
  current: autocannon.Instance | undefined;
  private readonly startedAt: number;
  private signalled = false;
  private signalledAt = 0;

  /** `startedAt`: the `performance.now()` the `[bench mm:ss]` clock counts from. */
  constructor(startedAt: number) {
    this.startedAt = startedAt;
  }

  /** Set by SIGINT, SIGTERM or SIGHUP: the phases stop before their next step. */
  get interrupted(): boolean {
    return this.signalled;
  }

  /** The progress line: which phase runs now. */
  readonly progress = (line: string): void => {
    process.stderr.write(`[bench ${this.clock()}] ${line}\n`);
  };

  /** A detail line, indented under the progress lines. */
  readonly log = (line: string): void => {
    process.stderr.write(`${INDENT}${line.replace(/\n/g, `\n${INDENT}`)}\n`);
  };

  /** On a signal: stop the load, undo everything, exit 130; a second signal forces the exit. */
  handleSignals(): void {
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
  }

  private clock(): string {
    const s = Math.floor((performance.now() - this.startedAt) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.signalled) {
      if (performance.now() - this.signalledAt < RELAYED_SIGNAL_MS) return;
      process.stderr.write('forced exit\n');
      process.exit(130);
    }
    this.signalled = true;
    this.signalledAt = performance.now();
    this.progress(`${signal}: stopping the load and cleaning up (again to force)`);
    this.current?.stop();
    void this.cleanup.run(this.log).finally(() => process.exit(130));
  };
}
