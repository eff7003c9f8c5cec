import {
  type BookingMatch,
  namesToScreen,
  screenNames,
  watchlistIndexOf,
} from '../../checks/bookingRules.js';
import type { WatchlistIndex } from '../../checks/nameMatching.js';
import type { Booking, BookingScreening, WatchlistEntryRecord } from '../../data/schemas/hallHireSchemas.js';
import type { Store, Transaction } from '../../data/store/store.js';
import { notFound } from '../errors.js';

/** Screening a booking's names (hirer, other names, speakers) against the watch lists, and its record. */
export function createScreeningService(store: Store) {
  // The watch-list index is rebuilt only when a list changes (list records' versions are the signature).
  let indexCache: { signature: string; index: WatchlistIndex<WatchlistEntryRecord> } | null = null;
  function watchlistIndex(): WatchlistIndex<WatchlistEntryRecord> {
    const lists = store.list('watchlists');
    const signature = lists.map((l) => `${l.id}:${l.version}`).join(',');
    if (!indexCache || indexCache.signature !== signature) {
      indexCache = { signature, index: watchlistIndexOf(lists, store.list('watchlistEntries')) };
    }
    return indexCache.index;
  }

  function namesOf(booking: Booking) {
    const hirer = store.get('hirers', booking.hirerId);
    return hirer ? namesToScreen(hirer, booking.speakers) : [];
  }

  /** Screens a booking's current names against the current lists. */
  function liveMatches(booking: Booking): BookingMatch[] {
    return screenNames(watchlistIndex(), namesOf(booking));
  }

  const openMatches = (booking: Booking) =>
    liveMatches(booking).filter((m) => !booking.clearedEntryIds.includes(m.entry.id));

  function listVersions() {
    return store.list('watchlists').map((l) => ({
      listId: l.id,
      source: l.source,
      asOf: l.asOf,
      listVersion: l.version,
      entries: l.entryCount,
    }));
  }

  /** Records a screening of the booking inside a transaction: which list versions, and what matched. */
  function recordScreening(
    tx: Transaction,
    booking: Booking,
    by: string,
    why: BookingScreening['why'],
    reviewId: string | null,
  ): BookingScreening {
    return tx.insert('bookingScreenings', {
      bookingId: booking.id,
      eventDay: booking.end.slice(0, 10),
      at: tx.at,
      by,
      why,
      reviewId,
      lists: listVersions(),
      matches: liveMatches(booking).map((m) => ({
        role: m.role,
        name: m.name,
        entryId: m.entry.id,
        listId: m.listId,
        source: m.source,
        asOf: m.asOf,
        entryName: m.entry.name,
        entryType: m.entry.type,
        matchedText: m.matchedText,
        via: m.via,
        reason: m.reason,
      })),
    });
  }

  return {
    liveMatches,
    openMatches,
    listVersions,
    recordScreening,
    screeningsOf: (bookingId: string) =>
      store
        .list('bookingScreenings')
        .filter((s) => s.bookingId === bookingId)
        .sort((a, b) => b.at.localeCompare(a.at)),

    async screen(actor: string, id: string): Promise<BookingScreening> {
      const booking = store.get('bookings', id);
      if (!booking) throw notFound();
      return store.transact(actor, (tx) => recordScreening(tx, booking, actor, 'requested', null));
    },
  };
}

export type ScreeningService = ReturnType<typeof createScreeningService>;
