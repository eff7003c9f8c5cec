import { keyOf, type ReminderLogEntry, type SentLog } from '../store/reminderLog.js';
import { inPgTransaction, type PgPool } from './pgPool.js';
import { insertReminderLine } from './pgWholeStore.js';

/**
 * Rows read again behind the newest one seen: an id handed out before a later one may commit after it
 * (two instances appending at once), and must not be missed.
 */
const LATE_COMMIT_WINDOW = 1000;

/**
 * The reminder log on PostgreSQL, shared by every instance. Each email is one `reminder_log` row; each
 * reminder sent is one `reminder_sent` row whose key (item, stage, recipient) is unique. Reads answer from
 * memory, brought up to date by `refresh` (every job run and every once-only send calls it first).
 */
export class PgReminderLog implements SentLog {
  private readonly lines: ReminderLogEntry[] = [];
  private readonly sentKeys = new Set<string>();
  private readonly seen = new Set<number>();
  private newest = 0;

  constructor(private readonly pool: PgPool) {}

  has(itemKey: string, stage: string, to: string): boolean {
    return this.sentKeys.has(keyOf(itemKey, stage, to));
  }

  entries(): readonly ReminderLogEntry[] {
    return this.lines;
  }

  async refresh(): Promise<void> {
    const pool = this.pool;
    const rows = await pool.query<{ id: string; entry: ReminderLogEntry }>(
      'SELECT id, entry FROM reminder_log WHERE id > $1 ORDER BY id',
      [Math.max(0, this.newest - LATE_COMMIT_WINDOW)],
    );
    for (const row of rows.rows) this.remember(Number(row.id), row.entry);
  }

  /**
   * Records the email; for a sent one, each reminder's once-only key. A key another instance recorded first
   * stays theirs (the email went out twice only if both sent before either recorded, which the job lock and
   * the refresh before each send rule out for scheduled runs).
   */
  async append(entry: ReminderLogEntry): Promise<void> {
    const id = (await inPgTransaction(this.pool, (client) => insertReminderLine(client, entry))) ?? 0;
    this.remember(id, entry);
  }

  private remember(id: number, entry: ReminderLogEntry): void {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if (id > this.newest) this.newest = id;
    this.lines.push(entry);
    if (entry.status !== 'sent') return;
    for (const r of entry.reminders) this.sentKeys.add(keyOf(r.itemKey, r.stage, entry.to));
  }
}
