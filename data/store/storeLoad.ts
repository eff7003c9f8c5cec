import { open } from 'node:fs/promises';
import { type CollectionName, collectionSchemas, type Db, metaSchema } from '../dbSchema.js';
import { applyTail, type LogHead, readLogTail } from './journal.js';
import { removeStrayTempFiles } from './durableJsonFile.js';
import { migrate } from './migrations.js';
import { finishPendingRestore, restoreIsPending } from './restoreSwap.js';
import { finishLogSealing } from './sealLog.js';
import { keysPathFor } from './subjectKeys.js';
import type { SubjectKeys } from './subjectKeys.js';
import { writeFaults } from './writeFaults.js';

/**
 * The log holds fewer entries than the database file records: acknowledged changes are missing from it
 * (copied back from an older version, cut by a disk error). Opening to write would chain new entries onto
 * the wrong one, so it is refused, saying what the operator can do.
 */
export class LogBehindError extends Error {
  constructor(paths: { db: string; audit: string }, logLast: number, head: number) {
    super(
      `The audit log ${paths.audit} ${logLast === 0 ? 'is missing or empty' : `ends at entry ${logLast}`}, but the database file ${paths.db} holds changes up to entry ${head}: changes already saved are missing from the log (was it copied back from an older copy, or cut short by a disk error?). Nothing was opened or changed. Put the complete log back if you have it; if instead the database file is the one that is wrong, "npx dueregard rebuild --from-log" rebuilds it from the log (keeping a copy of the file it replaces).`,
    );
  }
}

/** A database as read from its file, with the log's acknowledged changes past it replayed. */
export interface LoadedDatabase {
  db: Db;
  /** The head the file itself recorded, before replay. */
  fileHead: { seq: number; hash: string };
  recovered: { transactions: number; entries: number; cut: number };
  migrated: boolean;
  /** Bytes of the log that hold acknowledged transactions (a writer cuts the log here), and its size. */
  logEnd: number;
  logSize: number;
  /** Why the log past the file's head cannot be replayed (a reader opens all the same). */
  logDamage: string | null;
}

/**
 * Replays the log onto the database file's content (`raw`, as parsed) and migrates and validates it. A log
 * that cannot be replayed from the file's head refuses a writer; a reader gets what the file and the
 * whole transactions past it hold.
 */
export async function loadDatabase(
  raw: Record<string, unknown>,
  paths: { db: string; audit: string },
  opts: { writable: boolean; validate: boolean; keys: SubjectKeys },
): Promise<LoadedDatabase> {
  const head = headOfFile(raw);
  const tail = await readLogTail(paths.audit, head);
  if (tail.damage && opts.writable) {
    throw new Error(
      `The audit log ${paths.audit} cannot be replayed onto the database: ${tail.damage}. Changes saved after the database file was last written would be lost, so it was not opened. Run "npx dueregard audit verify", then restore the latest backup.`,
    );
  }
  if (tail.endsBeforeHead !== null && opts.writable)
    throw new LogBehindError(paths, tail.endsBeforeHead, head.seq);
  const recovered = { transactions: 0, entries: 0, cut: 0 };
  // Replayed before migrating: the log's records have the shape of the file they belong to.
  recovered.entries = applyTail(raw, tail.transactions, new Set(Object.keys(collectionSchemas)), opts.keys);
  recovered.transactions = tail.transactions.length;
  recovered.cut = tail.damage ? 0 : tail.unacknowledged;
  const { db, migrated } = migrate(raw);
  db.meta = metaSchema.parse(db.meta ?? {});
  for (const name of Object.keys(collectionSchemas) as CollectionName[]) {
    const list = (db as Record<string, unknown>)[name];
    if (!Array.isArray(list)) {
      (db as Record<string, unknown>)[name] = [];
      continue;
    }
    if (opts.validate) {
      list.forEach((rec, i) => {
        const parsed = collectionSchemas[name].safeParse(rec);
        if (!parsed.success) {
          throw new Error(
            `The database ${paths.db} holds an invalid ${name} record (#${i + 1}): ${parsed.error.issues[0]?.message}`,
          );
        }
        list[i] = parsed.data;
      });
    }
  }
  const last = tail.transactions.at(-1);
  const lastEntry = last?.entries.at(-1);
  if (last && lastEntry) {
    db.meta.auditSeq = lastEntry.seq;
    db.meta.auditHash = lastEntry.hash;
  }
  // Entries past `end` were never acknowledged: the log goes on from there. (Damage stops only a reader here.)
  db.meta.auditOffset = tail.damage ? (last?.end ?? tail.size) : tail.end;
  return {
    db,
    fileHead: { seq: head.seq, hash: head.hash },
    recovered,
    migrated,
    logEnd: tail.end,
    logSize: tail.size,
    logDamage:
      tail.damage ??
      (tail.endsBeforeHead === null
        ? null
        : `the log ends at entry ${tail.endsBeforeHead}, before entry ${head.seq} the database records`),
  };
}

/**
 * Before opening: a writer (holding the lock) removes temp files a killed writer left and finishes an
 * interrupted restore or log sealing; a reader refuses a restore still pending.
 */
export function prepareFiles(path: string, auditPath: string, writable: boolean): void {
  if (writable) {
    removeStrayTempFiles(path);
    removeStrayTempFiles(keysPathFor(path));
    finishPendingRestore(path);
    finishLogSealing(path, auditPath);
  } else if (restoreIsPending(path)) {
    throw new Error(
      `A restore of ${path} was interrupted; start the server (or run restore again) to finish it before reading.`,
    );
  }
}

/** The head a database file records (version 0 files kept it at top level). */
export function headOfFile(raw: Record<string, unknown>): LogHead {
  const meta = (raw.meta ?? {}) as { auditSeq?: unknown; auditHash?: unknown; auditOffset?: unknown };
  const seq = typeof meta.auditSeq === 'number' ? meta.auditSeq : raw.lastAuditSeq;
  const hash = typeof meta.auditHash === 'string' ? meta.auditHash : raw.lastAuditHash;
  return {
    seq: typeof seq === 'number' ? seq : 0,
    hash: typeof hash === 'string' ? hash : '',
    offset: typeof meta.auditOffset === 'number' ? meta.auditOffset : 0,
  };
}

/**
 * Cuts what a crash left past the last acknowledged transaction (a torn line, a transaction not wholly
 * written): never acknowledged, since a change is acknowledged only once all its entries are synced.
 * Only the writer, holding the lock, does this.
 */
export async function cutLog(path: string, length: number): Promise<void> {
  const fault = writeFaults.check(path, 'truncate');
  if (fault) throw fault;
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
