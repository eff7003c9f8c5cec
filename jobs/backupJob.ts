import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import {
  type AuditEntry,
  auditPathFor,
  chainEntry,
  parseAuditText,
  verifyAuditChain,
} from '../data/store/auditLog.js';
import {
  ArchiveDamagedError,
  type ArchiveFile,
  archivePathFor,
  archiveYears,
  checkArchive,
  readArchiveFile,
} from '../data/store/archiveFiles.js';
import { fsyncFolder, writeDurably } from '../data/store/durableJsonFile.js';
import { migrate } from '../data/store/migrations.js';
import {
  commitRestore,
  discardStagedRestore,
  finishPendingRestore,
  restorePaths,
  stageRestore,
} from '../data/store/restoreSwap.js';
import { Store } from '../data/store/store.js';
import { WriterLock } from '../data/store/writerLock.js';

const gzipAsync = promisify(gzip);

/**
 * A backup is ONE gzip-compressed JSON file holding the database and its audit log as they were at one
 * moment:
 *
 *   { "format": "dueregard-backup", "version": 1, "createdAt": ISO instant, "database": "dueregard.json",
 *     "schemaVersion": 1, "auditHead": { "seq", "hash" }, "counts": { collection: records },
 *     "dbSha256": sha256 of JSON.stringify(db), "db": { …the database… }, "audit": [ …entries 1..seq… ],
 *     "archives": { "2024": { …that year's archive file, with its own checksum… } } }
 *
 * `archives` (the per-year files of past bookings, see archiveFiles.ts) is there once the database has any.
 *
 * Named `<db name>-backup-<UTC stamp>.json.gz` in `backups/` beside the database, mode 0600 (it holds
 * personal data). `zcat FILE | jq` reads one by hand.
 */
export const BACKUP_FORMAT = 'dueregard-backup';
export const BACKUP_VERSION = 1;
export const DEFAULT_KEEP = 30;

export interface BackupEnvelope {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
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
}

/** A backup or restore refused for a stated reason; nothing was changed. The CLI answers exit 1. */
export class BackupRefusedError extends Error {
  readonly refused = true;
}

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

export interface BackupResult {
  file: string;
  bytes: number;
  records: number;
  auditEntries: number;
  createdAt: string;
  /** Older backups removed to keep the newest `keep`. */
  removed: string[];
}

export function defaultBackupDir(dbPath: string): string {
  return join(dirname(dbPath), 'backups');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const baseName = (dbPath: string) => basename(dbPath).replace(/\.json$/i, '');
const stampOf = (d: Date) => d.toISOString().replace(/[-:.]/g, '');

function backupPattern(dbPath: string): RegExp {
  const base = baseName(dbPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${base}-backup-(\\d{8}T\\d{9}Z)(?:-(\\d+))?\\.json\\.gz$`);
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
  // Read after the database: a booking moved meanwhile is then in one or the other, never in neither.
  const archives = readArchivesForBackup(dbPath);
  const counts = countsOf(db);
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
  };
  const packed = await gzipAsync(JSON.stringify(envelope));

  const dir = opts.dir ?? defaultBackupDir(dbPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let file = join(dir, `${baseName(dbPath)}-backup-${stampOf(new Date(createdAt))}.json.gz`);
  for (let n = 2; existsSync(file); n++) {
    file = join(dir, `${baseName(dbPath)}-backup-${stampOf(new Date(createdAt))}-${n}.json.gz`);
  }
  await writeDurably(file, packed, 0o600);

  const all = listBackups(dbPath, dir);
  const removed = all.slice(0, Math.max(0, all.length - keep));
  for (const old of removed) unlinkSync(old);
  if (removed.length) fsyncFolder(dir);
  return {
    file,
    bytes: packed.length,
    records: Object.values(counts).reduce((a, b) => a + b, 0) + archivedRecords(archives),
    auditEntries: audit.length,
    createdAt,
    removed,
  };
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

function archivedRecords(archives: Record<string, ArchiveFile> | null | undefined): number {
  let n = 0;
  for (const a of Object.values(archives ?? {})) n += Object.values(a.counts).reduce((x, y) => x + y, 0);
  return n;
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

function headOf(db: Record<string, unknown>): { seq: number; hash: string } {
  const { db: migrated } = migrate(structuredClone(db));
  const meta = (migrated.meta ?? {}) as { auditSeq?: number; auditHash?: string };
  return { seq: meta.auditSeq ?? 0, hash: meta.auditHash ?? '' };
}

function countsOf(db: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(db)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => [k, (v as unknown[]).length]),
  );
}

/**
 * Reads and checks a backup file: a gzip (or plain) JSON envelope of our format and version whose database
 * matches its checksum and whose audit chain verifies up to the head that database records. Anything
 * else is refused with the reason.
 */
export function readBackup(bytes: Buffer, label: string): BackupEnvelope {
  let text: string;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      text = gunzipSync(bytes).toString('utf8');
    } catch (err) {
      throw new BackupRefusedError(
        `${label} is damaged: it is not a complete gzip file (${(err as Error).message})`,
      );
    }
  } else if (/^\s*\{/.test(bytes.subarray(0, 64).toString('utf8'))) {
    text = bytes.toString('utf8');
  } else {
    throw new BackupRefusedError(`${label} is not a Due Regard backup: it is neither gzip nor JSON`);
  }
  let parsed: Partial<BackupEnvelope> & Record<string, unknown>;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BackupRefusedError(`${label} is damaged: its content is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.format !== BACKUP_FORMAT) {
    throw new BackupRefusedError(
      `${label} is not a Due Regard backup: it has no "format": "${BACKUP_FORMAT}"`,
    );
  }
  if (parsed.version !== BACKUP_VERSION) {
    throw new BackupRefusedError(
      typeof parsed.version === 'number' && parsed.version > BACKUP_VERSION
        ? `${label} was made by a newer version of Due Regard (backup format ${parsed.version}); upgrade first`
        : `${label} has an unknown backup format version (${String(parsed.version)})`,
    );
  }
  const db = parsed.db;
  if (!db || typeof db !== 'object' || Array.isArray(db) || !Array.isArray(parsed.audit)) {
    throw new BackupRefusedError(`${label} is damaged: it lacks the database or the audit log`);
  }
  if (typeof parsed.dbSha256 !== 'string' || sha256(JSON.stringify(db)) !== parsed.dbSha256) {
    throw new BackupRefusedError(
      `${label} is damaged: its database does not match the checksum recorded when the backup was taken`,
    );
  }
  let head: { seq: number; hash: string };
  try {
    head = headOf(db);
  } catch (err) {
    throw new BackupRefusedError(`${label} cannot be restored: ${(err as Error).message}`);
  }
  const chain = verifyAuditChain(parsed.audit as AuditEntry[], head);
  if (!chain.ok) {
    throw new BackupRefusedError(
      `${label} cannot be restored: its audit log does not verify (${chain.problem})`,
    );
  }
  if (parsed.audit.length !== head.seq) {
    throw new BackupRefusedError(
      `${label} cannot be restored: its audit log has ${parsed.audit.length} entries but its database records ${head.seq}`,
    );
  }
  if (parsed.archives !== undefined) {
    if (!parsed.archives || typeof parsed.archives !== 'object' || Array.isArray(parsed.archives))
      throw new BackupRefusedError(`${label} is damaged: its archive files are not readable`);
    for (const [year, archive] of Object.entries(parsed.archives)) {
      try {
        if (!/^\d{4}$/.test(year))
          throw new ArchiveDamagedError(`an archive is filed under "${year}", not a year`);
        checkArchive(archive, `its archive of ${year}`, Number(year));
      } catch (err) {
        if (!(err instanceof ArchiveDamagedError)) throw err;
        throw new BackupRefusedError(`${label} cannot be restored: ${err.message}`);
      }
    }
  }
  return parsed as BackupEnvelope;
}

export interface RestoreOptions {
  actor?: string;
  now?: () => Date;
}

export interface RestoreResult {
  backupCreatedAt: string;
  records: number;
  auditEntries: number;
  /** Folder holding copies of the database and audit log that were replaced (null if there were none). */
  replacedCopy: string | null;
}

/**
 * Replaces the database and its audit log with a backup's. Takes the writer lock first (DatabaseLockedError
 * while the server runs), checks the backup fully and loads its database before touching anything, keeps
 * copies of the files it replaces, swaps both in as one step (see restoreSwap.ts) and adds a `restore`
 * entry to the restored log. A refused restore leaves the database byte-for-byte as it was.
 */
export async function restoreBackup(
  dbPath: string,
  backupFile: string,
  opts: RestoreOptions = {},
): Promise<RestoreResult> {
  const now = opts.now ?? (() => new Date());
  mkdirSync(dirname(dbPath), { recursive: true });
  const lock = new WriterLock(dbPath);
  lock.acquire(dbPath);
  try {
    finishPendingRestore(dbPath);
    let bytes: Buffer;
    try {
      bytes = readFileSync(backupFile);
    } catch (err) {
      throw new BackupRefusedError(
        `Cannot read ${backupFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      );
    }
    const backup = readBackup(bytes, basename(backupFile));

    const at = now();
    const paths = restorePaths(dbPath);
    const replacing = [
      paths.db,
      paths.audit,
      ...archiveYears(dbPath).map((y) => archivePathFor(dbPath, y)),
    ].filter((f) => existsSync(f));
    const replacedCopy = replacing.length
      ? join(defaultBackupDir(dbPath), `replaced-${baseName(dbPath)}-${stampOf(at)}`)
      : null;

    const { db } = migrate(structuredClone(backup.db));
    const head = backup.audit.at(-1);
    const note = chainEntry(
      {
        at: at.toISOString(),
        actor: opts.actor ?? 'cli',
        action: 'restore',
        collection: 'database',
        recordId: basename(dbPath),
        before: null,
        after: {
          backup: basename(backupFile),
          backupCreatedAt: backup.createdAt,
          auditEntriesRestored: backup.audit.length,
          replacedCopy,
        },
      },
      (head?.seq ?? 0) + 1,
      head?.hash ?? '',
    );
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
      await stageRestore(dbPath, JSON.stringify(db), auditText, archiveTexts);
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
    await commitRestore(dbPath, [...archiveTexts.keys()]);
    return {
      backupCreatedAt: backup.createdAt,
      records:
        Object.values(countsOf(backup.db)).reduce((a, b) => a + b, 0) + archivedRecords(backup.archives),
      auditEntries: audit.length,
      replacedCopy,
    };
  } finally {
    lock.release();
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
      log(`Backup written to ${r.file} (${r.records} records, ${r.auditEntries} audit entries)`);
      return undefined;
    },
  };
}
