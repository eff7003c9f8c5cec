import { writeDurably } from './durableJsonFile.js';

/** Writes pause this long before the database file is rewritten from memory… */
const QUIET_MS = 250;
/** …and under constant writes it is rewritten at least this often. */
const MAX_DELAY_MS = 5_000;

/**
 * The database file as a snapshot of memory: written one at a time, never over a newer one, and in the
 * background once writes pause (at least every few seconds under constant writes).
 */
export class SnapshotFile {
  /** Files written since open; the last background write's error, if it failed. */
  readonly stats = { written: 0, lastError: null as Error | null };
  /** Settles when the write in progress (if any) is done. */
  chain: Promise<void> = Promise.resolve();
  /** The store revision the file on disk holds. */
  revision = 0;
  private timer: NodeJS.Timeout | null = null;
  private dirtySince: number | null = null;

  constructor(private readonly path: string) {}

  /** Writes `text` (the database at `revision`) unless a newer one was written meanwhile. */
  write(text: string, revision: number, force = false): Promise<void> {
    const run = this.chain
      .catch(() => {})
      .then(async () => {
        if (revision <= this.revision && !force) return;
        await writeDurably(this.path, text);
        this.revision = Math.max(this.revision, revision);
        this.stats.written++;
      });
    this.chain = run;
    return run;
  }

  /** Runs `writeNow` once changes pause (or at the latest MAX_DELAY_MS after the first unwritten one). */
  schedule(writeNow: () => Promise<void>): void {
    const now = Date.now();
    this.dirtySince ??= now;
    const due = Math.min(now + QUIET_MS, this.dirtySince + MAX_DELAY_MS);
    this.cancel();
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.dirtySince = null;
        writeNow().then(
          () => {
            this.stats.lastError = null;
          },
          (err) => {
            this.stats.lastError = err as Error;
          },
        );
      },
      Math.max(0, due - now),
    );
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
