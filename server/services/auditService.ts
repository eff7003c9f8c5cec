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
  /** An actor's name as the page shows it, in lower case. */
  actorName: (actor: string) => string = () => '',
): boolean {
  if (q.who) {
    const who = q.who.toLowerCase();
    const name = actorName(entry.actor);
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

/** What the search needs of an entry, and where the whole entry sits in the log (see AuditSource). */
export interface AuditIndexRow extends EntryHeader {
  /** Where the entry is read again: a byte offset in the file, or the entry's number in PostgreSQL. */
  offset: number;
  length: number;
}

/**
 * The audit log for coordinators: read wherever the backend keeps it (only what was added since the
 * last read), searched, paged and exported. Only a small index of each entry stays in memory; the
 * entries shown or exported are read back from the log. It never changes the log; an export is
 * itself logged.
 */
export function createAuditService(store: Store) {
  const words = createAuditWords(store);
  let cache: { cursor: number; rows: AuditIndexRow[] } = { cursor: 0, rows: [] };

  async function index(): Promise<AuditIndexRow[]> {
    const read = await store.auditSource.linesAfter(cache.cursor);
    // A shorter log (a restore) is read again from the start.
    const rows = read.restarted ? [] : cache.rows;
    if (read.lines.length === 0 && !read.restarted) return cache.rows;
    const added: AuditIndexRow[] = [];
    for (const line of read.lines) {
      try {
        const e = JSON.parse(line.text) as AuditEntry;
        added.push({
          seq: e.seq,
          at: e.at,
          actor: e.actor,
          action: e.action,
          collection: e.collection,
          recordId: e.recordId,
          offset: line.at,
          length: line.length,
        });
      } catch {
        // A damaged or blank line is `audit verify`'s business; the page shows the rest.
      }
    }
    cache = { cursor: read.cursor, rows: rows.concat(added) };
    return cache.rows;
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

  /** The whole entries of these index rows, read back from the log. */
  async function load(rows: AuditIndexRow[]): Promise<AuditEntry[]> {
    const lines = await store.auditSource.linesAt(rows.map((r) => ({ at: r.offset, length: r.length })));
    return lines.map((line) => readable(JSON.parse(line) as AuditEntry));
  }

  /** Matching index rows, newest first. */
  async function search(q: AuditQuery): Promise<AuditIndexRow[]> {
    const all = await index();
    const name = actorNames();
    const out: AuditIndexRow[] = [];
    for (let i = all.length - 1; i >= 0; i--) {
      const row = all[i];
      if (row && matches(row, q, name)) out.push(row);
    }
    return out;
  }

  /**
   * Each actor's name as the page shows it (a user's name, a job in words), in lower case, worked out once
   * per actor for one search or one page (names change when users are renamed, so it is not kept longer).
   */
  function actorNames(): (actor: string) => string {
    const names = new Map<string, string>();
    return (actor) => {
      const key = actor.toLowerCase();
      const known = names.get(key);
      if (known !== undefined) return known;
      const name = words.actorName(actor).toLowerCase();
      names.set(key, name);
      return name;
    };
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
    actorNames,
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
