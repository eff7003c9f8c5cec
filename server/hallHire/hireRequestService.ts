import { randomBytes } from 'node:crypto';
import { namesToScreen, screenKeysOf } from '../../checks/bookingRules.js';
import { bookingWhenText, earliestOnlineStart, hirerStatus } from '../../checks/hireRules.js';
import { londonDate } from '../../checks/londonDates.js';
import type { Booking, Hall, Speaker } from '../../data/schemas/hallHireSchemas.js';
import type { Store } from '../../data/store/store.js';
import type { BookingService } from './bookingService.js';
import type { NotificationService } from '../services/notificationService.js';
import { HIRE_TOKEN, type HireLinks, sha256Hex } from './hireLinks.js';

/** Who made the request: the actor in the audit log (no account, so no email of a user). */
export const ONLINE_ACTOR = 'online request';

/** A request as validated (server/public/hireForms.ts): every field within its limits. */
export interface HireRequestInput {
  hallId: string;
  /** London local, YYYY-MM-DDTHH:MM. */
  start: string;
  end: string;
  eventTitle: string;
  purpose: string;
  expectedAttendance: number | null;
  openToPublic: boolean;
  hirerName: string;
  hirerEmail: string;
  hirerPhone: string | null;
  organisation: string | null;
  otherNames: string[];
  charityNumber: string | null;
  companyNumber: string | null;
  speakers: { name: string; affiliation: string | null }[];
}

/** A hall offered online, as the form lists it. */
export interface OnlineHall {
  id: string;
  text: string;
  capacity: number | null;
}

/** A request as recorded: its booking, the hirer's status link and the address the receipt went to. */
export interface MadeRequest {
  booking: Booking;
  statusUrl: string;
  email: string;
}

const REF_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Hall-hire requests from the public (SPEC §13): a provisional booking marked as an online request,
 * with its hirer and speakers, screened at once, and a status link. Nothing here reads or changes
 * another request's data: each request gets its own hirer record, so the public can never alter a
 * record staff already hold (staff may merge them when they correct the booking).
 */
export function createHireRequestService(
  store: Store,
  bookings: BookingService,
  notifications: NotificationService,
  links: HireLinks,
) {
  function isOnline(hall: Hall | undefined): hall is Hall {
    if (!hall || hall.archived || !hall.bookableOnline) return false;
    const p = store.get('premises', hall.premisesId);
    return Boolean(p && !p.archived);
  }

  function newRef(): string {
    for (;;) {
      const bytes = randomBytes(6);
      const ref = `WEB-${[...bytes].map((b) => REF_ALPHABET[b % REF_ALPHABET.length]).join('')}`;
      const taken = store.list('bookings').some((b) => b.ref === ref) || bookings.archived.byRef(ref);
      if (!taken) return ref;
    }
  }

  function requestOfToken(token: string) {
    if (!HIRE_TOKEN.test(token)) return undefined;
    const hash = sha256Hex(token);
    return store.list('hireRequests').find((r) => r.tokenHash === hash);
  }

  function bySubmission(submissionKey: string): MadeRequest | undefined {
    const hash = sha256Hex(`submission:${submissionKey}`);
    const request = store.list('hireRequests').find((r) => r.submissionHash === hash);
    const booking = request ? bookings.get(request.bookingId) : undefined;
    return request && booking
      ? { booking, statusUrl: links.statusUrl(request.id), email: request.contactEmail ?? '' }
      : undefined;
  }

  function bookingOf(bookingId: string): Booking | undefined {
    return bookings.get(bookingId) ?? bookings.archived.find(bookingId)?.booking;
  }

  return {
    /** Halls offered online, "Premises — Hall", sorted. */
    halls(): OnlineHall[] {
      return store
        .list('halls')
        .filter(isOnline)
        .map((h) => ({
          id: h.id,
          text: `${store.get('premises', h.premisesId)!.name} — ${h.name}`,
          capacity: h.capacity,
        }))
        .sort((a, b) => a.text.localeCompare(b.text));
    },

    onlineHall: (id: string): Hall | undefined => {
      const hall = store.get('halls', id);
      return isOnline(hall) ? hall : undefined;
    },

    today: () => londonDate(store.now()),

    earliestStart: () => earliestOnlineStart(londonDate(store.now())),

    /** Whether the hall is already taken (a booking not refused or cancelled overlaps the time). */
    clashes(hallId: string, start: string, end: string): boolean {
      return store
        .list('bookings')
        .some(
          (b) =>
            b.hallId === hallId &&
            b.status !== 'refused' &&
            b.status !== 'cancelled' &&
            b.start < end &&
            start < b.end,
        );
    },

    /** The request already made from this check-answers page (sent twice: one request). */
    bySubmission,

    /**
     * Records the request: hirer, provisional booking, screening and the emails owed, in one change. The
     * same check-answers page sent again (even at once, or through another instance) gets the request it
     * made: the check is made inside the change, once memory has caught up with every instance's commits.
     */
    async create(input: HireRequestInput, submissionKey: string): Promise<MadeRequest> {
      const hall = store.get('halls', input.hallId);
      if (!hall) throw new Error('create() takes a checked request: its hall exists');
      const speakers: Speaker[] = input.speakers.map((s) => ({
        name: s.name,
        aliases: [],
        affiliation: s.affiliation,
      }));
      return store.transact(ONLINE_ACTOR, (tx): MadeRequest => {
        const made = bySubmission(submissionKey);
        if (made) return made;
        const hirer = tx.insert('hirers', {
          name: input.hirerName,
          organisation: input.organisation,
          otherNames: input.otherNames,
          charityNumber: input.charityNumber,
          companyNumber: input.companyNumber,
          email: input.hirerEmail.toLowerCase(),
          phone: input.hirerPhone,
          address: null,
          lastEventOn: input.end.slice(0, 10),
          personalDataRemoved: false,
        });
        const officer = store.get('premises', hall.premisesId)?.siteManagerEmail ?? null;
        const created = tx.insert('bookings', {
          ref: newRef(),
          hallId: hall.id,
          start: input.start,
          end: input.end,
          eventTitle: input.eventTitle,
          purpose: input.purpose,
          expectedAttendance: input.expectedAttendance,
          openToPublic: input.openToPublic,
          hirerId: hirer.id,
          speakers,
          bookingOfficerEmail: officer?.toLowerCase() ?? null,
          status: 'provisional',
          screenKeys: screenKeysOf(namesToScreen(hirer, speakers)),
          checksReviewId: null,
          decisionId: null,
          clearedEntryIds: [],
          personalDataRemoved: false,
          origin: 'online',
        });
        // Screened at once: the booking page and the booking officers' email show any match.
        bookings.recordScreening(tx, created, ONLINE_ACTOR, 'requested', null);
        const id = `${randomBytes(16).toString('hex')}`;
        tx.insert('hireRequests', {
          id,
          bookingId: created.id,
          tokenHash: sha256Hex(links.token(id)),
          submissionHash: sha256Hex(`submission:${submissionKey}`),
          contactEmail: input.hirerEmail.toLowerCase(),
          eventDay: created.end.slice(0, 10),
          personalDataRemoved: false,
        });
        notifications.requested(tx, created, id, hall.premisesId);
        return { booking: created, statusUrl: links.statusUrl(id), email: input.hirerEmail.toLowerCase() };
      });
    },

    /** The status page's view of a token's request, or undefined (unknown, altered or removed). */
    status(token: string) {
      const request = requestOfToken(token);
      if (!request || request.personalDataRemoved) return undefined;
      const b = bookingOf(request.bookingId);
      if (!b) return undefined;
      const hall = store.get('halls', b.hallId);
      const premises = hall ? store.get('premises', hall.premisesId) : undefined;
      const decision = b.decisionId ? (store.get('bookingDecisions', b.decisionId) ?? null) : null;
      return {
        ref: b.ref,
        eventTitle: b.eventTitle,
        venue: hall && premises ? `${hall.name}, ${premises.name}` : 'The hall',
        whenText: bookingWhenText(b.start, b.end),
        receivedOn: request.createdAt,
        status: hirerStatus(b.status, decision),
      };
    },
  };
}

export type HireRequestService = ReturnType<typeof createHireRequestService>;
