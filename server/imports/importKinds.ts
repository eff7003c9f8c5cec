import { parseBookingsCsv } from '../../data/csv/bookingReader.js';
import { parseTrainingCsv } from '../../data/csv/trainingReader.js';
import type { ImportKind } from '../../data/schemas/importSchemas.js';
import type { Store } from '../../data/store/store.js';
import { type BookingImportResult, planBookings } from '../services/bookingImport.js';
import type { ImportCounts, PlannedImport } from '../services/importPlan.js';
import {
  type LibraryImportResult,
  layoutNames,
  planLibraries,
  readLibraryImport,
} from '../services/libraryImport.js';
import { planPremises, readPremisesFile } from '../services/premisesImport.js';
import { planSchools, readSchoolsFile } from '../services/schoolImport.js';
import { planTraining } from '../services/trainingImport.js';
import {
  planWatchlist,
  readWatchlistFile,
  type WatchlistImportResult,
} from '../services/watchlistService.js';

/** What an import is asked to do besides its file. */
export interface ImportOptions {
  /** Schools and libraries: keep only these local authorities / library services. */
  la: string[];
  /** Watch list: the source of a simple list. */
  source: string | null;
  /** Watch list: the list's "as of" date when given (the CLI's --as-of). */
  listAsOf?: string;
  /** Today in London: training dates may not be later. */
  today: string;
  spocPhases: readonly string[];
  /** Told what is happening while a long file is read. */
  progress?: (message: string) => void;
}

export type AnyImportResult = ImportCounts &
  Partial<BookingImportResult & LibraryImportResult & WatchlistImportResult>;

/**
 * One kind of import: `read` turns the file into rows (refusing it whole with every bad row), `plan`
 * works out against the data what applying would do. `read` never touches the data, so the CLI reads
 * before opening the database and the browser before anything is locked; `plan` is synchronous, so it
 * runs again inside the applying transaction.
 */
export interface ImportKindDef {
  read(file: Buffer, opts: ImportOptions): unknown;
  plan(store: Store, read: unknown, opts: ImportOptions): PlannedImport<AnyImportResult>;
  /** Lines said before the counts (what the file turned out to be). */
  lead?(result: AnyImportResult): string[];
  /** Lines said after the counts; `applied` once written; dates through `day`. */
  notes?(result: AnyImportResult, applied: boolean, day: (iso: string) => string): string[];
}

type Read<F extends (...args: never[]) => unknown> = ReturnType<F>;

export const importKindDefs: Record<ImportKind, ImportKindDef> = {
  schools: {
    read: (file, o) => readSchoolsFile(file, { la: o.la, progress: o.progress }),
    plan: (store, read, o) =>
      planSchools(store, read as Read<typeof readSchoolsFile>, {
        spocPhases: o.spocPhases,
        progress: o.progress,
      }),
  },
  libraries: {
    read: (file, o) => readLibraryImport(file, o.la),
    plan: (store, read) => planLibraries(store, read as Read<typeof readLibraryImport>),
    lead: (r) => (r.layout ? [`Read the ${layoutNames[r.layout]}.`] : []),
    notes: (r) =>
      r.closed
        ? [
            `${r.closed} ${r.closed === 1 ? 'library has' : 'libraries have'} a closing year: kept as closed, not reviewed or flagged.`,
          ]
        : [],
  },
  premises: {
    read: (file) => readPremisesFile(file),
    plan: (store, read) => planPremises(store, read as Read<typeof readPremisesFile>),
  },
  bookings: {
    read: (file) => parseBookingsCsv(file),
    plan: (store, read) => planBookings(store, read as Read<typeof parseBookingsCsv>),
    notes(r, applied) {
      const lines: string[] = [];
      if (r.hallsCreated?.length) lines.push(`New halls: ${r.hallsCreated.join('; ')}`);
      if (r.hirersCreated || r.hirersUpdated)
        lines.push(`Hirers: ${r.hirersCreated} new, ${r.hirersUpdated} updated`);
      if (applied && r.sentBack?.length)
        lines.push(`Names changed, so these bookings need their checks again: ${r.sentBack.join(', ')}`);
      if (r.skippedArchived?.length)
        lines.push(
          `Skipped as already archived (decided, event ended more than 12 months ago; not created again): ${r.skippedArchived.join(', ')}`,
        );
      return lines;
    },
  },
  watchlist: {
    read: (file, o) => readWatchlistFile(file, { source: o.source ?? undefined }),
    plan: (store, read, o) =>
      planWatchlist(store, read as Read<typeof readWatchlistFile>, { asOf: o.listAsOf, today: o.today }),
    notes(r, _applied, day) {
      const lines: string[] = [];
      if (r.removed) lines.push(`Removed ${r.removed} no longer on the list`);
      for (const l of r.lists ?? []) {
        lines.push(
          `${l.created ? 'New list' : 'List'} "${l.source}" as of ${day(l.asOf)}: ${l.entries} entries`,
        );
        if (l.replacedAsOf && l.replacedAsOf > l.asOf)
          lines.push(
            `  Note: this is older than the list it replaces, which was as of ${day(l.replacedAsOf)}`,
          );
      }
      return lines;
    },
  },
  training: {
    read: (file, o) => parseTrainingCsv(file, { today: o.today }),
    plan: (store, read) => planTraining(store, read as Read<typeof parseTrainingCsv>),
  },
};
