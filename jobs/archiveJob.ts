import { basename } from 'node:path';
import { type ArchiveGroup, archiveYearOf, planBookingArchive } from '../checks/bookingArchiveRules.js';
import { computeFlags } from '../checks/flags/computeFlags.js';
import { londonDate } from '../checks/londonDates.js';
import {
  ARCHIVED_COLLECTIONS,
  type ArchivedCollection,
  archivePathFor,
  mergeIntoArchive,
  removeStrayArchiveTemps,
  withArchiveWrites,
} from '../data/store/archiveFiles.js';
import type { Store } from '../data/store/store.js';

export interface ArchiveOptions {
  /** The London date the job runs as of. */
  asOf: string;
  /** Work out what would move; write nothing. */
  dryRun?: boolean;
}

export interface ArchiveFileResult {
  year: number;
  file: string;
  counts: Record<ArchivedCollection, number>;
}

export interface ArchiveResult {
  asOf: string;
  /** Bookings whose event ended before this London date were old enough. */
  cutoff: string;
  dryRun: boolean;
  /** Bookings moved (or, on a dry run, that would move). */
  bookings: number;
  /** Records moved in all, bookings included. */
  records: number;
  files: ArchiveFileResult[];
  /** Old and decided but kept live: flagged, or with an open action or a check in progress. */
  heldBack: { flagged: number; openWork: number };
  /** Changed while their archive file was written: left live this time, moved by a later run. */
  changedMeanwhile: number;
}

/** One record as the job read it: its JSON as the store last committed it, and its version. */
interface Snap {
  collection: ArchivedCollection;
  id: string;
  version: number;
  json: string;
}

function snapshotOf(store: Store, g: ArchiveGroup): Snap[] {
  const out: Snap[] = [];
  for (const c of ARCHIVED_COLLECTIONS) {
    const list = c === 'bookings' ? [g.booking] : (g[c] as { id: string; version: number }[]);
    for (const r of list) out.push({ collection: c, id: r.id, version: r.version, json: store.jsonOf(r) });
  }
  return out;
}

const signature = (snaps: readonly Pick<Snap, 'collection' | 'id' | 'version'>[]) =>
  snaps
    .map((s) => `${s.collection}/${s.id}/${s.version}`)
    .sort()
    .join('|');

const zeroCounts = () =>
  Object.fromEntries(ARCHIVED_COLLECTIONS.map((c) => [c, 0])) as Record<ArchivedCollection, number>;

/**
 * Moves decided bookings more than 12 months past, with the records that belong only to them, to the
 * per-year archive files (see checks/bookingArchiveRules.ts for which). Never loses a record, wherever it
 * is killed: each year's file is written durably first (merged with what it holds, keyed by id), and only
 * then are the records removed from the live data, in one audited transaction whose single `archive`
 * entry lists the files, counts and ids. Killed between the two, the records are in both places: readers
 * take the live copy, and the next run moves them again (the merge makes that a no-op on the file).
 * A booking changed while its file was written stays live this time (its archived copy is older, so
 * readers ignore it) and moves on a later run.
 */
export async function runArchive(store: Store, opts: ArchiveOptions): Promise<ArchiveResult> {
  return withArchiveWrites(store.path, async () => {
    const dryRun = opts.dryRun ?? false;
    if (store.writable && !dryRun) removeStrayArchiveTemps(store.path);
    const flagged = new Set<string>();
    for (const f of computeFlags(store.data, opts.asOf))
      if (f.subject.type === 'booking') flagged.add(f.subject.id);
    const plan = planBookingArchive(store.data, opts.asOf, flagged);

    const byYear = new Map<number, { bookingId: string; snaps: Snap[] }[]>();
    for (const g of plan.groups) {
      const year = archiveYearOf(g.booking);
      const list = byYear.get(year) ?? [];
      list.push({ bookingId: g.booking.id, snaps: snapshotOf(store, g) });
      byYear.set(year, list);
    }
    const years = [...byYear.keys()].sort((a, b) => a - b);
    const result: ArchiveResult = {
      asOf: opts.asOf,
      cutoff: plan.cutoff,
      dryRun,
      bookings: 0,
      records: 0,
      files: [],
      heldBack: plan.heldBack,
      changedMeanwhile: 0,
    };
    const countsOf = (groups: { snaps: Snap[] }[]) => {
      const counts = zeroCounts();
      for (const g of groups) for (const s of g.snaps) counts[s.collection]++;
      return counts;
    };
    if (dryRun || years.length === 0) {
      for (const y of years) {
        const counts = countsOf(byYear.get(y)!);
        result.files.push({ year: y, file: basename(archivePathFor(store.path, y)), counts });
        result.bookings += counts.bookings;
        result.records += Object.values(counts).reduce((a, b) => a + b, 0);
      }
      return result;
    }
    if (!store.writable) throw new Error('The archive job needs the database open for writing');

    // 1. Every year's file, durably, before anything leaves the live data.
    const writtenAt = store.now().toISOString();
    for (const y of years) {
      const adding = Object.fromEntries(ARCHIVED_COLLECTIONS.map((c) => [c, []])) as unknown as {
        [C in ArchivedCollection]: { id: string; json: string }[];
      };
      for (const g of byYear.get(y)!) for (const s of g.snaps) adding[s.collection].push(s);
      await mergeIntoArchive(store.path, y, adding, writtenAt);
    }

    // 2. One transaction: the bookings still exactly as written to their file leave the live data.
    await store.transact('archive', (tx) => {
      const now = planBookingArchive(store.data, opts.asOf, flagged);
      const current = new Map(now.groups.map((g) => [g.booking.id, signature(snapshotOf(store, g))]));
      const files: {
        year: number;
        file: string;
        counts: Record<string, number>;
        ids: Record<string, string[]>;
      }[] = [];
      for (const y of years) {
        const moving = byYear.get(y)!.filter((g) => current.get(g.bookingId) === signature(g.snaps));
        result.changedMeanwhile += byYear.get(y)!.length - moving.length;
        if (moving.length === 0) continue;
        const ids = Object.fromEntries(ARCHIVED_COLLECTIONS.map((c) => [c, [] as string[]]));
        for (const g of moving) {
          for (const s of g.snaps) {
            const list = ids[s.collection];
            if (list) list.push(s.id);
            else ids[s.collection] = [s.id];
          }
        }

        const counts = countsOf(moving);
        const file = basename(archivePathFor(store.path, y));
        files.push({ year: y, file, counts, ids });
        result.files.push({ year: y, file, counts });
        result.bookings += counts.bookings;
        result.records += Object.values(counts).reduce((a, b) => a + b, 0);
      }
      if (files.length === 0) return;
      tx.moveOut({
        collection: 'bookings',
        asOf: opts.asOf,
        eventsEndedBefore: plan.cutoff,
        bookings: result.bookings,
        records: result.records,
        files,
      });
    });
    return result;
  });
}

/**
 * The daily archive run for the scheduler (03:30 London, after the backup and the retention purge):
 * records its run in meta.jobRuns.archive, so a run missed while the server was down is caught up.
 */
export function archiveScheduledJob(
  store: Store,
  opts: { cron?: string; log?: (line: string) => void } = {},
) {
  const { cron = '30 3 * * *', log = () => {} } = opts;
  return {
    name: 'archive',
    crons: [cron],
    lastRun: (): string | null => store.data.meta.jobRuns.archive ?? null,
    async run(): Promise<undefined> {
      const startedAt = store.now();
      const r = await runArchive(store, { asOf: londonDate(startedAt) });
      await store.transact('system', (tx) =>
        tx.setMeta((meta) => {
          meta.jobRuns.archive = startedAt.toISOString();
        }),
      );
      if (r.bookings > 0)
        log(
          `Archive: ${r.bookings} bookings (${r.records} records) moved to ${r.files.map((f) => f.file).join(', ')}`,
        );
      return undefined;
    },
  };
}
