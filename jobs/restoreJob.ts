import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { archivePathFor, archiveYears } from '../data/store/archiveFiles.js';
import { type AuditEntry, chainEntry } from '../data/store/auditLog.js';
import { fsyncFolder } from '../data/store/durableJsonFile.js';
import { EvidenceFolder } from '../data/store/evidenceFiles.js';
import { migrate } from '../data/store/migrations.js';
import {
  commitRestore,
  discardStagedRestore,
  finishPendingRestore,
  restorePaths,
  stageRestore,
  stageRestoreEvidence,
} from '../data/store/restoreSwap.js';
import { Store } from '../data/store/store.js';
import { WriterLock } from '../data/store/writerLock.js';
import {
  archivedRecords,
  type BackupEnvelope,
  BackupRefusedError,
  baseName,
  countsOf,
  defaultBackupDir,
  stampOf,
} from './backupFormat.js';
import { readBackupFile } from './backupRead.js';
import { restoreReminderLog } from './backupReminders.js';

export interface RestoreOptions {
  actor?: string;
  now?: () => Date;
}

export interface RestoreResult {
  backupCreatedAt: string;
  records: number;
  auditEntries: number;
  evidenceFiles: number;
  /**
   * Folder holding copies of the database and audit log that were replaced, and the evidence folder
   * that was (null if there were none).
   */
  replacedCopy: string | null;
}

/**
 * Replaces the database, its audit log and its evidence files with a backup's. Takes the writer lock first
 * (DatabaseLockedError while the server runs), checks the backup fully (each evidence file against its
 * record) and loads its database before touching anything, keeps copies of the files it replaces (and the
 * evidence folder), swaps them in as one step (see restoreSwap.ts) and adds a `restore` entry to the
 * restored log. A refused restore leaves the database byte-for-byte as it was.
 */
export async function restoreBackup(
  dbPath: string,
  backupFile: string,
  opts: RestoreOptions = {},
): Promise<RestoreResult> {
  const now = opts.now ?? (() => new Date());
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  const lock = new WriterLock(dbPath);
  await lock.acquire(dbPath);
  try {
    finishPendingRestore(dbPath);
    // The evidence files are written into a staging folder as the backup is read and checked.
    const staged = new EvidenceFolder(stageRestoreEvidence(dbPath));
    let read: Awaited<ReturnType<typeof readBackupFile>>;
    try {
      read = await readBackupFile(backupFile, basename(backupFile), (id, bytes) =>
        staged.writeSync(id, bytes),
      );
    } catch (err) {
      discardStagedRestore(dbPath);
      throw err;
    }
    const backup = read.envelope;

    const at = now();
    const paths = restorePaths(dbPath);
    const replacing = [
      paths.db,
      paths.audit,
      paths.keys,
      ...archiveYears(dbPath).map((y) => archivePathFor(dbPath, y)),
    ].filter((f) => existsSync(f));
    const replacedCopy =
      replacing.length || existsSync(paths.evidence)
        ? join(defaultBackupDir(dbPath), `replaced-${baseName(dbPath)}-${stampOf(at)}`)
        : null;

    const { db } = migrate(structuredClone(backup.db));
    const note = restoreEntry(backup, {
      actor: opts.actor ?? 'cli',
      at,
      recordId: basename(dbPath),
      backupFile,
      evidenceFiles: read.evidenceFiles,
      replacedCopy,
    });
    const audit = [...backup.audit, note];
    const auditText = audit.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const archiveTexts = new Map(
      Object.entries(backup.archives ?? {}).map(([y, a]) => [Number(y), JSON.stringify(a)] as const),
    );
    db.meta = {
      ...db.meta,
      auditSeq: note.seq,
      auditHash: note.hash,
      auditOffset: Buffer.byteLength(auditText),
    };

    try {
      await stageRestore(dbPath, JSON.stringify(db), auditText, archiveTexts, backup.keys ?? null);
      // The staged database must load exactly as the server will load it.
      await Store.open(paths.newDb, { write: false });
    } catch (err) {
      discardStagedRestore(dbPath);
      if (err instanceof BackupRefusedError) throw err;
      throw new BackupRefusedError(
        `${basename(backupFile)} cannot be restored: its database does not load (${(err as Error).message})`,
      );
    }

    if (replacedCopy) {
      mkdirSync(replacedCopy, { recursive: true, mode: 0o700 });
      for (const f of replacing) copyDurably(f, join(replacedCopy, basename(f)));
      fsyncFolder(replacedCopy);
    }
    // Emails once sent stay sent: added before the swap, so an interrupted restore sends nothing twice either.
    await restoreReminderLog(dbPath, backup.reminderLog ?? []);
    // The evidence folder it replaces is moved (not copied) beside those copies as part of the swap.
    await commitRestore(dbPath, [...archiveTexts.keys()], {
      evidenceReplacedTo: replacedCopy ? join(replacedCopy, basename(paths.evidence)) : undefined,
    });
    return {
      backupCreatedAt: backup.createdAt,
      records:
        Object.values(countsOf(backup.db)).reduce((a, b) => a + b, 0) + archivedRecords(backup.archives),
      auditEntries: audit.length,
      evidenceFiles: read.evidenceFiles,
      replacedCopy,
    };
  } finally {
    lock.release();
  }
}

function copyDurably(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, 0o600);
  const fd = openSync(to, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The `restore` entry chained onto a restored audit log (either store): which backup, what it restored. */
export function restoreEntry(
  backup: BackupEnvelope,
  r: {
    actor: string;
    at: Date;
    recordId: string;
    backupFile: string;
    evidenceFiles: number;
    replacedCopy: string | null;
  },
): AuditEntry {
  const head = backup.audit.at(-1);
  return chainEntry(
    {
      at: r.at.toISOString(),
      actor: r.actor,
      action: 'restore',
      collection: 'database',
      recordId: r.recordId,
      before: null,
      after: {
        backup: basename(r.backupFile),
        backupCreatedAt: backup.createdAt,
        auditEntriesRestored: backup.audit.length,
        evidenceFilesRestored: r.evidenceFiles,
        replacedCopy: r.replacedCopy,
      },
    },
    (head?.seq ?? 0) + 1,
    head?.hash ?? '',
  );
}
