import type { ReminderLogEntry } from '../store/reminderLog.js';
import type { PgClient } from './pgPool.js';

/** A whole database written at one revision: what `move-to-postgres` and `restore` put in place. */
export interface WholeStore {
  rev: number;
  /** In creation order: `pos` keeps it. */
  records: { collection: string; id: string; body: string }[];
  audit: { seq: number; line: string }[];
  keys: { subject: string; key: string }[];
  meta: string;
  head: { seq: number; hash: string };
  schemaVersion: number;
  evidence: { id: string; bytes: Buffer; sha256: string }[];
}

/** Rows go in batches: one statement per few thousand rows, not one per row. */
const BATCH = 2000;

async function inBatches<T>(
  rows: readonly T[],
  write: (batch: readonly T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
}

/**
 * Writes every record, audit line, key, the settings, the head and the evidence files, inside the caller's
 * transaction, into tables the caller has emptied (or found empty). `keys_rev` is set too, so an instance
 * that held other keys forgets them.
 */
export async function writeWholeStore(client: PgClient, w: WholeStore): Promise<void> {
  await inBatches(w.records, (b) =>
    client.query(
      `INSERT INTO records (collection, id, rev, body)
       SELECT c, i, $4, b FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(c, i, b, n) ORDER BY n`,
      [b.map((r) => r.collection), b.map((r) => r.id), b.map((r) => r.body), w.rev],
    ),
  );
  await inBatches(w.audit, (b) =>
    client.query(
      'INSERT INTO audit_log (seq, rev, line) SELECT s, $3, l FROM unnest($1::bigint[], $2::text[]) AS t(s, l)',
      [b.map((a) => a.seq), b.map((a) => a.line), w.rev],
    ),
  );
  await inBatches(w.keys, (b) =>
    client.query(
      `INSERT INTO subject_keys (subject, key, rev)
       SELECT s, k, $3 FROM unnest($1::text[], $2::text[]) AS t(s, k) ON CONFLICT DO NOTHING`,
      [b.map((k) => k.subject), b.map((k) => k.key), w.rev],
    ),
  );
  await client.query('INSERT INTO store_meta (id, rev, body) VALUES (1, $1, $2)', [w.rev, w.meta]);
  await client.query(
    `UPDATE store_head SET rev = $1, audit_seq = $2, audit_hash = $3, keys_rev = $1, schema_version = $4
     WHERE id = 1`,
    [w.rev, w.head.seq, w.head.hash, w.schemaVersion],
  );
  for (const e of w.evidence)
    await client.query('INSERT INTO evidence_files (id, bytes, size, sha256) VALUES ($1, $2, $3, $4)', [
      e.id,
      e.bytes,
      e.bytes.length,
      e.sha256,
    ]);
}

/**
 * Adds one reminder log line inside the caller's transaction, and for a sent one each reminder's once-only
 * key (a key already held stays). With `unlessPresent`, a line equal to one already there is not added
 * again (a restore adds the backup's lines to those kept). Returns the new line's id, or null.
 */
export async function insertReminderLine(
  client: Pick<PgClient, 'query'>,
  entry: ReminderLogEntry,
  opts: { unlessPresent?: boolean } = {},
): Promise<number | null> {
  const json = JSON.stringify(entry);
  const added = await client.query<{ id: string }>(
    opts.unlessPresent
      ? `INSERT INTO reminder_log (at, status, recipient, entry)
         SELECT $1, $2, $3, $4::jsonb WHERE NOT EXISTS (SELECT 1 FROM reminder_log WHERE entry = $4::jsonb)
         RETURNING id`
      : 'INSERT INTO reminder_log (at, status, recipient, entry) VALUES ($1, $2, $3, $4) RETURNING id',
    [entry.at, entry.status, entry.to.toLowerCase(), json],
  );
  const id = added.rows[0]?.id;
  if (id === undefined) return null;
  if (entry.status === 'sent')
    for (const r of entry.reminders)
      await client.query(
        `INSERT INTO reminder_sent (item_key, stage, recipient, log_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [r.itemKey, r.stage, entry.to.toLowerCase(), id],
      );
  return Number(id);
}
