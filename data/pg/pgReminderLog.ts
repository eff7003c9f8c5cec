import { keyOf, type ReminderLogEntry, type SentLog } from '../store/reminderLog.js';
import { inPgTransaction, type PgPool } from './pgPool.js';
import { insertReminderLine } from './pgWholeStore.js';

/**
 * Rows read again behind the newest one seen: an id handed out before a later one may commit after it
 * (two instances appending at once), and must not be missed.
 */
const LATE_COMMIT_WINDOW = 1000;

/** The class half of the (class, key) advisory lock an instance holds while sending one once-only email. */
const SENDING_LOCK_CLASS = 0x4453;

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

  /**
   * A session advisory lock on (key, stage, recipient) held on one connection while `fn` sends and records: a
   * second instance asking meanwhile is refused at once (null); one that dies mid-send releases it.
   */
  async whileSending<T>(itemKey: string, stage: string, to: string, fn: () => Promise<T>): Promise<T | null> {
    const client = await this.pool.connect();
    const key = keyOf(itemKey, stage, to);
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    try {
      const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
        SENDING_LOCK_CLASS,
        key,
      ]);
      if (!got.rows[0]?.ok) return null;
      try {
        return await fn();
      } finally {
        await client
          .query('SELECT pg_advisory_unlock($1, hashtext($2))', [SENDING_LOCK_CLASS, key])
          .catch((err: Error) => {
            broken = err;
          });
      }
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
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
