import { parseAuditText } from '../store/auditLog.js';
import type { AuditSource } from '../store/auditSource.js';
import type { PgClient } from './pgPool.js';

/** The one row every write updates (see migrations/100_store.ts). */
export interface PgHead {
  rev: number;
  auditSeq: number;
  auditHash: string;
  keysRev: number;
  schemaVersion: number;
}

export interface RecordRow {
  collection: string;
  id: string;
  /** The record's JSON, or null once it was deleted (or moved to an archive). */
  body: string | null;
}

/** What changed after one revision up to the head: records, settings and keys, and whether keys were destroyed. */
export interface PgChanges {
  head: PgHead;
  records: RecordRow[];
  meta: string | null;
  keys: { subject: string; key: string }[];
  /** Every subject that still has a key, when keys were destroyed meanwhile (else null). */
  keptSubjects: Set<string> | null;
}

/** One committed change, as PgStore writes it in its transaction. */
export interface PgWrite {
  rev: number;
  records: RecordRow[];
  audit: { seq: number; line: string }[];
  keys: { subject: string; key: string }[];
  meta: string | null;
  auditSeq: number;
  auditHash: string;
}

/** Channel every instance LISTENs on; the payload is the new revision. */
export const STORE_CHANNEL = 'dueregard_store';
/** Advisory lock key every writer takes for its transaction, so writes are serialised across instances. */
export const STORE_WRITE_LOCK = 0x44520100;

const HEAD_SQL = 'SELECT rev, audit_seq, audit_hash, keys_rev, schema_version FROM store_head WHERE id = 1';

interface HeadRow {
  rev: string;
  audit_seq: string;
  audit_hash: string;
  keys_rev: string;
  schema_version: number;
}

function headOf(row: HeadRow | undefined): PgHead {
  if (!row) throw new Error('The PostgreSQL database has no store head: its schema steps were not applied');
  return {
    rev: Number(row.rev),
    auditSeq: Number(row.audit_seq),
    auditHash: row.audit_hash,
    keysRev: Number(row.keys_rev),
    schemaVersion: row.schema_version,
  };
}

/**
 * Opens a transaction: a writer's (`write`: it waits for the store's advisory lock, so writers of every
 * instance take turns) or a reader's consistent snapshot. One round trip; returns the head it sees.
 */
export async function begin(client: PgClient, kind: 'write' | 'read'): Promise<PgHead> {
  const start =
    kind === 'write'
      ? `BEGIN; SELECT pg_advisory_xact_lock(${STORE_WRITE_LOCK});`
      : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;';
  const results = (await client.query(`${start} ${HEAD_SQL}`)) as unknown as { rows: HeadRow[] }[];
  return headOf(results.at(-1)?.rows[0]);
}

/**
 * The changes committed after revision `from`, up to `head` (read in the same snapshot or under the write
 * lock, so nothing past the head is half seen). Records come in the order they were created.
 */
export async function readChanges(client: PgClient, from: number, head: PgHead): Promise<PgChanges> {
  const records = await client.query<RecordRow>(
    'SELECT collection, id, body FROM records WHERE rev > $1 AND rev <= $2 ORDER BY pos',
    [from, head.rev],
  );
  const meta = await client.query<{ body: string }>(
    'SELECT body FROM store_meta WHERE id = 1 AND rev > $1 AND rev <= $2',
    [from, head.rev],
  );
  const keys = await client.query<{ subject: string; key: string }>(
    'SELECT subject, key FROM subject_keys WHERE rev > $1 AND rev <= $2',
    [from, head.rev],
  );
  let keptSubjects: Set<string> | null = null;
  if (head.keysRev > from) {
    const all = await client.query<{ subject: string }>('SELECT subject FROM subject_keys');
    keptSubjects = new Set(all.rows.map((r) => r.subject));
  }
  return { head, records: records.rows, meta: meta.rows[0]?.body ?? null, keys: keys.rows, keptSubjects };
}

/**
 * Writes one change inside the caller's transaction (which holds STORE_WRITE_LOCK) and notifies the others:
 * one statement, so one round trip, whatever the change holds.
 */
export async function writeChange(client: PgClient, w: PgWrite): Promise<void> {
  await client.query(
    `WITH
       r AS (INSERT INTO records (collection, id, rev, body)
             SELECT c, i, $1, b FROM unnest($2::text[], $3::text[], $4::text[]) AS t(c, i, b)
             ON CONFLICT (collection, id) DO UPDATE SET rev = EXCLUDED.rev, body = EXCLUDED.body),
       a AS (INSERT INTO audit_log (seq, rev, line)
             SELECT s, $1, l FROM unnest($5::bigint[], $6::text[]) AS t(s, l)),
       k AS (INSERT INTO subject_keys (subject, key, rev)
             SELECT s, k, $1 FROM unnest($7::text[], $8::text[]) AS t(s, k) ON CONFLICT (subject) DO NOTHING),
       m AS (INSERT INTO store_meta (id, rev, body) SELECT 1, $1, $9::text WHERE $9::text IS NOT NULL
             ON CONFLICT (id) DO UPDATE SET rev = EXCLUDED.rev, body = EXCLUDED.body),
       h AS (UPDATE store_head SET rev = $1, audit_seq = $10, audit_hash = $11 WHERE id = 1)
     SELECT pg_notify($12, $1::text)`,
    [
      w.rev,
      w.records.map((r) => r.collection),
      w.records.map((r) => r.id),
      w.records.map((r) => r.body),
      w.audit.map((a) => a.seq),
      w.audit.map((a) => a.line),
      w.keys.map((k) => k.subject),
      w.keys.map((k) => k.key),
      w.meta,
      w.auditSeq,
      w.auditHash,
      STORE_CHANNEL,
    ],
  );
  // The notification is delivered to every listener when (and only if) the transaction commits.
}

/** Destroys keys inside the caller's transaction (holding the write lock): a change of its own. */
export async function destroyKeys(client: PgClient, rev: number, subjects: string[]): Promise<number> {
  const res = await client.query('DELETE FROM subject_keys WHERE subject = ANY($1::text[])', [subjects]);
  await client.query('UPDATE store_head SET rev = $1, keys_rev = $1 WHERE id = 1', [rev]);
  await client.query('SELECT pg_notify($1, $2)', [STORE_CHANNEL, String(rev)]);
  return res.rowCount ?? 0;
}

/** The audit log's lines in order, from entry `after + 1` (at most `limit`). */
export async function readAuditLines(
  client: { query: PgClient['query'] },
  after: number,
  limit: number,
): Promise<{ seq: number; line: string }[]> {
  const res = await client.query<{ seq: string; line: string }>(
    'SELECT seq, line FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2',
    [after, limit],
  );
  return res.rows.map((r) => ({ seq: Number(r.seq), line: r.line }));
}

/** The `audit_log` table as an AuditSource: entry numbers are the cursor and where each line is read again. */
export function pgAuditSource(pool: { query: PgClient['query'] }): AuditSource {
  return {
    async linesAfter(cursor) {
      const head = await pool.query<{ n: string | null }>('SELECT max(seq) AS n FROM audit_log');
      const last = Number(head.rows[0]?.n ?? 0);
      const restarted = last < cursor;
      const from = restarted ? 0 : cursor;
      const res = await pool.query<{ seq: string; line: string }>(
        'SELECT seq, line FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq',
        [from, last],
      );
      const lines = res.rows.map((r) => ({ text: r.line, at: Number(r.seq), length: 0 }));
      return { lines, cursor: Math.max(from, last), restarted };
    },
    async linesAt(rows) {
      if (rows.length === 0) return [];
      const res = await pool.query<{ seq: string; line: string }>(
        'SELECT seq, line FROM audit_log WHERE seq = ANY($1::bigint[])',
        [rows.map((r) => r.at)],
      );
      const bySeq = new Map(res.rows.map((r) => [Number(r.seq), r.line]));
      return rows.map((r) => bySeq.get(r.at) ?? 'null');
    },
    async readAll() {
      const res = await pool.query<{ line: string }>('SELECT line FROM audit_log ORDER BY seq');
      return parseAuditText(res.rows.map((r) => `${r.line}\n`).join(''));
    },
  };
}
