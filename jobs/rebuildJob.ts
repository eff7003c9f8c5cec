import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { collectionSchemas, emptyDb } from '../data/dbSchema.js';
import { type AuditEntry, auditPathFor, parseAuditText, verifyAuditChain } from '../data/store/auditLog.js';
import { fsyncFolder, writeDurably } from '../data/store/durableJsonFile.js';
import { applyTail, readLogTail } from '../data/store/journal.js';
import { migrate } from '../data/store/migrations.js';
import { Store } from '../data/store/store.js';
import { headOfFile } from '../data/store/storeLoad.js';
import { SubjectKeys } from '../data/store/subjectKeys.js';
import { WriterLock } from '../data/store/writerLock.js';
import { listBackups } from './backupJob.js';
import { BackupRefusedError, baseName, defaultBackupDir, stampOf } from './backupFormat.js';
import { readBackupFile } from './backupRead.js';

export interface RebuildResult {
  /** The backup the rebuild started from, or null (an empty database, replaying the whole log). */
  base: string | null;
  baseSeq: number;
  /** Changes (log entries) replayed onto the base, and the entry the rebuilt database ends at. */
  replayed: number;
  head: number;
  /** Entry the replaced file recorded, when it could still be read (it may be past the log's end). */
  replacedHead: number | null;
  replacedCopy: string | null;
  /** Accounts and tokens whose secret the log holds only as a fingerprint: they need a reset. */
  lostSecrets: { collection: string; recordId: string; label: string }[];
}

interface Base {
  file: string | null;
  db: Record<string, unknown>;
  seq: number;
  hash: string;
}

/** The newest backup whose database sits on this log (its head is an entry of it), or an empty database. */
async function baseFor(dbPath: string, log: AuditEntry[]): Promise<Base> {
  for (const file of listBackups(dbPath).reverse()) {
    try {
      const { envelope } = await readBackupFile(file, basename(file), () => {});
      const { seq, hash } = envelope.auditHead;
      if (seq <= log.length && (seq === 0 || log[seq - 1]?.hash === hash))
        return { file, db: envelope.db, seq, hash };
    } catch (err) {
      if (!(err instanceof BackupRefusedError)) throw err;
      // A damaged backup is no base: try an older one.
    }
  }
  return { file: null, db: emptyDb() as unknown as Record<string, unknown>, seq: 0, hash: '' };
}

/** The head the current database file records, if it can still be read. */
function headOfDamaged(dbPath: string): number | null {
  try {
    return headOfFile(JSON.parse(readFileSync(dbPath, 'utf8')) as Record<string, unknown>).seq;
  } catch {
    return null;
  }
}

/**
 * Rebuilds a database whose file is damaged from its intact audit log: the newest backup that sits on the
 * log (or nothing) plus every whole transaction the log holds after it. The log must verify from its first
 * entry; the rebuilt database is written beside, loaded and checked before it replaces anything, and the
 * file it replaces is kept in `backups/replaced-…`. A secret the log holds only as a fingerprint (a password
 * or token set since the base) cannot come back: it is left unusable, and the result names whose.
 */
export async function rebuildFromLog(
  dbPath: string,
  opts: { now?: () => Date } = {},
): Promise<RebuildResult> {
  const now = opts.now ?? (() => new Date());
  const auditPath = auditPathFor(dbPath);
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  const lock = new WriterLock(dbPath);
  await lock.acquire(dbPath);
  let result: RebuildResult;
  try {
    if (!existsSync(auditPath))
      throw new BackupRefusedError(`There is no audit log at ${auditPath} to rebuild the database from`);
    // Whole transactions only: a torn last line was never acknowledged.
    const whole = await readLogTail(auditPath, { seq: 0, hash: '', offset: 0 }, { fileChangesToo: true });
    const text = readFileSync(auditPath).subarray(0, whole.end).toString('utf8');
    const log = parseAuditText(text);
    const chain = verifyAuditChain(log);
    if (whole.damage || !chain.ok)
      throw new BackupRefusedError(
        `The audit log does not verify (${whole.damage ?? chain.problem}), so the database cannot be rebuilt from it. Restore the latest backup instead`,
      );
    const base = await baseFor(dbPath, log);
    const tail = await readLogTail(
      auditPath,
      { seq: base.seq, hash: base.hash, offset: 0 },
      { fileChangesToo: true },
    );
    const raw = structuredClone(base.db);
    const lost = new Map<string, { collection: string; recordId: string; label: string }>();
    try {
      applyTail(
        raw,
        tail.transactions,
        new Set(Object.keys(collectionSchemas)),
        SubjectKeys.load(dbPath),
        (e) => {
          const after = (e.after ?? {}) as { email?: unknown; name?: unknown };
          const label = String(after.email ?? after.name ?? e.recordId);
          lost.set(`${e.collection}/${e.recordId}`, {
            collection: e.collection,
            recordId: e.recordId,
            label,
          });
        },
      );
    } catch (err) {
      throw new BackupRefusedError(`The database cannot be rebuilt from the log: ${(err as Error).message}`);
    }
    const { db } = migrate(raw);
    const last = tail.transactions.at(-1)?.entries.at(-1);
    db.meta = {
      ...db.meta,
      auditSeq: last?.seq ?? base.seq,
      auditHash: last?.hash ?? base.hash,
      auditOffset: tail.end,
    };
    const staged = join(dirname(dbPath), `.${baseName(dbPath)}.rebuild.json`);
    await writeDurably(staged, JSON.stringify(db), 0o600);
    try {
      // Loaded as the server will load it (every record validated) before it replaces anything.
      await Store.open(staged, { write: false });
    } catch (err) {
      rmSync(staged, { force: true });
      throw new BackupRefusedError(
        `The rebuilt database does not load (${(err as Error).message}); nothing was changed`,
      );
    }
    let replacedCopy: string | null = null;
    const replacedHead = existsSync(dbPath) ? headOfDamaged(dbPath) : null;
    if (existsSync(dbPath)) {
      replacedCopy = join(defaultBackupDir(dbPath), `replaced-${baseName(dbPath)}-${stampOf(now())}`);
      mkdirSync(replacedCopy, { recursive: true, mode: 0o700 });
      const copy = join(replacedCopy, basename(dbPath));
      copyFileSync(dbPath, copy);
      chmodSync(copy, 0o600);
      fsyncFolder(replacedCopy);
    }
    renameSync(staged, dbPath);
    fsyncFolder(dirname(dbPath));
    result = {
      base: base.file,
      baseSeq: base.seq,
      replayed: tail.transactions.reduce((n, t) => n + t.entries.length, 0),
      head: db.meta.auditSeq,
      replacedHead,
      replacedCopy,
      lostSecrets: [...lost.values()],
    };
  } finally {
    lock.release();
  }
  // Opened to write, as the server will: proves it starts, and the log records that it was rebuilt.
  const store = await Store.open(dbPath);
  try {
    await store.transact('cli', (tx) =>
      tx.note('rebuild', 'database', basename(dbPath), {
        base: result.base ? basename(result.base) : null,
        replayed: result.replayed,
        lostSecrets: result.lostSecrets.length,
      }),
    );
  } finally {
    await store.close();
  }
  return result;
}
