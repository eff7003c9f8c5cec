import { rmSync } from 'node:fs';
import { writeDurably } from './durableJsonFile.js';
import { SavingPausedError } from './storeErrors.js';

export type StoreHealth =
  | { status: 'ok' }
  | { status: 'degraded'; reason: string; since: string; retries: number };

/** Plain words for why the disk refused a write. */
export function reasonFor(err: Error): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk holding the database is full';
    case 'EROFS':
      return 'the disk holding the database is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'the database files cannot be written (permission refused)';
    case 'EIO':
      return 'the disk holding the database reported an error';
    default:
      return `the database could not be written (${err.message})`;
  }
}

export interface WritePauseOptions {
  /** First retry after this long, doubling up to `maxRetryMs`. */
  firstRetryMs: number;
  maxRetryMs: number;
  now: () => Date;
  log: (line: string) => void;
}

/**
 * Saving paused after a write failed, and resumed once `probe` (which puts the files back in order and
 * proves the disk writes) succeeds, retried with backoff. Reads go on meanwhile.
 */
export class WritePause {
  private state: { reason: string; since: string; retries: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private delay: number;
  /** Why saving last paused: a change queued before that failure is refused with it, even after resuming. */
  private lastReason = 'an earlier write failed';

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly opts: WritePauseOptions,
  ) {
    this.delay = opts.firstRetryMs;
  }

  get paused(): boolean {
    return this.state !== null;
  }

  /** Refuses a change while paused. */
  check(): void {
    if (this.state) throw new SavingPausedError(this.state.reason);
  }

  /** A write failed: pause (once) and start retrying. Returns the error to give the change's caller. */
  fail(err: Error): SavingPausedError {
    if (!this.state) {
      this.state = { reason: reasonFor(err), since: this.opts.now().toISOString(), retries: 0 };
      this.lastReason = this.state.reason;
      this.opts.log(`Saving paused: ${this.state.reason} (${err.message}). Retrying.`);
      this.delay = this.opts.firstRetryMs;
      this.schedule();
    }
    return new SavingPausedError(this.state.reason);
  }

  /** The refusal of a change that was queued before the last failure (and undone with it). */
  undone(): SavingPausedError {
    return new SavingPausedError(this.lastReason);
  }

  health(): StoreHealth {
    return this.state ? { status: 'degraded', ...this.state } : { status: 'ok' };
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.probe().then(
        () => {
          this.opts.log(`Saving resumed after ${this.state?.retries ?? 0} retries.`);
          this.state = null;
        },
        () => {
          if (!this.state) return;
          this.state.retries++;
          this.delay = Math.min(this.delay * 2, this.opts.maxRetryMs);
          this.schedule();
        },
      );
    }, this.delay);
    this.timer.unref();
  }
}

/** Proves the disk beside the database takes a durable write again (a 64 kB file, written and removed). */
export async function probeDisk(dbPath: string): Promise<void> {
  const probe = `${dbPath}.probe`;
  await writeDurably(probe, Buffer.alloc(64 * 1024));
  rmSync(probe, { force: true });
}
