import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type CollectionName, collectionSchemas } from '../data/dbSchema.js';
import type { PgClient, PgPool } from '../data/pg/pgPool.js';
import { STORE_CHANNEL, STORE_WRITE_LOCK } from '../data/pg/pgStoreRows.js';
import { insertReminderLine, writeWholeStore } from '../data/pg/pgWholeStore.js';
import { putArchiveRow } from '../data/pg/pgArchives.js';
import {
  type ArchiveFile,
  ArchiveDamagedError,
  archiveText,
  checkArchive,
} from '../data/store/archiveFiles.js';
import { parseAuditText, verifyAuditChain } from '../data/store/auditLog.js';
import { sha256Hex } from '../data/store/evidenceFiles.js';
import { migrate } from '../data/store/migrations.js';
import type { ReminderLogEntry } from '../data/store/reminderLog.js';
import { validateRecord } from '../data/store/storeErrors.js';
import type { EvidenceSnapshot } from './backupEvidence.js';
import { BackupRefusedError, countsOf } from './backupFormat.js';
import { type BackupOptions, type BackupResult, writeBackup } from './backupJob.js';
import { readBackupFile } from './backupRead.js';
import { restoreEntry } from './restoreJob.js';

const COLLECTIONS = Object.keys(collectionSchemas) as CollectionName[];

/**
 * Backs up a PostgreSQL database in the file store's backup format (so either restores into either): the
 * records, settings, audit log, keys, reminder log and evidence files are all read in ONE repeatable-read
 * snapshot, so the backup is the database at one committed moment while the servers keep writing.
 */
export async function runPgBackup(
  pool: PgPool,
  dbPath: string,
  opts: BackupOptions = {},
): Promise<BackupResult> {
  const now = opts.now ?? (() => new Date());
  const client = await pool.connect();
  let staging: string | null = null;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const head = await client.query<{ audit_seq: string; audit_hash: string; schema_version: number }>(
      'SELECT audit_seq, audit_hash, schema_version FROM store_head WHERE id = 1',
    );
    const h = head.rows[0];
    if (!h)
      throw new BackupRefusedError('The PostgreSQL database holds no Due Regard data; no backup was taken');
    const auditHead = { seq: Number(h.audit_seq), hash: h.audit_hash };
    const lines = await client.query<{ line: string }>('SELECT line FROM audit_log ORDER BY seq');
    const audit = parseAuditText(lines.rows.map((r) => r.line).join('\n'));
    const chain = verifyAuditChain(audit, auditHead);
    if (!chain.ok)
      throw new BackupRefusedError(
        `The audit log does not verify (${chain.problem}); no backup was taken and the earlier backups are kept. Run "npx dueregard audit verify".`,
      );
    const db = await readDb(client, h.schema_version, auditHead);
    const keys = await client.query<{ subject: string; key: string }>(
      'SELECT subject, key FROM subject_keys',
    );
    const reminders = await client.query<{ entry: ReminderLogEntry }>(
      'SELECT entry FROM reminder_log ORDER BY id',
    );
    // Each evidence file written to a private staging folder from the same snapshot, checked against its record.
    staging = mkdtempSync(join(dirname(dbPath), '.pg-backup-evidence-'));
    const evidence = await snapshotPgEvidence(client, db, staging);
    const archives = await readPgArchives(client);
    await client.query('COMMIT');
    const cleanup = staging;
    staging = null;
    return await writeBackup(dbPath, opts, {
      createdAt: now().toISOString(),
      db,
      head: auditHead,
      audit,
      keys: keys.rows.map((k) => `${JSON.stringify({ s: k.subject, k: k.key })}\n`).join(''),
      reminderLog: reminders.rows.map((r) => r.entry),
      evidence: { ...evidence, close: () => rmSync(cleanup, { recursive: true, force: true }) },
      archives,
    });
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

/** Every year of the archives table in the backup's snapshot, checked; a damaged one refuses the backup. */
async function readPgArchives(client: PgClient): Promise<Record<string, ArchiveFile> | null> {
  const rows = await client.query<{ year: number; body: string; sha256: string }>(
    'SELECT year, body, sha256 FROM archives ORDER BY year',
  );
  if (rows.rows.length === 0) return null;
  const out: Record<string, ArchiveFile> = {};
  for (const r of rows.rows) {
    const label = `The archive of ${r.year} in PostgreSQL`;
    try {
      if (sha256Hex(Buffer.from(r.body, 'utf8')) !== r.sha256)
        throw new ArchiveDamagedError(`${label} is damaged: it does not match the hash recorded with it`);
      out[String(r.year)] = checkArchive(JSON.parse(r.body), label, r.year);
    } catch (err) {
      throw new BackupRefusedError(
        `${(err as Error).message}; no backup was taken and the earlier backups are kept`,
      );
    }
  }
  return out;
}

/** The database as the file store would hold it: settings, then each collection in creation order. */
async function readDb(
  client: PgClient,
  schemaVersion: number,
  head: { seq: number; hash: string },
): Promise<Record<string, unknown>> {
  const meta = await client.query<{ body: string }>('SELECT body FROM store_meta WHERE id = 1');
  const db: Record<string, unknown> = {
    schemaVersion,
    meta: { ...JSON.parse(meta.rows[0]?.body ?? '{}'), auditSeq: head.seq, auditHash: head.hash },
  };
  for (const c of COLLECTIONS) db[c] = [];
  const rows = await client.query<{ collection: string; body: string }>(
    'SELECT collection, body FROM records WHERE body IS NOT NULL ORDER BY pos',
  );
  for (const r of rows.rows) {
    const list = db[r.collection];
    if (Array.isArray(list)) list.push(JSON.parse(r.body));
  }
  return db;
}

async function snapshotPgEvidence(
  client: PgClient,
  db: Record<string, unknown>,
  staging: string,
): Promise<Omit<EvidenceSnapshot, 'close'>> {
  const records = (db.evidence as { id: string; size: number; sha256: string }[]) ?? [];
  const files: typeof records = [];
  const missing: { id: string; reason: string }[] = [];
  let bytes = 0;
  for (const r of records) {
    const row = await client.query<{ bytes: Buffer }>('SELECT bytes FROM evidence_files WHERE id = $1', [
      r.id,
    ]);
    const content = row.rows[0]?.bytes;
    if (!content)
      missing.push({ id: r.id, reason: 'the file is gone (removed while the backup ran, or lost)' });
    else if (content.length !== r.size || sha256Hex(content) !== r.sha256)
      missing.push({ id: r.id, reason: 'the file does not match the size and SHA-256 its record holds' });
    else {
      writeFileSync(join(staging, r.id), content, { mode: 0o600 });
      files.push(r);
      bytes += r.size;
    }
  }
  const gone = new Set(missing.map((m) => m.id));
  if (gone.size) db.evidence = records.filter((e) => !gone.has(e.id));
  return { files, missing, bytes, read: async (id) => readFileSync(join(staging, id)) };
}

export interface PgRestoreResult {
  backupCreatedAt: string;
  records: number;
  auditEntries: number;
  evidenceFiles: number;
  /** The backup taken of what was replaced, first. */
  replacedCopy: string | null;
}

/**
 * Restores a backup (from either store) into PostgreSQL: checked in full first (each evidence file against
 * its record, every record against its schema), then a backup of what it replaces is taken, then one
 * transaction replaces the records, settings, audit log (with a `restore` entry chained on), keys and
 * evidence. Emails once sent stay sent: the reminder log keeps its lines and gains the backup's. Refused
 * while any other instance is connected (they hold the old data in memory: stop them first).
 */
export async function restorePgBackup(
  pool: PgPool,
  dbPath: string,
  backupFile: string,
  opts: { actor?: string; now?: () => Date } = {},
): Promise<PgRestoreResult> {
  const now = opts.now ?? (() => new Date());
  const staging = mkdtempSync(join(dirname(dbPath), '.pg-restore-evidence-'));
  try {
    const evidence: string[] = [];
    const read = await readBackupFile(backupFile, basename(backupFile), (id, bytes) => {
      writeFileSync(join(staging, id), bytes, { mode: 0o600 });
      evidence.push(id);
    });
    const backup = read.envelope;
    let db: ReturnType<typeof migrate>['db'];
    try {
      db = migrate(structuredClone(backup.db)).db;
      for (const c of COLLECTIONS) for (const r of db[c] as unknown[]) validateRecord(c, r);
    } catch (err) {
      throw new BackupRefusedError(`${basename(backupFile)} cannot be restored: ${(err as Error).message}`);
    }
    await refuseWhileOthersConnected(pool);
    const hasData = await pool.query<{ rev: string }>('SELECT rev FROM store_head WHERE id = 1');
    const replacedCopy =
      Number(hasData.rows[0]?.rev ?? 0) > 0 ? (await runPgBackup(pool, dbPath, { keep: 1000 })).file : null;
    const at = now();
    const note = restoreEntry(backup, {
      actor: opts.actor ?? 'cli',
      at,
      recordId: 'postgresql',
      backupFile,
      evidenceFiles: read.evidenceFiles,
      replacedCopy,
    });
    const audit = [...backup.audit, note];
    db.meta = { ...db.meta, auditSeq: note.seq, auditHash: note.hash };
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [STORE_WRITE_LOCK]);
      const rev =
        Number((await client.query<{ rev: string }>('SELECT rev FROM store_head')).rows[0]?.rev ?? 0) + 1;
      await client.query(
        'DELETE FROM records; DELETE FROM audit_log; DELETE FROM subject_keys; DELETE FROM store_meta',
      );
      await client.query('DELETE FROM evidence_files');
      // The archives as the backup holds them, replacing the table's (each instance's copy follows it).
      await client.query('DELETE FROM archives');
      for (const [year, file] of Object.entries(backup.archives ?? {}))
        await putArchiveRow(
          client,
          Number(year),
          archiveText(dbPath, Number(year), file.records, file.writtenAt),
        );
      const keys = (backup.keys ?? '')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as { s: string; k: string });
      await writeWholeStore(client, {
        rev,
        records: COLLECTIONS.flatMap((c) =>
          (db[c] as { id: string }[]).map((r) => ({ collection: c, id: r.id, body: JSON.stringify(r) })),
        ),
        audit: audit.map((e) => ({ seq: e.seq, line: JSON.stringify(e) })),
        keys: keys.map((k) => ({ subject: k.s, key: k.k })),
        meta: JSON.stringify(db.meta),
        head: { seq: note.seq, hash: note.hash },
        schemaVersion: db.schemaVersion,
        evidence: evidence.map((id) => {
          const bytes = readFileSync(join(staging, id));
          return { id, bytes, sha256: sha256Hex(bytes) };
        }),
      });
      // Emails once sent stay sent: the lines there are kept, the backup's added where missing.
      for (const e of backup.reminderLog ?? []) await insertReminderLine(client, e, { unlessPresent: true });
      await client.query('SELECT pg_notify($1, $2)', [STORE_CHANNEL, String(rev)]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    return {
      backupCreatedAt: backup.createdAt,
      records: Object.values(countsOf(backup.db)).reduce((a, b) => a + b, 0),
      auditEntries: audit.length,
      evidenceFiles: read.evidenceFiles,
      replacedCopy,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Other Due Regard instances hold the data in memory; a restore under them would be undone by their writes. */
async function refuseWhileOthersConnected(pool: PgPool): Promise<void> {
  const others = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name IN ('due-regard', 'due-regard listener')`,
  );
  if ((others.rows[0]?.n ?? 0) > 0)
    throw new BackupRefusedError(
      'Due Regard servers are still connected to the PostgreSQL database; stop them all before restoring',
    );
}
