import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { formatDateTime, londonDate } from '../../checks/londonDates.js';
import type { AuditEntry, EntryHeader } from '../../data/store/auditLog.js';
import { holdsPersonalData, unsealForReading } from '../../data/store/personalFields.js';
import type { Store } from '../../data/store/store.js';
import { auditAreas, createAuditWords } from './auditWords.js';
import { type CsvValue, toCsv } from './csvExport.js';

export interface AuditQuery {
  /** Part of the actor (an email, "cli", "demo", "retention"…) or of their name, any case. */
  who?: string;
  /** An area of the service (`auditAreas`): its kinds of record. */
  area?: string;
  collection?: string;
  recordId?: string;
  /** London dates, inclusive. */
  from?: string;
  to?: string;
}

/**
 * Whether an entry matches the search. `actorNames` gives each actor's name as the page shows it (by
 * lower-case actor), so a person is found by part of their name as well as of their email.
 */
export function matches(
  entry: Pick<AuditEntry, 'actor' | 'collection' | 'recordId' | 'at'>,
  q: AuditQuery,
  actorNames: ReadonlyMap<string, string> = new Map(),
): boolean {
  if (q.who) {
    const who = q.who.toLowerCase();
    const name = actorNames.get(entry.actor.toLowerCase()) ?? '';
    if (!entry.actor.toLowerCase().includes(who) && !name.includes(who)) return false;
  }
  if (q.area && !auditAreas.find((a) => a.id === q.area)?.collections.includes(entry.collection))
    return false;
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
  const words = createAuditWords(store);
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
    // Each actor's name as the page shows it (a user's name, a job in words), worked out once per actor.
    const names = new Map<string, string>();
    if (q.who)
      for (const row of all) {
        const key = row.actor.toLowerCase();
        if (!names.has(key)) names.set(key, words.actorName(row.actor).toLowerCase());
      }
    const out: AuditIndexRow[] = [];
    for (let i = all.length - 1; i >= 0; i--) {
      const row = all[i];
      if (row && matches(row, q, names)) out.push(row);
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
    words,
    async collections(): Promise<string[]> {
      return [...new Set((await index()).map((e) => e.collection))].sort();
    },

    /** The matching entries as CSV (through csvExport), in the page's words; the export itself goes in the log. */
    async exportCsv(actor: string, q: AuditQuery): Promise<{ csv: string; rows: number }> {
      const found = await load(await search(q));
      const rows = found.map((e): CsvValue[] => {
        const w = words.inWords(e);
        return [
          e.seq,
          formatDateTime(e.at),
          w.who,
          `${w.who} ${w.did}`,
          w.recordType,
          w.subject?.name ?? '',
          w.changes
            .map((c) => `${c.field}: ${c.before ? `${c.before} → ` : ''}${c.after || 'Not given'}`)
            .join('; '),
        ];
      });
      const csv = toCsv(
        ['Entry', 'When', 'Who', 'What happened', 'Kind of record', 'Record', 'Changes'],
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
