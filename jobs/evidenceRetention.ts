import { archiveYears, readArchiveFile } from '../data/store/archiveFiles.js';
import { evidenceFilesFor } from '../data/pg/pgEvidenceFiles.js';
import type { Store } from '../data/store/store.js';
import type { RetentionCount } from './retentionRegistry.js';

const DESCRIBE =
  "evidence files of bookings' due-diligence reviews, once the booking's personal data has been removed (or the booking deleted)";

/**
 * Evidence uploaded to a booking's due-diligence review may hold the hirer's or speakers' personal data
 * (a letter, an ID check): once the booking's personal data is removed — by whichever rule removed it —
 * so is that evidence. The records go in one change by "retention" (the log says which and how many,
 * never what they held), then their files. Runs after the rules, so a booking erased in this run loses its
 * evidence in this run. Bookings moved to the archive files count too. A file that cannot be deleted now
 * has no record, and the next start removes it.
 */
export async function removeEvidenceOfErasedBookings(store: Store): Promise<RetentionCount | null> {
  if (store.list('evidence').length === 0) return null;
  const reviews = new Set<string>();
  for (const r of store.list('reviews')) {
    if (r.subjectType !== 'booking') continue;
    // A booking deleted outright has had its personal data removed too.
    const booking = store.get('bookings', r.subjectId);
    if (!booking || booking.personalDataRemoved) reviews.add(r.id);
  }
  for (const id of erasedArchivedBookingReviews(store)) reviews.add(id);
  if (reviews.size === 0) return null;
  const doomed = store.list('evidence').filter((e) => reviews.has(e.reviewId));
  if (doomed.length === 0) return null;
  await store.transact('retention', (tx) => {
    for (const e of doomed) tx.remove('evidence', e.id, { erase: true });
    tx.note('retention', 'evidence', '-', { rule: DESCRIBE, redacted: 0, deleted: doomed.length });
  });
  const folder = evidenceFilesFor(store);
  for (const e of doomed) {
    try {
      await folder.remove(e.id);
    } catch {
      // Left for the start-up sweep, which removes files no record names.
    }
  }
  return { collection: 'evidence', describe: DESCRIBE, redacted: 0, deleted: doomed.length };
}

/**
 * Reviews of archived bookings (moved with their booking to the per-year archive files) whose booking's
 * personal data has been removed there. A booking still live wins over its archived copy; a damaged
 * archive file is skipped (the retention run reports it).
 */
function erasedArchivedBookingReviews(store: Store): string[] {
  const out: string[] = [];
  if (!store.writable) return out;
  for (const year of archiveYears(store.path)) {
    let file: ReturnType<typeof readArchiveFile>;
    try {
      file = readArchiveFile(store.path, year);
    } catch {
      continue;
    }
    if (!file) continue;
    const erased = new Set(
      file.records.bookings
        .filter((b) => b.personalDataRemoved && !store.get('bookings', b.id))
        .map((b) => b.id),
    );
    for (const r of file.records.reviews) {
      if (r.subjectType === 'booking' && erased.has(r.subjectId)) out.push(r.id);
    }
  }
  return out;
}
