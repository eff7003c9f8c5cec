import { isDecided, namesToScreen, screenKeysOf } from '../../checks/bookingRules.js';
import { londonDate } from '../../checks/londonDates.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Booking, BookingDecision } from '../../data/schemas/hallHireSchemas.js';
import { ArchiveReader } from '../../data/store/archiveFiles.js';
import type { Store, Transaction } from '../../data/store/store.js';
import { notFound } from '../errors.js';
import { versionToSaveOver } from '../forms/shownFields.js';
import type { SubjectRegistry } from '../services/subjectRegistry.js';
import { InputError } from '../errors.js';
import { createBookingArchive } from './bookingArchive.js';
import { createBookingList } from './bookingList.js';
import { createBookingPermissions } from './bookingPermissions.js';
import {
  type BookingInput,
  type BookingLookups,
  bookingFields,
  validateBooking,
} from './bookingValidation.js';
import { createDecisionService } from './decisionService.js';
import { createHallService } from './hallService.js';
import { createHirerHistory } from './hirerHistory.js';
import { createHirerService } from './hirerService.js';
import { applyNameChange, refreshHirersBookings } from './nameChanges.js';
import { createScreeningService } from './screeningService.js';

export type { BookingInput, HallInput, HirerInput, SpeakerInput } from './bookingValidation.js';
export type { DecisionForm } from './decisionService.js';

const STAFF = new Set(['coordinator', 'facilities']);

/**
 * Hall hire in one bag for the routes: halls, hirers, screening, decisions, the list and history, each
 * built in its own file; this one adds and changes bookings and ties a booking's checks to its review.
 */
/**
 * What the booking edit form shows of a booking itself (its hirer's details carry the hirer's version),
 * and its status: a decision made since the form was opened is a change the person must see first.
 */
export function bookingFormShows(b: Booking): Record<string, unknown> {
  return {
    status: b.status,
    ref: b.ref,
    hallId: b.hallId,
    start: b.start,
    end: b.end,
    eventTitle: b.eventTitle,
    purpose: b.purpose,
    expectedAttendance: b.expectedAttendance,
    openToPublic: b.openToPublic,
    speakers: b.speakers,
    bookingOfficerEmail: b.bookingOfficerEmail,
  };
}

/** What other areas do inside a booking's own changes (e.g. record the emails a decision owes). */
export interface BookingHooks {
  decided?: (tx: Transaction, decision: BookingDecision, booking: Booking) => void;
}

export function createBookingService(
  store: Store,
  subjects: SubjectRegistry,
  archive = new ArchiveReader(store.path),
  hooks: BookingHooks = {},
) {
  const archived = createBookingArchive(store, archive);
  const halls = createHallService(store);
  const hirers = createHirerService(store);
  const screening = createScreeningService(store);
  const permissions = createBookingPermissions(store);
  const decisions = createDecisionService(store, screening, permissions, hooks);
  const mayEditHirer = (user: User) => (hirerId: string) =>
    permissions.hirerPermissionFor(user, hirerId).allowed;

  const lookups: BookingLookups = {
    bookingByRef: (ref) => store.list('bookings').find((b) => b.ref.toLowerCase() === ref.toLowerCase()),
    archivedYearOfRef: (ref) => archived.byRef(ref)?.year,
    hallInUse: (hallId) => {
      const hall = store.get('halls', hallId);
      return Boolean(hall && !hall.archived);
    },
  };

  subjects.register({
    type: 'booking',
    templateId: 'booking-due-diligence',
    reviewName: 'Booking due diligence',
    describe(s, id) {
      const b = s.get('bookings', id);
      return b
        ? {
            type: 'booking',
            id: b.id,
            ref: b.ref,
            name: b.eventTitle ?? `Booking ${b.ref}`,
            href: `/bookings/${b.id}`,
            ownerEmails: b.bookingOfficerEmail ? [b.bookingOfficerEmail] : [],
          }
        : undefined;
    },
    canView: (user) => STAFF.has(user.role),
    canEdit: (user, id) => {
      const b = store.get('bookings', id);
      return b !== undefined && permissions.permission(user, 'review', b).allowed;
    },
    editRefusal: (user, id) => {
      const b = store.get('bookings', id);
      const p = b ? permissions.permission(user, 'review', b) : undefined;
      return p && !p.allowed ? p.reason : null;
    },
    previousReview(_s, id) {
      const b = store.get('bookings', id);
      return b ? decisions.hirersRecentCheck(b) : undefined;
    },
    onSubmitted(tx, review, user) {
      const b = store.get('bookings', review.subjectId);
      if (!b) return;
      const updated = tx.update('bookings', b.id, {
        checksReviewId: review.id,
        status: b.status === 'provisional' ? 'checks-complete' : b.status,
      });
      screening.recordScreening(tx, updated, user.email, 'checks-submitted', review.id);
    },
  });

  return {
    ...halls,
    ...hirers,
    ...screening,
    ...decisions,
    ...permissions,
    get: (id: string) => store.get('bookings', id),
    historyOf: createHirerHistory(store, archived, halls.premisesOf),
    /** Decided bookings more than a year past, read from the archive files (never by the dashboard or writes). */
    archived,
    list: createBookingList(store, archived, halls.premisesOf),
    screen: (user: User, id: string) => screening.screen(user.email, id),
    /**
     * The reference offered on a new booking: `HH-2026-0042`, the year's next number, never one in use
     * (live or archived). The form lets it be changed where the council has its own scheme.
     */
    nextRef(): string {
      const year = londonDate(store.now()).slice(0, 4);
      const pattern = new RegExp(`^HH-${year}-(\\d+)$`, 'i');
      let n = 1;
      for (const b of store.list('bookings')) {
        const seq = Number(pattern.exec(b.ref)?.[1] ?? 0);
        if (seq >= n) n = seq + 1;
      }
      const refOf = (i: number) => `HH-${year}-${String(i).padStart(4, '0')}`;
      while (lookups.archivedYearOfRef(refOf(n)) !== undefined) n++;
      return refOf(n);
    },
    updateHirer(user: User, id: string, input: Parameters<typeof hirers.updateHirer>[2], version: number) {
      permissions.assertMayEditHirer(user, id);
      return hirers.updateHirer(user.email, id, input, version);
    },

    async create(user: User, input: BookingInput): Promise<Booking> {
      return store.transact(user.email, (tx) => {
        // Checked here, on memory caught up with every instance: a reference taken meanwhile (the same
        // form sent twice at once, or through another instance) is refused, never used twice.
        const errors = {
          ...validateBooking(input, lookups),
          ...hirers.hirerChangeProblem(input, 'merge', mayEditHirer(user)),
        };
        if (Object.keys(errors).length > 0) throw new InputError(errors);
        const hirer = hirers.upsertHirer(tx, input, 'merge', input.endDate ?? '');
        refreshHirersBookings(store, tx, hirer);
        const fields = bookingFields(input);
        return tx.insert('bookings', {
          ...fields,
          hirerId: hirer.id,
          status: 'provisional',
          screenKeys: screenKeysOf(namesToScreen(hirer, fields.speakers)),
          checksReviewId: null,
          decisionId: null,
          clearedEntryIds: [],
          personalDataRemoved: false,
        });
      });
    },

    /** Saves changes; returns whether the change of names sent the booking back for checks. */
    async update(
      user: User,
      id: string,
      input: BookingInput,
      version: number,
      /**
       * The version of the booking's hirer when the form was opened: its hirer section replaces that
       * hirer's details, so a change made to the hirer since is refused as a conflict, not overwritten.
       * Not a whole number (a client that does not send it): not checked.
       */
      hirerVersion?: number,
      /** The edit form's fingerprint of what it showed of the booking (bookingFormShows). */
      shown?: string,
    ): Promise<{ booking: Booking; reset: boolean }> {
      const current = store.get('bookings', id);
      if (!current) throw notFound();
      permissions.assertMay(user, 'edit', current);
      return store.transact(user.email, (tx) => {
        // As in create: the reference is checked against what every instance has committed.
        const errors = {
          ...validateBooking(input, lookups, id),
          ...hirers.hirerChangeProblem(input, 'replace', mayEditHirer(user)),
        };
        if (Object.keys(errors).length > 0) throw new InputError(errors);
        const hirer = hirers.upsertHirer(tx, input, 'replace', input.endDate ?? '', {
          id: current.hirerId,
          version: hirerVersion,
        });
        const fields = bookingFields(input);
        const patch: Partial<Booking> = { ...fields, hirerId: hirer.id };
        const { reset } = applyNameChange(
          current,
          screenKeysOf(namesToScreen(hirer, fields.speakers)),
          patch,
          store.now(),
        );
        // Saved over a change the form does not show (a cleared watch-list match, a screening's record)
        // when nothing it shows has changed; over a change to what it shows, refused and listed.
        const booking = tx.update(
          'bookings',
          id,
          patch,
          versionToSaveOver(current, version, shown, bookingFormShows(current)),
        );
        // A request from the public, corrected by staff, is screened again on what it now says.
        if (booking.origin === 'online')
          screening.recordScreening(tx, booking, user.email, 'requested', null);
        refreshHirersBookings(store, tx, hirer, new Set([id]));
        return { booking, reset };
      });
    },

    isDecided,
  };
}

export type BookingService = ReturnType<typeof createBookingService>;
