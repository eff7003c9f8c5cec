import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { createGzip } from 'node:zlib';
import { PgStore } from '../data/pg/pgStore.js';
import { type AuditEntry, auditPathFor, parseAuditText, verifyAuditChain } from '../data/store/auditLog.js';
import type { ReminderLogEntry } from '../data/store/reminderLog.js';
import {
  ArchiveDamagedError,
  type ArchiveFile,
  archiveYears,
  readArchiveFile,
} from '../data/store/archiveFiles.js';
import { fsyncFolder, writeStreamDurably } from '../data/store/durableJsonFile.js';
import { reminderLogForBackup } from './backupReminders.js';
import { runPgBackup } from './pgBackup.js';
import { Store } from '../data/store/store.js';
import { processIsAlive } from '../data/store/writerLock.js';
import {
  type EvidenceSnapshot,
  evidenceLines,
  evidenceRecordsOf,
  snapshotEvidence,
} from './backupEvidence.js';
import {
  archivedRecords,
  BACKUP_FORMAT,
  BACKUP_VERSION,
  type BackupEnvelope,
  BackupRefusedError,
  baseName,
  countsOf,
  DEFAULT_KEEP,
  defaultBackupDir,
  EVIDENCE_MEMBER,
  sha256,
  stampOf,
} from './backupFormat.js';

// The backup's format, reading and restoring live beside this file; callers import them from here too.
export {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  type BackupEnvelope,
  BackupRefusedError,
  DEFAULT_KEEP,
  defaultBackupDir,
} from './backupFormat.js';
export { readBackup, readBackupFile } from './backupRead.js';
export { type RestoreOptions, type RestoreResult, restoreBackup } from './restoreJob.js';

/**
 * What a backup reads: the server's own store (which may be writing), or just the database's path (opened
 * read-only, replaying what the log holds past the database file).
 */
export type BackupSource = Store | { path: string };

export interface BackupOptions {
  /** Folder for backups (default `backups/` beside the database). */
  dir?: string;
  /** How many backups of this database to keep, newest first (default 30). */
  keep?: number;
  now?: () => Date;
}

/** A backup made before retention erased personal data still holds it: removed this many days after. */
export const ERASED_BACKUP_KEEP_DAYS = 30;

export interface BackupHoldingErased {
  file: string;
  createdAt: string;
  /** When retention first erased personal data this backup still holds. */
  erasedSince: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  records: number;
  auditEntries: number;
  createdAt: string;
  /** Older backups removed to keep the newest `keep`, or holding personal data erased too long ago. */
  removed: string[];
  /** Older backups kept that still hold personal data retention erased since they were made. */
  holdingErased: BackupHoldingErased[];
  evidenceFiles: number;
  /** Evidence records left out because their file was gone or damaged (with why). */
  evidenceMissing: { id: string; reason: string }[];
}

function backupPattern(dbPath: string): RegExp {
  const base = baseName(dbPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${base}-backup-(\\d{8}T\\d{9}Z)(?:-(\\d+))?\\.json\\.gz$`);
}

/**
 * Removes the temp files of backups killed part-way (they hold personal data, and nothing else would ever
 * remove them), unless the process writing one still runs. Run at start-up and by every backup.
 */
export function sweepBackupTemps(dbPath: string, dir = defaultBackupDir(dbPath)): number {
  if (!existsSync(dir)) return 0;
  const base = baseName(dbPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const temp = new RegExp(`^\\.${base}-backup-\\d{8}T\\d{9}Z(?:-\\d+)?\\.json\\.gz\\.(\\d+)\\.tmp$`);
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const pid = Number(temp.exec(name)?.[1] ?? 0);
    if (!pid || processIsAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

/** The backups of this database in `dir`, oldest first. */
export function listBackups(dbPath: string, dir = defaultBackupDir(dbPath)): string[] {
  if (!existsSync(dir)) return [];
  const pattern = backupPattern(dbPath);
  // Ordered by time, then by the -2, -3 suffix of backups taken in the same millisecond.
  const key = (m: RegExpExecArray) => `${m[1]}-${(m[2] ?? '1').padStart(6, '0')}`;
  return readdirSync(dir)
    .map((f) => pattern.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .map((m) => join(dir, m[0]));
}

/**
 * Takes a consistent backup and keeps the newest `keep`. Never writes the database, so it runs beside the
 * server. The audit log is the journal and the database file a snapshot that may lag it, so the backup holds
 * the database as of the last logged change (the store replays the log onto the file) and the log up to
 * that change. The chain is verified against that head; a broken chain refuses the backup (earlier ones are
 * kept), since a restore would refuse it anyway.
 */
export async function runBackup(source: BackupSource, opts: BackupOptions = {}): Promise<BackupResult> {
  const dbPath = source.path;
  const now = opts.now ?? (() => new Date());
  const keep = opts.keep ?? DEFAULT_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new BackupRefusedError('Keep at least one backup');
  // PostgreSQL: one consistent snapshot of the database (see pgBackup.ts), written in the same format.
  if (source instanceof PgStore) return runPgBackup(source.pool, dbPath, opts);
  let store: Store;
  if (source instanceof Store) {
    store = source;
  } else {
    try {
      store = await Store.open(dbPath, { write: false, validateOnLoad: false });
    } catch (err) {
      throw new BackupRefusedError(`${(err as Error).message.replace(/\.$/, '')}; no backup was taken`);
    }
  }
  // The whole log must verify, the part past the database file too: a backup without it would miss changes.
  if (store.logDamage)
    throw new BackupRefusedError(
      `The audit log cannot be replayed onto the database (${store.logDamage}); no backup was taken and the earlier backups are kept. Run "npx dueregard audit verify".`,
    );
  const copy = await store.copyForBackup();
  const auditPath = auditPathFor(dbPath);
  const auditText = existsSync(auditPath) ? readPrefix(auditPath, copy.logBytes) : '';
  const createdAt = now().toISOString();

  const db = JSON.parse(copy.dbText) as Record<string, unknown>;
  const head = copy.head;
  const audit = parseAuditText(auditText).slice(0, head.seq);
  const chain = verifyAuditChain(audit, head);
  if (!chain.ok) {
    throw new BackupRefusedError(
      `The audit log does not verify (${chain.problem}); no backup was taken and the earlier backups are kept. Run "npx dueregard audit verify".`,
    );
  }
  // The evidence files are pinned first; a record whose file is gone (removed meanwhile) is left out.
  const evidence = snapshotEvidence(dbPath, [...evidenceRecordsOf(db).values()]);
  return writeBackup(dbPath, opts, {
    createdAt,
    db,
    head,
    audit,
    keys: store.keys.text(),
    reminderLog: reminderLogForBackup(dbPath),
    evidence,
  });
}

/** What a backup holds, gathered from either store; `evidence` is closed once written. */
export interface BackupParts {
  createdAt: string;
  db: Record<string, unknown>;
  head: { seq: number; hash: string };
  audit: AuditEntry[];
  keys: string;
  reminderLog: ReminderLogEntry[];
  evidence: EvidenceSnapshot;
  /** The archives, when the store keeps them itself (PostgreSQL, same snapshot); else the files are read. */
  archives?: Record<string, ArchiveFile> | null;
}

/**
 * Writes the backup file from its parts (one format whichever store they came from, so a backup of either
 * restores into either), with the archive files beside the database, then keeps the newest `keep`.
 */
export async function writeBackup(
  dbPath: string,
  opts: BackupOptions,
  parts: BackupParts,
): Promise<BackupResult> {
  const { createdAt, db, head, audit, evidence } = parts;
  const keep = opts.keep ?? DEFAULT_KEEP;
  // Read after the database: a booking moved meanwhile is then in one or the other, never in neither.
  let archives: Record<string, ArchiveFile> | null;
  try {
    archives = parts.archives !== undefined ? parts.archives : readArchivesForBackup(dbPath);
  } catch (err) {
    evidence.close();
    throw err;
  }
  const dir = opts.dir ?? defaultBackupDir(dbPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  sweepBackupTemps(dbPath, dir);
  let file = join(dir, `${baseName(dbPath)}-backup-${stampOf(new Date(createdAt))}.json.gz`);
  for (let n = 2; existsSync(file); n++) {
    file = join(dir, `${baseName(dbPath)}-backup-${stampOf(new Date(createdAt))}-${n}.json.gz`);
  }

  let counts: Record<string, number>;
  try {
    const gone = new Set(evidence.missing.map((m) => m.id));
    if (gone.size > 0) db.evidence = (db.evidence as { id: string }[]).filter((e) => !gone.has(e.id));
    counts = countsOf(db);
    const envelope: BackupEnvelope = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt,
      database: basename(dbPath),
      schemaVersion: typeof db.schemaVersion === 'number' ? db.schemaVersion : 0,
      auditHead: head,
      counts,
      dbSha256: sha256(JSON.stringify(db)),
      db,
      audit,
      ...(archives ? { archives } : {}),
      keys: parts.keys,
      evidence: { files: evidence.files.length, bytes: evidence.bytes, missing: evidence.missing },
      reminderLog: parts.reminderLog,
    };
    await writeStreamDurably(file, backupText(JSON.stringify(envelope), evidence), createGzip(), 0o600);
  } finally {
    evidence.close();
  }

  const all = listBackups(dbPath, dir);
  const erasures = ((db.meta as { keysDestroyedAt?: string[] } | undefined)?.keysDestroyedAt ?? [])
    .slice()
    .sort();
  const holding = backupsHoldingErased(all, erasures);
  // Retention reaches backups too: one still holding data erased over ERASED_BACKUP_KEEP_DAYS ago goes.
  const tooLong = new Date(
    new Date(createdAt).getTime() - ERASED_BACKUP_KEEP_DAYS * 86_400_000,
  ).toISOString();
  const removed = [
    ...new Set([
      ...all.slice(0, Math.max(0, all.length - keep)),
      ...holding.filter((h) => h.erasedSince < tooLong && h.file !== file).map((h) => h.file),
    ]),
  ];
  for (const old of removed) unlinkSync(old);
  if (removed.length) fsyncFolder(dir);
  return {
    file,
    bytes: statSync(file).size,
    records: Object.values(counts).reduce((a, b) => a + b, 0) + archivedRecords(archives),
    auditEntries: audit.length,
    createdAt,
    removed,
    holdingErased: holding.filter((h) => !removed.includes(h.file)),
    evidenceFiles: evidence.files.length,
    evidenceMissing: evidence.missing,
  };
}

/** When a backup was made, from its name (`…-backup-20261207T021531269Z.json.gz`). */
function createdAtOf(file: string): string | null {
  const m = /-backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(basename(file));
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : null;
}

/** The backups made before a retention run that erased personal data, with the first such run after each. */
export function backupsHoldingErased(
  files: readonly string[],
  erasures: readonly string[],
): BackupHoldingErased[] {
  const out: BackupHoldingErased[] = [];
  for (const file of files) {
    const createdAt = createdAtOf(file);
    if (!createdAt) continue;
    const erasedSince = erasures.find((e) => e > createdAt);
    if (erasedSince) out.push({ file, createdAt, erasedSince });
  }
  return out;
}

/** Every archive file beside the database, checked; a damaged one refuses the backup. */

function readArchivesForBackup(dbPath: string): Record<string, ArchiveFile> | null {
  const years = archiveYears(dbPath);
  if (years.length === 0) return null;
  const out: Record<string, ArchiveFile> = {};
  for (const y of years) {
    try {
      const file = readArchiveFile(dbPath, y);
      if (file) out[String(y)] = file;
    } catch (err) {
      if (!(err instanceof ArchiveDamagedError)) throw err;
      throw new BackupRefusedError(
        `${err.message.replace(/ Restore it from a backup\.$/, '')}; no backup was taken and the earlier backups are kept`,
      );
    }
  }
  return out;
}

/** The backup's text: the envelope (first line) with its `evidenceFiles` member filled a line per file. */
async function* backupText(envelopeJson: string, evidence: EvidenceSnapshot): AsyncGenerator<string> {
  yield `${envelopeJson.slice(0, -1)},${EVIDENCE_MEMBER}`;
  yield* evidenceLines(evidence);
  yield '\n]}\n';
}

/** The first `bytes` bytes of a file (the log grows while the server writes; later lines are not ours). */
function readPrefix(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    let got = 0;
    while (got < bytes) {
      const n = readSync(fd, buf, got, bytes - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.toString('utf8', 0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * The daily backup as a job for the scheduler (same shape as its ScheduledJob): runs `runBackup` on the
 * server's own store and records the run in `meta.jobRuns.backup`, so a run missed while the server was
 * down is caught up at start.
 */
export function backupScheduledJob(
  store: Store,
  opts: BackupOptions & { cron?: string; log?: (line: string) => void } = {},
) {
  const { cron = '30 2 * * *', log = () => {}, ...backupOptions } = opts;
  return {
    name: 'backup',
    crons: [cron],
    lastRun: (): string | null => store.data.meta.jobRuns.backup ?? null,
    async run(): Promise<undefined> {
      const r = await runBackup(store, backupOptions);
      await store.transact('system', (tx) =>
        tx.setMeta((meta) => {
          meta.jobRuns.backup = r.createdAt;
        }),
      );
      log(
        `Backup written to ${r.file} (${r.records} records, ${r.auditEntries} audit entries, ${r.evidenceFiles} evidence files)`,
      );
      for (const m of r.evidenceMissing) log(`Evidence file ${m.id} was left out of the backup: ${m.reason}`);
      return undefined;
    },
  };
}
