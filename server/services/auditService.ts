import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { londonDate } from '../../checks/londonDates.js';
import { type AuditEntry, type EntryHeader, redactSecrets } from '../../data/store/auditLog.js';
import { holdsPersonalData, unsealForReading } from '../../data/store/personalFields.js';
import type { Store } from '../../data/store/store.js';
import { type CsvValue, toCsv } from './csvExport.js';

export interface AuditQuery {
  /** Part of the actor (an email, "cli", "demo", "retention"…), any case. */
  who?: string;
  collection?: string;
  recordId?: string;
  /** London dates, inclusive. */
  from?: string;
  to?: string;
}

export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

const UNINTERESTING = new Set(['version', 'updatedAt']);

function show(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'none';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What an entry changed, field by field (secrets show only as fingerprints). */
export function changesOf(entry: AuditEntry): AuditChange[] {
  const before = redactSecrets(entry.before) as Record<string, unknown> | null;
  const after = redactSecrets(entry.after) as Record<string, unknown> | null;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(before) && !isObject(after)) return [];
  const keys = new Set([
    ...Object.keys(isObject(before) ? before : {}),
    ...Object.keys(isObject(after) ? after : {}),
  ]);
  const changes: AuditChange[] = [];
  for (const field of keys) {
    if (UNINTERESTING.has(field) && entry.action === 'update') continue;
    const b = isObject(before) ? before[field] : undefined;
    const a = isObject(after) ? after[field] : undefined;
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    changes.push({ field, before: show(b), after: show(a) });
  }
  return changes;
}

export function matches(
  entry: Pick<AuditEntry, 'actor' | 'collection' | 'recordId' | 'at'>,
  q: AuditQuery,
): boolean {
  if (q.who && !entry.actor.toLowerCase().includes(q.who.toLowerCase())) return false;
  if (q.collection && entry.collection !== q.collection) return false;
  if (q.recordId && entry.recordId !== q.recordId) return false;
  if (q.from || q.to) {
    const day = londonDate(entry.at);
    if (q.from && day < q.from) return false;
    if (q.to && day > q.to) return false;
  }
  return true;
}

/** The record ids an `archive` entry moved, over every file and collection it lists. */
export function movedIdsOf(entry: AuditEntry): string[] {
  const files = (entry.after as { files?: { ids?: Record<string, string[]> }[] } | null)?.files ?? [];
  return files.flatMap((f) => Object.values(f.ids ?? {}).flat());
}

/** What the search needs of an entry, and where the whole entry sits in the file. */
export interface AuditIndexRow extends EntryHeader {
  offset: number;
  length: number;
}

/**
 * The audit log for coordinators: read from the `.audit.jsonl` file (only the bytes added since the
 * last read), searched, paged and exported. Only a small index of each entry stays in memory; the
 * entries shown or exported are read back from the file. It never changes the log; an export is
 * itself logged.
 */
export function createAuditService(store: Store) {
  let cache: { path: string; offset: number; rows: AuditIndexRow[] } = {
    path: store.auditPath,
    offset: 0,
    rows: [],
  };

  async function index(): Promise<AuditIndexRow[]> {
    const path = store.auditPath;
    if (!existsSync(path)) return [];
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      // A smaller file (a restore) is read again from the start.
      if (size < cache.offset || cache.path !== path) cache = { path, offset: 0, rows: [] };
      if (size === cache.offset) return cache.rows;
      const buf = Buffer.alloc(size - cache.offset);
      await handle.read(buf, 0, buf.length, cache.offset);
      // Only whole lines: a write may be under way.
      const end = buf.lastIndexOf(0x0a);
      if (end < 0) return cache.rows;
      const added: AuditIndexRow[] = [];
      let start = 0;
      while (start <= end) {
        const nl = buf.indexOf(0x0a, start);
        const line = buf.subarray(start, nl);
        try {
          const e = JSON.parse(line.toString('utf8')) as AuditEntry;
          added.push({
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            collection: e.collection,
            recordId: e.recordId,
            offset: cache.offset + start,
            length: line.length,
          });
        } catch {
          // A damaged or blank line is `audit verify`'s business; the page shows the rest.
        }
        start = nl + 1;
      }
      cache = { path, offset: cache.offset + end + 1, rows: cache.rows.concat(added) };
      return cache.rows;
    } finally {
      await handle.close();
    }
  }

  /** An entry with its sealed personal fields opened, or shown as "erased" where retention destroyed the key. */
  function readable(e: AuditEntry): AuditEntry {
    if (!holdsPersonalData(e.collection)) return e;
    return {
      ...e,
      before: unsealForReading(e.collection, e.before, store.keys).record,
      after: unsealForReading(e.collection, e.after, store.keys).record,
    };
  }

  /** The whole entries of these index rows, read back from the file. */
  async function load(rows: AuditIndexRow[]): Promise<AuditEntry[]> {
    if (rows.length === 0) return [];
    const handle = await open(store.auditPath, 'r');
    try {
      const out: AuditEntry[] = [];
      for (const row of rows) {
        const buf = Buffer.alloc(row.length);
        await handle.read(buf, 0, row.length, row.offset);
        out.push(readable(JSON.parse(buf.toString('utf8')) as AuditEntry));
      }
      return out;
    } finally {
      await handle.close();
    }
  }

  /** Matching index rows, newest first. */
  async function search(q: AuditQuery): Promise<AuditIndexRow[]> {
    const all = await index();
    const out: AuditIndexRow[] = [];
    for (let i = all.length - 1; i >= 0; i--) {
      const row = all[i];
      if (row && matches(row, q)) out.push(row);
    }
    return out;
  }

  /**
   * Every entry about one of these records (by record id), oldest first, and the `archive` entries that
   * moved one of them to an archive file (those list the ids they moved).
   */
  async function about(ids: ReadonlySet<string>): Promise<AuditEntry[]> {
    const rows = (await index()).filter((r) => ids.has(r.recordId) || r.action === 'archive');
    return (await load(rows)).filter(
      (e) => e.action !== 'archive' || movedIdsOf(e).some((id) => ids.has(id)),
    );
  }

  return {
    search,
    load,
    about,
    async collections(): Promise<string[]> {
      return [...new Set((await index()).map((e) => e.collection))].sort();
    },

    /** The matching entries as CSV (through csvExport); the export itself goes in the log. */
    async exportCsv(actor: string, q: AuditQuery): Promise<{ csv: string; rows: number }> {
      const found = await load(await search(q));
      const rows = found.map((e): CsvValue[] => [
        e.seq,
        e.at,
        e.actor,
        e.action,
        e.collection,
        e.recordId,
        changesOf(e)
          .map((c) => c.field)
          .join(' '),
        e.before === null ? '' : JSON.stringify(redactSecrets(e.before)),
        e.after === null ? '' : JSON.stringify(redactSecrets(e.after)),
      ]);
      const csv = toCsv(
        ['Entry', 'When', 'Who', 'Action', 'Collection', 'Record id', 'Fields changed', 'Before', 'After'],
        rows,
      );
      const filters = Object.fromEntries(Object.entries(q).filter(([, v]) => v));
      await store.transact(actor, (tx) =>
        tx.note('export', 'audit', 'audit-log', { rows: rows.length, filters }),
      );
      return { csv, rows: rows.length };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
