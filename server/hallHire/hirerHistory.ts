import type { Booking, BookingDecision, Hall } from '../../data/schemas/hallHireSchemas.js';
import type { Premises } from '../../data/schemas/premisesSchemas.js';
import type { Store } from '../../data/store/store.js';
import type { BookingArchive } from './bookingArchive.js';
import { hirerKey } from './hallHireKeys.js';

/** Bookings of the same person or organisation (by name, charity or company number), at every venue. */
export function createHirerHistory(
  store: Store,
  archived: BookingArchive,
  premisesOf: (hall: Hall | undefined) => Premises | undefined,
) {
  /** The other hirer records that are the same person or organisation, with how they are related. */
  function relatedHirers(hirerId: string): Map<string, string> {
    const related = new Map<string, string>();
    const hirer = store.get('hirers', hirerId);
    if (!hirer) return related;
    const person = hirerKey(hirer.name, null);
    const org = hirer.organisation ? hirerKey('', hirer.organisation) : null;
    for (const h of store.list('hirers')) {
      const how: string[] = [];
      // A removed name ("Removed") says nothing about who booked; the organisation and numbers still do.
      const samePerson =
        !hirer.personalDataRemoved && !h.personalDataRemoved && hirerKey(h.name, null) === person;
      if (h.id === hirer.id || samePerson) how.push('same hirer');
      if (org && h.organisation && hirerKey('', h.organisation) === org) how.push('same organisation');
      if (hirer.charityNumber && h.charityNumber === hirer.charityNumber) how.push('same charity number');
      if (hirer.companyNumber && h.companyNumber === hirer.companyNumber) how.push('same company number');
      if (how.length) related.set(h.id, how.join(', '));
    }
    return related;
  }

  return function historyOf(booking: Booking) {
    const related = relatedHirers(booking.hirerId);
    if (related.size === 0) return [];
    const liveRows = store
      .list('bookings')
      .filter((b) => b.id !== booking.id && related.has(b.hirerId))
      .map((b) => ({
        b,
        archived: false,
        decision: b.decisionId ? store.get('bookingDecisions', b.decisionId) : undefined,
      }));
    // Decided bookings more than a year past are in the archive files; the history still shows them.
    const old = archived.ofHirers(new Set(related.keys())).filter((b) => b.id !== booking.id);
    const oldDecisions = old.length ? archived.decisionsById() : new Map<string, BookingDecision>();
    const oldRows = old.map((b) => ({
      b,
      archived: true,
      decision: b.decisionId ? oldDecisions.get(b.decisionId) : undefined,
    }));
    return [...liveRows, ...oldRows]
      .sort((a, b) => b.b.start.localeCompare(a.b.start))
      .map(({ b, archived, decision }) => {
        const hall = store.get('halls', b.hallId);
        return {
          booking: b,
          hall,
          premises: premisesOf(hall),
          hirer: store.get('hirers', b.hirerId),
          how: related.get(b.hirerId) ?? '',
          decision,
          archived,
        };
      });
  };
}
