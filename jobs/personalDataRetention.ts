import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addDays, londonDate } from '../checks/londonDates.js';
import { writeDurably } from '../data/store/durableJsonFile.js';
import { PgStore } from '../data/pg/pgStore.js';
import { reminderLogPathFor } from '../data/store/reminderLog.js';
import type { Store } from '../data/store/store.js';
import type { RetentionContext, RetentionCount } from './retentionRegistry.js';

/** Emails in the outbox folder are kept this many days, then removed (they may name people). */
export const OUTBOX_KEEP_DAYS = 30;

/** The outbox folder of .eml files beside the database (used when no mail server is configured). */
export function outboxDirFor(dbPath: string): string {
  return join(dirname(dbPath), 'outbox');
}

/**
 * The audit log keeps each data subject's personal fields sealed under a key of their own: once retention
 * has removed the subject's personal data from the records, destroying that key erases it from the log
 * too (and from every backup made afterwards), while the log's lines and hash chain stay as written.
 */
export async function destroyKeysOfErasedSubjects(store: Store): Promise<RetentionCount | null> {
  const erased: string[] = [];
  for (const h of store.list('hirers')) if (h.personalDataRemoved) erased.push(`hirers/${h.id}`);
  for (const b of store.list('bookings')) if (b.personalDataRemoved) erased.push(`bookings/${b.id}`);
  const destroyed = await store.destroySubjectKeys(erased);
  if (!destroyed) return null;
  return {
    collection: 'auditLog',
    describe: 'keys destroyed that sealed erased personal data in the audit log',
    redacted: destroyed,
    deleted: 0,
  };
}

/** Emails written to the outbox folder more than OUTBOX_KEEP_DAYS days before the run's date are removed. */
export async function removeOldOutboxEmails(
  store: Store,
  ctx: RetentionContext,
): Promise<RetentionCount | null> {
  const dir = outboxDirFor(store.path);
  if (!existsSync(dir)) return null;
  const before = addDays(ctx.asOf, -OUTBOX_KEEP_DAYS);
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.eml')) continue;
    const path = join(dir, name);
    if (londonDate(statSync(path).mtime) >= before) continue;
    unlinkSync(path);
    removed++;
  }
  if (!removed) return null;
  await store.transact('retention', (tx) =>
    tx.note('retention', 'outbox', '-', { emailsRemoved: removed, writtenBefore: before }),
  );
  return {
    collection: 'outbox',
    describe: `emails in the outbox folder older than ${OUTBOX_KEEP_DAYS} days`,
    redacted: 0,
    deleted: removed,
  };
}

/**
 * Lines of the reminder log (who was sent what) dated before the retention period are dropped: the
 * reminders they record are about items long past, so nothing can be sent twice because of it.
 */
export async function pruneReminderLog(store: Store, ctx: RetentionContext): Promise<RetentionCount | null> {
  const dropped =
    store instanceof PgStore ? await prunePgReminderLog(store, ctx) : await pruneReminderFile(store, ctx);
  if (!dropped) return null;
  await store.transact('retention', (tx) =>
    tx.note('retention', 'reminderLog', '-', { linesRemoved: dropped, datedBefore: ctx.keptFrom }),
  );
  return {
    collection: 'reminderLog',
    describe: 'reminder log lines from before the retention period',
    redacted: 0,
    deleted: dropped,
  };
}

/** The file beside the database, rewritten without the old lines; how many went. */
async function pruneReminderFile(store: Store, ctx: RetentionContext): Promise<number> {
  const path = reminderLogPathFor(store.path);
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const kept = lines.filter((line) => {
    try {
      const at = (JSON.parse(line) as { at?: unknown }).at;
      return typeof at !== 'string' || londonDate(new Date(at)) >= ctx.keptFrom;
    } catch {
      return true;
    }
  });
  const dropped = lines.length - kept.length;
  if (dropped) await writeDurably(path, kept.map((l) => `${l}\n`).join(''), 0o600);
  return dropped;
}

/** PostgreSQL's `reminder_log`: the same rule (the London date of each line), its sent keys going with it. */
async function prunePgReminderLog(store: PgStore, ctx: RetentionContext): Promise<number> {
  const gone = await store.pool.query(
    "DELETE FROM reminder_log WHERE (at AT TIME ZONE 'Europe/London')::date < $1::date",
    [ctx.keptFrom],
  );
  return gone.rowCount ?? 0;
}
