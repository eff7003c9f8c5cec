import { basename } from 'node:path';
import { formatDate } from '../../checks/londonDates.js';
import type { AuditEntry } from '../../data/store/auditLog.js';
import { archivePathFor, type ArchiveReader } from '../../data/store/archiveFiles.js';
import type { Store } from '../../data/store/store.js';
import { type AuditService, movedIdsOf } from './auditService.js';
import { createBookingArchive } from '../hallHire/bookingArchive.js';

export const HIRER_EXPORT_FORMAT = 'dueregard-hirer-export';

/**
 * Everything held about one hirer (a subject access request, issue #8.8): the hirer record; every booking
 * of theirs, live and archived, with its speakers, decisions, screenings (with their matches) and
 * due-diligence checks (answers, actions, and what evidence files they hold: name, type, size, hash,
 * description; the files themselves download from each check); and the audit-log entries about those records. An archive
 * entry (one per run, listing every record it moved) appears as an excerpt naming only this hirer's
 * records. Nothing about other hirers is included.
 */
export function createHirerExportService(store: Store, archive: ArchiveReader, audit: AuditService) {
  const archived = createBookingArchive(store, archive);
  const evidenceOf = (reviews: readonly { id: string }[]) => {
    const ids = new Set(reviews.map((r) => r.id));
    return store.list('evidence').filter((e) => ids.has(e.reviewId));
  };

  function liveParts(bookingId: string) {
    const reviews = store
      .list('reviews')
      .filter((r) => r.subjectType === 'booking' && r.subjectId === bookingId);
    const reviewIds = new Set(reviews.map((r) => r.id));
    return {
      decisions: store.list('bookingDecisions').filter((d) => d.bookingId === bookingId),
      screenings: store.list('bookingScreenings').filter((s) => s.bookingId === bookingId),
      reviews,
      evidence: evidenceOf(reviews),
      actions: store
        .list('actions')
        .filter(
          (a) =>
            (a.subjectType === 'booking' && a.subjectId === bookingId) ||
            (a.reviewId !== null && reviewIds.has(a.reviewId)),
        ),
    };
  }

  /** The export, or undefined when there is no such hirer. Records the export in the audit log. */
  async function exportHirer(hirerId: string, actor: string) {
    const hirer = store.get('hirers', hirerId);
    if (!hirer) return undefined;
    const bookings = [
      ...store
        .list('bookings')
        .filter((b) => b.hirerId === hirerId)
        .map((b) => ({
          archived: false,
          archiveFile: null as string | null,
          booking: b,
          ...liveParts(b.id),
        })),
      ...archived.ofHirers(new Set([hirerId])).map((b) => {
        const old = archived.find(b.id)!;
        return {
          archived: true,
          archiveFile: basename(archivePathFor(store.path, old.year)),
          booking: old.booking,
          decisions: old.decisions,
          screenings: old.screenings,
          reviews: old.reviews,
          evidence: evidenceOf(old.reviews),
          actions: old.actions,
        };
      }),
    ].sort((a, b) => a.booking.start.localeCompare(b.booking.start));

    const ids = new Set<string>([hirerId]);
    for (const b of bookings) {
      ids.add(b.booking.id);
      for (const list of [b.decisions, b.screenings, b.reviews, b.evidence, b.actions])
        for (const r of list) ids.add(r.id);
    }
    const entries = (await audit.about(ids)).map((e): AuditEntry | Record<string, unknown> =>
      e.action === 'archive'
        ? {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            collection: e.collection,
            excerpt: 'This entry moved other records too; only this hirer’s are listed here.',
            moved: movedIdsOf(e).filter((id) => ids.has(id)),
            files: ((e.after as { files?: { file?: string }[] }).files ?? []).map((f) => f.file),
          }
        : e,
    );
    // An erased hirer: when retention removed their personal data (the log's erase entry of the record).
    const erasedAt = hirer.personalDataRemoved
      ? ((entries.find((e) => e.action === 'erase' && (e as AuditEntry).recordId === hirerId)?.at as
          | string
          | undefined) ?? null)
      : null;
    const exportedAt = store.now().toISOString();
    await store.transact(actor, (tx) =>
      tx.note('export', 'hirers', hirerId, {
        what: 'everything held about the hirer',
        bookings: bookings.length,
        archivedBookings: bookings.filter((b) => b.archived).length,
        auditEntries: entries.length,
      }),
    );
    return {
      format: HIRER_EXPORT_FORMAT,
      version: 1,
      exportedAt,
      exportedBy: actor,
      database: basename(store.path),
      hirer,
      ...(hirer.personalDataRemoved
        ? {
            erased: {
              at: erasedAt,
              note: `This hirer's personal data was erased under the retention policy${erasedAt ? ` on ${formatDate(erasedAt.slice(0, 10))}` : ''}. What remains is kept as the record of what was decided.`,
            },
          }
        : {}),
      bookings,
      auditEntries: entries,
    };
  }

  return { exportHirer };
}

export type HirerExportService = ReturnType<typeof createHirerExportService>;
