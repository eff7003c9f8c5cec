import { itemAt } from '../itemAt.js';
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { type AuditEntry, fingerprint, hashEntry, SECRET_FIELDS } from './auditLog.js';
import { unsealForReplay } from './personalFields.js';
import type { SubjectKeys } from './subjectKeys.js';

/** Where the database file's state ends in the log: its last entry and the byte offset just after it. */
export interface LogHead {
  seq: number;
  hash: string;
  /** 0 when not known (a file written before offsets were kept): the log is then searched for `seq`. */
  offset: number;
}

/** One transaction found past the head, every entry on disk. */
export interface TailTransaction {
  entries: AuditEntry[];
  /** Byte offset just after its last line. */
  end: number;
}

export interface LogTail {
  /** Complete transactions past the head, in order: acknowledged changes to replay. */
  transactions: TailTransaction[];
  /** Where the log should end: after the last of them (or the head). */
  end: number;
  /** The log's size as read. */
  size: number;
  /**
   * Entries (or a torn line) past `end` that were never acknowledged: a transaction cut short by a crash,
   * or a settings change whose database file was never written. A writer cuts them off.
   */
  unacknowledged: number;
  /** Why the log cannot be replayed from the head, when it is damaged rather than merely cut short. */
  damage: string | null;
  /**
   * The log's last entry, when it ends before the database file's head: entries the database holds (all
   * acknowledged) are missing from the log, which was cut short or copied back from an older version.
   */
  endsBeforeHead: number | null;
}

interface Line {
  start: number;
  end: number;
  text: string;
}

/** Whole lines of `buf` (file offset `base`), and the bytes after the last newline (a torn write). */
function linesOf(buf: Buffer, base: number): { lines: Line[]; tornAt: number | null } {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) break;
    if (nl > start)
      lines.push({ start: base + start, end: base + nl + 1, text: buf.toString('utf8', start, nl) });
    start = nl + 1;
  }
  return { lines, tornAt: start < buf.length ? base + start : null };
}

function parseEntry(text: string): AuditEntry | null {
  try {
    const e = JSON.parse(text) as AuditEntry;
    return e !== null && typeof e === 'object' && typeof e.seq === 'number' ? e : null;
  } catch {
    return null;
  }
}

async function readFrom(path: string, from: number, size: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(size - from);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, from + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}

async function sizeOf(path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  const handle = await open(path, 'r');
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** The lines past the head, or null when the log holds no entry `head.seq` (or a different one). */
async function linesPastHead(
  path: string,
  head: LogHead,
  size: number,
): Promise<{ lines: Line[]; tornAt: number | null; damage?: string; lastSeq?: number }> {
  if (head.seq === 0) return linesOf(await readFrom(path, 0, size), 0);
  if (head.offset > 0 && head.offset <= size) {
    const buf = await readFrom(path, head.offset - 1, size);
    const tail = linesOf(buf.subarray(1), head.offset);
    const first = tail.lines[0] ? parseEntry(tail.lines[0].text) : null;
    // The byte before the offset ends the head's line, and what follows chains on from the head.
    const fits =
      buf[0] === 0x0a &&
      (tail.lines.length === 0 || (first !== null && first.seq === head.seq + 1 && first.prev === head.hash));
    if (fits) return tail;
  }
  const all = linesOf(await readFrom(path, 0, size), 0);
  let lastSeq = 0;
  for (let i = 0; i < all.lines.length; i++) {
    const e = parseEntry(itemAt(all.lines, i).text);
    if (!e) continue;
    lastSeq = e.seq;
    if (e.seq !== head.seq) continue;
    if (e.hash !== head.hash)
      return { ...all, damage: `entry ${head.seq} in the log is not the one the database recorded` };
    return { lines: all.lines.slice(i + 1), tornAt: all.tornAt };
  }
  if (lastSeq < head.seq) return { lines: [], tornAt: all.tornAt, lastSeq };
  return { ...all, damage: `the log holds no entry ${head.seq}, the database's last` };
}

/**
 * Reads the log past the database file's head: the transactions to replay, and what to cut. Normally only
 * the bytes after `head.offset` are read; without a usable offset the whole log is searched for the head.
 * A log that ends before the head (entries lost from its end) replays nothing and says so (`endsBeforeHead`):
 * a writer refuses to open on it, since its next entries would follow the wrong one.
 */
export async function readLogTail(
  path: string,
  head: LogHead,
  opts: { fileChangesToo?: boolean } = {},
): Promise<LogTail> {
  const size = await sizeOf(path);
  const result: LogTail = {
    transactions: [],
    end: size,
    size,
    unacknowledged: 0,
    damage: null,
    endsBeforeHead: null,
  };
  if (size === 0) return head.seq > 0 ? { ...result, endsBeforeHead: 0 } : result;
  const past = await linesPastHead(path, head, size);
  if (past.damage) return { ...result, damage: past.damage };
  if (past.lastSeq !== undefined) return { ...result, endsBeforeHead: past.lastSeq };
  const { lines, tornAt } = past;
  const damaged = (damage: string): LogTail => ({ ...result, damage });

  let seq = head.seq;
  let prev = head.hash;
  let current: { entries: AuditEntry[]; first: number; count: number; start: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = itemAt(lines, i);
    const e = parseEntry(line.text);

    if (!e) return damaged(`the line at byte ${line.start} is not an audit entry`);
    const { hash, ...unsigned } = e;
    if (e.seq !== seq + 1 || e.prev !== prev) return damaged(`entry ${e.seq} does not follow entry ${seq}`);
    if (hashEntry(unsigned) !== hash) return damaged(`entry ${e.seq} was altered`);
    seq = e.seq;
    prev = hash;
    // An entry without a mark (written before the log was the journal) is a transaction of its own.
    const mark = e.tx ?? { first: e.seq, count: 1 };
    if (!current) {
      if (mark.first !== e.seq) return damaged(`entry ${e.seq} starts in the middle of a transaction`);
      current = { entries: [], first: mark.first, count: mark.count, start: line.start };
    } else if (mark.first !== current.first || mark.count !== current.count) {
      return damaged(`entry ${e.seq} interrupts the transaction from entry ${current.first}`);
    }
    current.entries.push(e);
    if (current.entries.length < current.count) continue;
    // Rebuilding without the database file (fileChangesToo), every whole transaction is taken.
    if (mark.snapshot && !opts.fileChangesToo) {
      // Acknowledged only once a database file holding it is written, and later changes wait for that
      // file: so it can only be the log's last transaction, never acknowledged.
      if (i < lines.length - 1)
        return damaged(
          `the database file is older than the log: it lacks entry ${current.first}, whose change was saved with the database file`,
        );
      return {
        ...result,
        end: current.start,
        unacknowledged: current.entries.length + (tornAt === null ? 0 : 1),
      };
    }
    result.transactions.push({ entries: current.entries, end: line.end });
    current = null;
  }
  if (current)
    return {
      ...result,
      end: current.start,
      unacknowledged: current.entries.length + (tornAt === null ? 0 : 1),
    };
  if (tornAt !== null) return { ...result, end: tornAt, unacknowledged: 1 };
  return result;
}

/**
 * Applies replayed transactions to a database as read from its file: a create or update puts the entry's
 * `after` (the whole record), a delete removes the record, an archive entry removes the records it moved;
 * notes change nothing. Order is kept as the
 * store keeps it (updates in place, creates at the end).
 */
export function applyTail(
  db: Record<string, unknown>,
  transactions: readonly TailTransaction[],
  collections: ReadonlySet<string>,
  keys: SubjectKeys,
  /** Rebuilding: a secret the log cannot give back is left as its fingerprint (never matches) and reported. */
  lostSecret?: (entry: AuditEntry) => void,
): number {
  const touched = new Map<string, Map<string, unknown>>();
  const recordsOf = (collection: string) => {
    let byId = touched.get(collection);
    if (!byId) {
      const list = Array.isArray(db[collection]) ? (db[collection] as { id: string }[]) : [];
      byId = new Map(list.map((r) => [r.id, r]));
      touched.set(collection, byId);
    }
    return byId;
  };
  let applied = 0;
  for (const t of transactions) {
    for (const e of t.entries) {
      if (e.action === 'archive') {
        applied += replayMoveOut(e, recordsOf, collections);
        continue;
      }
      const erased = e.action === 'erase' && (e.after as { deleted?: unknown } | null)?.deleted === true;
      if (e.action !== 'create' && e.action !== 'update' && e.action !== 'delete' && !erased) {
        if (e.action === 'erase')
          throw new Error(`Audit entry ${e.seq} erased data the log does not hold, so it cannot be replayed`);
        continue;
      }
      if (!collections.has(e.collection))
        throw new Error(
          `The audit log holds a change to "${e.collection}" (entry ${e.seq}), which this version of Due Regard does not know`,
        );
      const byId = recordsOf(e.collection);
      if (e.action === 'delete' || erased) {
        byId.delete(e.recordId);
      } else {
        const logged = e.after as Record<string, unknown> | null;
        if (!logged || typeof logged !== 'object' || logged.id !== e.recordId)
          throw new Error(`Audit entry ${e.seq} does not hold the record it changed`);
        const current = byId.get(e.recordId) as Record<string, unknown> | undefined;
        const after = unsealForReplay(e.collection, logged, keys, current);
        byId.set(e.recordId, withSecrets(after, current, e.seq, lostSecret && (() => lostSecret(e))));
      }
      applied++;
    }
  }
  for (const [collection, byId] of touched) db[collection] = [...byId.values()];
  return applied;
}

/** An `archive` entry (records moved to archive files): removes the ids it lists. */
function replayMoveOut(
  e: AuditEntry,
  recordsOf: (collection: string) => Map<string, unknown>,
  collections: ReadonlySet<string>,
): number {
  const files = (e.after as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) throw new Error(`Audit entry ${e.seq} does not list what it archived`);
  let removed = 0;
  for (const f of files as { ids?: Record<string, unknown> }[]) {
    for (const [collection, ids] of Object.entries(f?.ids ?? {})) {
      if (!collections.has(collection) || !Array.isArray(ids))
        throw new Error(`Audit entry ${e.seq} archived records of "${collection}", which cannot be replayed`);
      const byId = recordsOf(collection);
      for (const id of ids) if (byId.delete(String(id))) removed++;
    }
  }
  return removed;
}

/**
 * The log shows secret fields (password and token hashes) as fingerprints. A change that kept a secret is
 * replayed with the secret taken from the record as it was, when its fingerprint matches; a change that
 * set a new one was acknowledged only with the database file, so it is never replayed.
 */
function withSecrets(
  after: Record<string, unknown>,
  current: Record<string, unknown> | undefined,
  seq: number,
  lost?: () => void,
): Record<string, unknown> {
  let out = after;
  for (const k of SECRET_FIELDS) {
    const logged = after[k];
    if (typeof logged !== 'string' || !logged.startsWith('secret:')) continue;
    const kept = current?.[k];
    if (typeof kept !== 'string' || (kept !== logged && fingerprint(kept) !== logged)) {
      if (lost) {
        lost();
        continue;
      }
      throw new Error(`Audit entry ${seq} changed a secret the log does not hold, so it cannot be replayed`);
    }
    if (out === after) out = { ...after };
    out[k] = kept;
  }
  return out;
}
