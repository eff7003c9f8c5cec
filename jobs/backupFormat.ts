import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { AuditEntry } from '../data/store/auditLog.js';
import type { ArchiveFile } from '../data/store/archiveFiles.js';
import type { ReminderLogEntry } from '../data/store/reminderLog.js';
import type { EvidenceEntry } from './backupEvidence.js';

/**
 * A backup is ONE gzip-compressed JSON file holding the database, its audit log and its evidence files
 * as they were at one moment:
 *
 *   { "format": "dueregard-backup", "version": 2, "createdAt": ISO instant, "database": "dueregard.json",
 *     "schemaVersion": 1, "auditHead": { "seq", "hash" }, "counts": { collection: records },
 *     "dbSha256": sha256 of JSON.stringify(db), "db": { …the database… }, "audit": [ …entries 1..seq… ],
 *     "archives": { "2024": { …that year's archive file, with its own checksum… } },
 *     "evidence": { "files", "bytes", "missing": [{ "id", "reason" }] },
 *     "reminderLog": [ …the reminder log's entries: what was sent… ],
 *     "evidenceFiles": [
 *       { "id", "sha256", "size", "base64" },   ← one file per line (see backupEvidence.ts)
 *     ] }
 *
 * `archives` (the per-year files of past bookings, see archiveFiles.ts) is there once the database has any.
 *
 * Named `<db name>-backup-<UTC stamp>.json.gz` in `backups/` beside the database, mode 0600 (it holds
 * personal data). `zcat FILE | jq` reads one by hand. Version 1 backups (no evidence) still restore.
 */
export const BACKUP_FORMAT = 'dueregard-backup';
export const BACKUP_VERSION = 2;
export const READABLE_VERSIONS = new Set([1, 2]);
export const DEFAULT_KEEP = 30;

export interface BackupEnvelope {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  database: string;
  schemaVersion: number;
  auditHead: { seq: number; hash: string };
  counts: Record<string, number>;
  dbSha256: string;
  db: Record<string, unknown>;
  audit: AuditEntry[];
  /** The archive files of past bookings, by year; absent when there are none. */
  archives?: Record<string, ArchiveFile>;
  /** What the evidence files hold; files whose record is in `db` but not their file are left out of `db`. */
  evidence?: { files: number; bytes: number; missing: { id: string; reason: string }[] };
  evidenceFiles?: EvidenceEntry[];
  /**
   * The keys that open the personal fields sealed in `audit` (the key file's lines, see subjectKeys.ts).
   * Keys retention destroyed before the backup are not in it; absent in backups made before sealing.
   */
  keys?: string;
  /** The reminder log (emails sent); absent in backups taken before it was carried. */
  reminderLog?: ReminderLogEntry[];
}

/** A backup or restore refused for a stated reason; nothing was changed. The CLI answers exit 1. */
export class BackupRefusedError extends Error {
  readonly refused = true;
}

export function defaultBackupDir(dbPath: string): string {
  return join(dirname(dbPath), 'backups');
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const baseName = (dbPath: string) => basename(dbPath).replace(/\.json$/i, '');
export const stampOf = (d: Date) => d.toISOString().replace(/[-:.]/g, '');

export function countsOf(db: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(db)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => [k, (v as unknown[]).length]),
  );
}

export function archivedRecords(archives: Record<string, ArchiveFile> | null | undefined): number {
  let n = 0;
  for (const a of Object.values(archives ?? {})) n += Object.values(a.counts).reduce((x, y) => x + y, 0);
  return n;
}

/** The member the evidence files follow, ending the envelope's first line. */
export const EVIDENCE_MEMBER = '"evidenceFiles":[';
