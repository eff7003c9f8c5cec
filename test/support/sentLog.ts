import { PgReminderLog } from '../../data/pg/pgReminderLog.js';
import { PgStore } from '../../data/pg/pgStore.js';
import { ReminderLog, reminderLogPathFor, type SentLog } from '../../data/store/reminderLog.js';
import type { Store } from '../../data/store/store.js';

/**
 * The reminder log of a store read afresh, as a restarted server reads it: the file beside a file store,
 * the `reminder_log` table of a PostgreSQL one.
 */
export async function readSentLog(store: Store, dbPath: string): Promise<SentLog> {
  if (store instanceof PgStore) {
    const log = new PgReminderLog(store.pool);
    await log.refresh();
    return log;
  }
  return ReminderLog.open(reminderLogPathFor(dbPath), { write: false });
}
