import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RecordOf } from '../dbSchema.js';
import { writeDurably } from './durableJsonFile.js';

/**
 * Per-year archive files of decided bookings more than a year past (issue #10.4), beside the database:
 * `<db>.archive-YYYY.json` (YYYY the year the event starts), so the live database, rewritten after every
 * change, stays small. A booking moves there with the records that belong only to it. One file:
 *
 *   { "format": "dueregard-archive", "version": 1, "year": 2024, "database": "dueregard.json",
 *     "writtenAt": ISO instant, "counts": { collection: n }, "sha256": sha256 of the "records" text,
 *     "records": { "bookings": [...], "bookingDecisions": [...], "bookingScreenings": [...],
 *                  "reviews": [...], "actions": [...] } }
 *
 * A file is always written whole (temp, fsync, rename); the checksum tells a damaged file from a good
 * one, and a damaged file is never merged into (its records would be lost), only reported.
 */
export const ARCHIVE_FORMAT = 'dueregard-archive';
export const ARCHIVE_VERSION = 1;

/** What moves with a booking: the booking, its decisions and screenings, and its reviews and their actions. */
export const ARCHIVED_COLLECTIONS = [
  'bookings',
  'bookingDecisions',
  'bookingScreenings',
  'reviews',
  'actions',
] as const;
export type ArchivedCollection = (typeof ARCHIVED_COLLECTIONS)[number];

export type ArchiveRecords = { [C in ArchivedCollection]: RecordOf<C>[] };

export interface ArchiveFile {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  year: number;
  database: string;
  writtenAt: string;
  counts: Record<ArchivedCollection, number>;
  sha256: string;
  records: ArchiveRecords;
}

/** An archive file that cannot be read as one (bad JSON, wrong format, checksum mismatch). */
export class ArchiveDamagedError extends Error {
  readonly refused = true;
}

const baseOf = (dbPath: string) => dbPath.replace(/\.json$/i, '');

export function archivePathFor(dbPath: string, year: number): string {
  return `${baseOf(dbPath)}.archive-${year}.json`;
}

function archivePattern(dbPath: string): RegExp {
  const base = basename(baseOf(dbPath)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${base}\\.archive-(\\d{4})\\.json$`);
}

/** The years that have an archive file beside this database, oldest first. */
export function archiveYears(dbPath: string): number[] {
  if (dbPath === ':memory:') return [];
  const dir = dirname(dbPath);
  if (!existsSync(dir)) return [];
  const pattern = archivePattern(dbPath);
  const years: number[] = [];
  for (const name of readdirSync(dir)) {
    const m = pattern.exec(name);
    if (m) years.push(Number(m[1]));
  }
  return years.sort((a, b) => a - b);
}

export function emptyArchiveRecords(): ArchiveRecords {
  return { bookings: [], bookingDecisions: [], bookingScreenings: [], reviews: [], actions: [] };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Checks a parsed archive (from a file or a backup): our format and version, the year it claims, and the
 * checksum of its records. Returns it typed, or throws ArchiveDamagedError saying what is wrong.
 */
export function checkArchive(value: unknown, label: string, year?: number): ArchiveFile {
  const a = value as Partial<ArchiveFile> | null;
  if (!a || typeof a !== 'object' || a.format !== ARCHIVE_FORMAT)
    throw new ArchiveDamagedError(`${label} is not a Due Regard archive file`);
  if (a.version !== ARCHIVE_VERSION)
    throw new ArchiveDamagedError(`${label} has an unknown archive format version (${String(a.version)})`);
  if (year !== undefined && a.year !== year)
    throw new ArchiveDamagedError(`${label} holds the year ${String(a.year)}, not ${year}`);
  const records = a.records as Record<string, unknown> | undefined;
  if (
    !records ||
    typeof records !== 'object' ||
    !ARCHIVED_COLLECTIONS.every((c) => Array.isArray(records[c]))
  )
    throw new ArchiveDamagedError(`${label} is damaged: it lacks its records`);
  if (typeof a.sha256 !== 'string' || sha256(JSON.stringify(records)) !== a.sha256)
    throw new ArchiveDamagedError(
      `${label} is damaged: its records do not match the checksum recorded when it was written`,
    );
  return a as ArchiveFile;
}

/** Reads and checks one year's archive; null when there is no file for that year. */
export function readArchiveFile(dbPath: string, year: number): ArchiveFile | null {
  const path = archivePathFor(dbPath, year);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ArchiveDamagedError(
      `The archive file ${path} is damaged: it is not valid JSON. Restore it from a backup.`,
    );
  }
  return checkArchive(parsed, `The archive file ${path}`, year);
}

/**
 * The text of an archive file. Records may be given as their JSON text already (the store keeps each
 * record's JSON), so a large archive is joined rather than serialised again.
 */
export function archiveText(
  dbPath: string,
  year: number,
  records: { [C in ArchivedCollection]: (string | object)[] },
  writtenAt: string,
): string {
  const parts = ARCHIVED_COLLECTIONS.map(
    (c) =>
      `${JSON.stringify(c)}:[${records[c].map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join(',')}]`,
  );
  const recordsText = `{${parts.join(',')}}`;
  const counts = Object.fromEntries(ARCHIVED_COLLECTIONS.map((c) => [c, records[c].length]));
  const head = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    year,
    database: basename(dbPath),
    writtenAt,
    counts,
    sha256: sha256(recordsText),
  };
  return `${JSON.stringify(head).slice(0, -1)},"records":${recordsText}}`;
}

/** Writes one year's archive durably (temp file, fsync, rename, folder fsync). Mode 0600: personal data. */
export async function writeArchiveFile(
  dbPath: string,
  year: number,
  records: { [C in ArchivedCollection]: (string | object)[] },
  writtenAt: string,
): Promise<void> {
  const text = archiveText(dbPath, year, records, writtenAt);
  // Shared archives (PostgreSQL): the table first, then this instance's copy of it.
  await shares.get(dbPath)?.put(year, text);
  await writeDurably(archivePathFor(dbPath, year), text, 0o600);
}

/**
 * Adds records to a year's archive, keyed by id: a record already there is replaced by the one given
 * (so running the same move twice changes nothing). Refuses to touch a damaged file.
 */
export async function mergeIntoArchive(
  dbPath: string,
  year: number,
  adding: { [C in ArchivedCollection]: { id: string; json: string }[] },
  writtenAt: string,
): Promise<void> {
  const existing = readArchiveFile(dbPath, year);
  const out = {} as { [C in ArchivedCollection]: string[] };
  for (const c of ARCHIVED_COLLECTIONS) {
    const byId = new Map<string, string>();
    for (const r of existing?.records[c] ?? []) byId.set((r as { id: string }).id, JSON.stringify(r));
    for (const r of adding[c]) byId.set(r.id, r.json);
    out[c] = [...byId.values()];
  }
  await writeArchiveFile(dbPath, year, out, writtenAt);
}

/** Removes temp files a killed writer left beside the archive files. The caller holds the writer lock. */
export function removeStrayArchiveTemps(dbPath: string): void {
  const dir = dirname(dbPath);
  if (!existsSync(dir)) return;
  const base = basename(baseOf(dbPath)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const temp = new RegExp(`^\\.${base}\\.archive-\\d{4}\\.json\\.\\d+\\.tmp$`);
  for (const name of readdirSync(dir)) {
    if (!temp.test(name)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Gone already.
    }
  }
}

/**
 * Where the archives of a database are shared by several instances (PostgreSQL): `lock` takes a lock every
 * instance honours and brings this instance's files in step first, so a merge starts from the latest
 * archive; `put` stores a year's text before the local file is written.
 */
export interface ArchiveShare {
  lock(): Promise<() => Promise<void>>;
  put(year: number, text: string): Promise<void>;
}
const shares = new Map<string, ArchiveShare>();

/** Registers (or with null, removes) the share of the archives beside `dbPath`. */
export function shareArchives(dbPath: string, share: ArchiveShare | null, only?: ArchiveShare): void {
  if (share) shares.set(dbPath, share);
  else if (!only || shares.get(dbPath) === only) shares.delete(dbPath);
}

/** True while this process is writing the archives beside `dbPath` (a mirror must not write them then). */
export function archiveWritesBusy(dbPath: string): boolean {
  return (busy.get(dbPath) ?? 0) > 0;
}
const busy = new Map<string, number>();

/**
 * Archive writes of one database go one at a time within the process (the archive job and the retention
 * job both rewrite year files; the writer lock keeps other processes out, or on PostgreSQL the share's lock).
 */
const writeChains = new Map<string, Promise<unknown>>();
export function withArchiveWrites<T>(dbPath: string, fn: () => Promise<T>): Promise<T> {
  const before = writeChains.get(dbPath) ?? Promise.resolve();
  const run = before
    .catch(() => {})
    .then(async () => {
      busy.set(dbPath, (busy.get(dbPath) ?? 0) + 1);
      try {
        const release = await shares.get(dbPath)?.lock();
        try {
          return await fn();
        } finally {
          await release?.();
        }
      } finally {
        busy.set(dbPath, (busy.get(dbPath) ?? 1) - 1);
      }
    });
  writeChains.set(dbPath, run);
  return run;
}

interface CachedFile {
  key: string;
  file: ArchiveFile;
  byId: Map<string, Map<string, object>>;
}

/** An archived booking as the ref index knows it. */
export interface ArchivedRef {
  id: string;
  version: number;
  year: number;
}

/**
 * Reads archive files when asked, never before, and keeps each parsed file until it changes on disk
 * (size, modification time and inode: a rewrite is a rename, so a new inode). The dashboard and writes
 * never call it.
 */
export class ArchiveReader {
  private readonly cache = new Map<number, CachedFile>();

  constructor(readonly dbPath: string) {}

  years(): number[] {
    return archiveYears(this.dbPath);
  }

  /** What identifies a file's version on disk (a rewrite is a rename, so a new inode); null when absent. */
  private statKey(year: number): string | null {
    try {
      const s = statSync(archivePathFor(this.dbPath, year));
      return `${s.size}:${s.mtimeMs}:${s.ino}`;
    } catch {
      return null;
    }
  }

  private cached(year: number): CachedFile | null {
    const key = this.statKey(year);
    if (key === null) {
      this.cache.delete(year);
      return null;
    }
    const hit = this.cache.get(year);
    if (hit?.key === key) return hit;
    const file = readArchiveFile(this.dbPath, year);
    if (!file) return null;
    const entry: CachedFile = { key, file, byId: new Map() };
    this.cache.set(year, entry);
    return entry;
  }

  /** One year's archive, or null. Throws ArchiveDamagedError for a damaged file. */
  file(year: number): ArchiveFile | null {
    return this.cached(year)?.file ?? null;
  }

  /** A record of one year's archive by id. */
  get<C extends ArchivedCollection>(year: number, collection: C, id: string): RecordOf<C> | undefined {
    const c = this.cached(year);
    if (!c) return undefined;
    let index = c.byId.get(collection);
    if (!index) {
      index = new Map();
      for (const r of c.file.records[collection]) index.set((r as { id: string }).id, r as object);
      c.byId.set(collection, index);
    }
    return index.get(id) as RecordOf<C> | undefined;
  }

  /**
   * The archived bookings holding a booking reference (any case), latest version of each id. Each file's
   * refs are indexed once per version of the file on disk, keeping only the refs (not the parsed file:
   * a borough's years of archive would stay in memory otherwise); after that a look-up costs one stat a
   * year. A damaged file is left out here (its readers report it): it must not stop new bookings.
   */
  bookingsByRef(ref: string): ArchivedRef[] {
    const key = ref.trim().toLowerCase();
    const byId = new Map<string, ArchivedRef>();
    for (const year of this.years()) {
      const index = this.refIndex(year);
      const found = index?.get(key);
      if (!found) continue;
      const cur = byId.get(found.id);
      if (!cur || cur.version < found.version) byId.set(found.id, found);
    }
    return [...byId.values()];
  }

  private readonly refs = new Map<number, { key: string; byRef: Map<string, ArchivedRef> }>();

  private refIndex(year: number): Map<string, ArchivedRef> | null {
    const key = this.statKey(year);
    if (key === null) {
      this.refs.delete(year);
      return null;
    }
    const hit = this.refs.get(year);
    if (hit?.key === key) return hit.byRef;
    let file: ArchiveFile | null;
    try {
      const full = this.cache.get(year);
      file = full?.key === key ? full.file : readArchiveFile(this.dbPath, year);
    } catch (err) {
      if (err instanceof ArchiveDamagedError) return null;
      throw err;
    }
    if (!file) return null;
    const byRef = new Map<string, ArchivedRef>();
    for (const b of file.records.bookings)
      byRef.set(b.ref.toLowerCase(), { id: b.id, version: b.version, year });
    this.refs.set(year, { key, byRef });
    return byRef;
  }

  /**
   * Every archived record of a collection over the given years (all by default), each id once: a record
   * found in two files (a move cut short and redone after the booking changed) counts in its latest version.
   */
  list<C extends ArchivedCollection>(collection: C, years: readonly number[] = this.years()): RecordOf<C>[] {
    const byId = new Map<string, RecordOf<C>>();
    for (const y of years) {
      const file = this.file(y);
      if (!file) continue;
      for (const r of file.records[collection] as RecordOf<C>[]) {
        const cur = byId.get(r.id);
        if (!cur || cur.version < r.version) byId.set(r.id, r);
      }
    }
    return [...byId.values()];
  }
}
