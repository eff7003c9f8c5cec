import type { Transaction } from './transaction.js';

export interface StoreOptions {
  /** Take the writer lock (default true). Read-only users (reports, checks) pass false and cannot write. */
  write?: boolean;
  /** Validate every record on load (default true). */
  validateOnLoad?: boolean;
  /** Clock, for tests. */
  now?: () => Date;
  /** After a failed write, the first retry (ms; doubling up to 30 s). */
  retryMs?: number;
  /**
   * A database that does not exist yet is written only with its first change (the CLI: a dry run or a
   * refused import leaves nothing behind). By default it is created on open.
   */
  deferCreate?: boolean;
  /** Where saving paused and resumed are reported (default: nowhere). */
  log?: (line: string) => void;
}

/** Log text waiting to be appended, and for a settings change the database file to write after it. */
export interface Pending {
  text: string;
  snapshot: { text: string; revision: number } | null;
  /** The change, to undo if its append fails; the log's head after it; the pause it was made after. */
  tx: Transaction;
  after: LogPosition;
  generation: number;
}

export interface LogPosition {
  seq: number;
  hash: string;
  bytes: number;
}
