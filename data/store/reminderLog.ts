import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncFolder } from './durableJsonFile.js';
import { OWNER_FILE_MODE } from './ownerOnly.js';

/** One email the reminder job sent, or gave up on for this run. */
export interface ReminderLogEntry {
  at: string;
  status: 'sent' | 'failed';
  /**
   * Reminders; 'notification': an email sent once because something happened (jobs/sendOnce.ts); and
   * through the same once-only path the schools' returns and bulletins.
   */
  kind:
    | 'digest'
    | 'weekly-summary'
    | 'notification'
    | 'school-return'
    | 'return-reminder'
    | 'return-receipt'
    | 'bulletin';
  to: string;
  subject: string;
  messageId: string;
  /** "As of" date of the run. */
  asOf: string;
  /** The (item, stage) pairs the email carried: a `sent` line marks each as sent to `to`. */
  reminders: { itemKey: string; stage: string; title: string }[];
  /** How it was delivered: "smtp" or "outbox" (.eml file). */
  via?: string;
  /** What the SMTP server answered (sent) or the last error (failed). */
  response?: string;
  attempts?: number;
}

/** The sent log lives beside the database, so the live database stays small: `<db>.reminders.jsonl`. */
export function reminderLogPathFor(dbPath: string): string {
  return `${dbPath.replace(/\.json$/i, '')}.reminders.jsonl`;
}

/**
 * The sent log, whichever store holds it: the file beside the database (`ReminderLog`) or PostgreSQL
 * (`data/pg/pgReminderLog.ts`). `has` answers from memory; `refresh` first reads what other instances
 * recorded meanwhile (nothing to read for the file, which only its one writer appends to).
 */
export interface SentLog {
  has(itemKey: string, stage: string, to: string): boolean;
  entries(): readonly ReminderLogEntry[];
  append(entry: ReminderLogEntry): Promise<void>;
  refresh(): Promise<void>;
  /**
   * Holds the right to send the email with this key and stage to this address while `fn` runs: null when another
   * instance holds it now (it is sending that very email). One process on the file: always granted.
   */
  whileSending?<T>(itemKey: string, stage: string, to: string, fn: () => Promise<T>): Promise<T | null>;
}

export const keyOf = (itemKey: string, stage: string, to: string) =>
  `${itemKey}|${stage}|${to.toLowerCase()}`;

/**
 * Append-only, one JSON line per email, each line synced to disk before `append` resolves. Only the
 * process holding the database's writer lock appends (the server, or `remind` when the server is not
 * running), so lines never interleave. A line is written only after the SMTP server accepted the email,
 * which is what makes "sent" true; a crash in between leaves the email unrecorded, and it is sent again.
 */
export class ReminderLog implements SentLog {
  private readonly lines: ReminderLogEntry[] = [];
  private readonly sentKeys = new Set<string>();

  private constructor(
    readonly path: string,
    readonly writable: boolean,
  ) {}

  /** Reads the log. With `write`, a torn last line (a crash mid-append, never acknowledged) is cut off. */
  static open(path: string, opts: { write: boolean }): ReminderLog {
    const log = new ReminderLog(path, opts.write);
    if (!existsSync(path)) return log;
    const text = readFileSync(path, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    if (opts.write && end < Buffer.byteLength(text)) {
      truncateSync(path, Buffer.byteLength(text.slice(0, end)));
    }
    for (const line of text.slice(0, end).split('\n')) {
      if (!line.trim()) continue;
      try {
        log.remember(JSON.parse(line) as ReminderLogEntry);
      } catch {
        // A damaged line marks nothing as sent: its reminders go out again rather than never.
      }
    }
    return log;
  }

  private remember(entry: ReminderLogEntry): void {
    this.lines.push(entry);
    if (entry.status !== 'sent') return;
    for (const r of entry.reminders) this.sentKeys.add(keyOf(r.itemKey, r.stage, entry.to));
  }

  /** Whether the reminder about this item at this stage was sent to this address. */
  has(itemKey: string, stage: string, to: string): boolean {
    return this.sentKeys.has(keyOf(itemKey, stage, to));
  }

  entries(): readonly ReminderLogEntry[] {
    return this.lines;
  }

  /** Only this process appends to the file: nothing new to read. */
  async refresh(): Promise<void> {}

  async append(entry: ReminderLogEntry): Promise<void> {
    if (!this.writable) throw new Error('The reminder log was opened read-only');
    const created = !existsSync(this.path);
    const handle = await open(this.path, 'a', OWNER_FILE_MODE);
    try {
      if (created) await handle.chmod(OWNER_FILE_MODE);
      await handle.writeFile(`${JSON.stringify(entry)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (created) fsyncFolder(dirname(this.path));
    this.remember(entry);
  }
}
