import { isEmailAddress } from '../../checks/limits.js';
import {
  type BookingMatch,
  type DecisionInput,
  decisionProblems,
  isDecided,
  namesToScreen,
  screenKeysOf,
  screenNames,
  watchlistIndexOf,
} from '../../checks/bookingRules.js';
import {
  addMonths,
  londonDate,
  londonLocalDateTime,
  londonLocalToInstant,
} from '../../checks/londonDates.js';
import type { WatchlistIndex } from '../../checks/nameMatching.js';
import {
  type BookingAction,
  type BookingFacts,
  bookingPermission,
  hirerPermission,
  type Permission,
} from '../../checks/permissions.js';
import { noAnswers, type Answers } from '../../checks/reviewRules.js';
import { getTemplate } from '../../checks/templates/index.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type {
  Booking,
  BookingDecision,
  BookingScreening,
  BookingStatus,
  Hall,
  Hirer,
  Speaker,
  WatchlistEntryRecord,
} from '../../data/schemas/hallHireSchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import { ArchiveReader } from '../../data/store/archiveFiles.js';
import { checkVersion, type Store, type Transaction } from '../../data/store/store.js';
import { HttpError, notFound } from '../middleware/setUpAuthentication.js';
import { createBookingArchive } from './bookingArchive.js';
import { hallKey, hirerKey } from './hallHireKeys.js';
import { registerSubjectKind } from './subjectRegistry.js';
import { type FieldErrors, InputError } from './userService.js';

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const STAFF = new Set(['coordinator', 'facilities']);
const blank = (s: string | undefined | null) => (s ?? '').trim() || null;
/** Regular hirers are re-checked once a year: a check of the last 12 months can be started from. */
const REGULAR_HIRER_MONTHS = 12;

export interface SpeakerInput {
  name: string;
  aliases: string;
  affiliation: string;
}

/** The booking form as typed. Dates are ISO (read from GOV.UK date inputs), times HH:MM. */
export interface BookingInput {
  ref: string;
  hallId: string;
  startDate: string | null;
  startTime: string;
  endDate: string | null;
  endTime: string;
  eventTitle: string;
  purpose: string;
  expectedAttendance: string;
  openToPublic: string;
  hirerName: string;
  organisation: string;
  otherNames: string;
  charityNumber: string;
  companyNumber: string;
  hirerEmail: string;
  hirerPhone: string;
  hirerAddress: string;
  speakers: SpeakerInput[];
  bookingOfficerEmail: string;
  /** Errors found while reading the form (e.g. a date that does not exist), keyed by field. */
  readErrors?: FieldErrors;
}

export interface HallInput {
  name: string;
  capacity: string;
}

/** A decision as typed: conditions one per line. */
export interface DecisionForm extends DecisionInput {
  version: number;
}

function splitLines(text: string): string[] {
  return text
    .split(/\r?\n|;/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function localTime(date: string | null, time: string): string | null {
  if (!date || !TIME.test(time.trim())) return null;
  const [h, m] = time.trim().split(':');
  return `${date}T${h.padStart(2, '0')}:${m}`;
}

/** A London wall time that exists (not inside the hour skipped when the clocks go forward). */
function existsInLondon(local: string): boolean {
  return londonLocalDateTime(londonLocalToInstant(local)) === local;
}

/**
 * When the names screened on a booking change, its checks no longer cover them: the check in force is
 * set aside and a booking waiting on it, or approved for an event still to come, is provisional again.
 * Sets the new keys on `patch`; says whether the names changed and whether the booking went back.
 */
export function applyNameChange(
  booking: Booking,
  newKeys: Booking['screenKeys'],
  patch: Partial<Booking>,
  now: Date,
): { changed: boolean; reset: boolean } {
  const before = booking.screenKeys
    .map((k) => k.key)
    .sort()
    .join('\n');
  const after = newKeys
    .map((k) => k.key)
    .sort()
    .join('\n');
  patch.screenKeys = newKeys;
  const roles = JSON.stringify(booking.screenKeys) !== JSON.stringify(newKeys);
  if (before === after) return { changed: roles, reset: false };
  if (booking.status === 'refused' || booking.status === 'cancelled') return { changed: true, reset: false };
  if (londonLocalToInstant(booking.end).getTime() <= now.getTime()) return { changed: true, reset: false };
  patch.checksReviewId = null;
  if (['checks-complete', 'approved', 'approved-with-conditions'].includes(booking.status)) {
    patch.status = 'provisional';
  }
  return { changed: true, reset: booking.checksReviewId !== null || patch.status === 'provisional' };
}

/** Keeps every booking of a hirer in step after the hirer's names changed. Returns the refs sent back. */
export function refreshHirersBookings(
  store: Store,
  tx: Transaction,
  hirer: Hirer,
  except: ReadonlySet<string> = new Set(),
): string[] {
  const reset: string[] = [];
  for (const b of store.list('bookings')) {
    if (b.hirerId !== hirer.id || except.has(b.id)) continue;
    const patch: Partial<Booking> = {};
    const result = applyNameChange(b, screenKeysOf(namesToScreen(hirer, b.speakers)), patch, store.now());
    if (result.reset) reset.push(b.ref);
    if (result.changed) tx.update('bookings', b.id, patch);
  }
  return reset;
}

export function createBookingService(store: Store, archive = new ArchiveReader(store.path)) {
  const archived = createBookingArchive(store, archive);
  const premisesOf = (hall: Hall | undefined) => (hall ? store.get('premises', hall.premisesId) : undefined);

  /** What checks/permissions.ts needs to know about a booking: its status and who decided it. */
  function factsOf(booking: Booking): BookingFacts {
    const decidedByRoles: string[] = [];
    for (const d of store.list('bookingDecisions'))
      if (d.bookingId === booking.id) decidedByRoles.push(d.decidedByRole);
    return { status: booking.status, decidedByRoles };
  }

  const permission = (user: User, action: BookingAction, booking: Booking): Permission =>
    bookingPermission(user, action, factsOf(booking));

  /** Refuses with 403 and the reason in plain words when `user` may not do `action` to the booking. */
  function assertMay(user: User, action: BookingAction, booking: Booking): void {
    const p = permission(user, action, booking);
    if (!p.allowed) throw new HttpError(p.status, p.reason);
  }

  const hirerPermissionFor = (user: User, hirerId: string): Permission =>
    hirerPermission(
      user,
      store
        .list('bookings')
        .filter((b) => b.hirerId === hirerId)
        .map(factsOf),
    );

  function assertMayEditHirer(user: User, hirerId: string): void {
    const p = hirerPermissionFor(user, hirerId);
    if (!p.allowed) throw new HttpError(p.status, p.reason);
  }

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

  const hirerByKey = (name: string, organisation: string | null) => {
    const key = hirerKey(name, organisation);
    return store.list('hirers').find((h) => hirerKey(h.name, h.organisation) === key);
  };

  const checksReview = (booking: Booking): Review | undefined => {
    if (!booking.checksReviewId) return undefined;
    const r = store.get('reviews', booking.checksReviewId);
    return r?.status === 'submitted' ? r : undefined;
  };

  function criticalNos(review: Review | undefined): string[] {
    if (!review) return [];
    const template = getTemplate(review.templateId, review.templateVersion);
    return noAnswers(template, review.answers as Answers)
      .filter((q) => q.critical)
      .map((q) => q.id);
  }

  /** The hirer's most recent submitted check on any booking in the last 12 months (regular hirers). */
  function hirersRecentCheck(booking: Booking): Review | undefined {
    const since = addMonths(londonDate(store.now()), -REGULAR_HIRER_MONTHS);
    const ids = new Set(
      store
        .list('bookings')
        .filter((b) => b.hirerId === booking.hirerId && b.id !== booking.id)
        .map((b) => b.id),
    );
    let best: Review | undefined;
    for (const r of store.list('reviews')) {
      if (r.subjectType !== 'booking' || r.status !== 'submitted' || !ids.has(r.subjectId)) continue;
      if (!r.completedOn || r.completedOn < since) continue;
      if (!best || (r.submittedAt ?? '') > (best.submittedAt ?? '')) best = r;
    }
    return best;
  }

  registerSubjectKind({
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
      return b !== undefined && permission(user, 'review', b).allowed;
    },
    editRefusal: (user, id) => {
      const b = store.get('bookings', id);
      const p = b ? permission(user, 'review', b) : undefined;
      return p && !p.allowed ? p.reason : null;
    },
    previousReview(_s, id) {
      const b = store.get('bookings', id);
      return b ? hirersRecentCheck(b) : undefined;
    },
    onSubmitted(tx, review, user) {
      const b = store.get('bookings', review.subjectId);
      if (!b) return;
      const updated = tx.update('bookings', b.id, {
        checksReviewId: review.id,
        status: b.status === 'provisional' ? 'checks-complete' : b.status,
      });
      recordScreening(tx, updated, user.email, 'checks-submitted', review.id);
    },
  });

  function validateBooking(input: BookingInput, currentId?: string): FieldErrors {
    const errors: FieldErrors = { ...(input.readErrors ?? {}) };
    const ref = input.ref.trim();
    if (!ref) errors.ref = { text: 'Enter the booking reference', href: '#ref' };
    else if (ref.length > 40)
      errors.ref = { text: 'Booking reference must be 40 characters or fewer', href: '#ref' };
    else {
      const clash = store.list('bookings').find((b) => b.ref.toLowerCase() === ref.toLowerCase());
      if (clash && clash.id !== currentId)
        errors.ref = { text: `Booking ${ref} already exists`, href: '#ref' };
      else if (!clash) {
        // A new or changed ref (an unchanged one matches its own booking above) must not be an archived one.
        const old = archived.byRef(ref);
        if (old)
          errors.ref = {
            text: `Booking reference ${ref} is already used by an archived booking from ${old.year}`,
            href: '#ref',
          };
      }
    }
    const hall = store.get('halls', input.hallId);
    if (!hall || hall.archived) errors.hallId = { text: 'Select the hall that is booked', href: '#hallId' };
    const start = localTime(input.startDate, input.startTime);
    const end = localTime(input.endDate, input.endTime);
    if (!errors['start-day']) {
      if (!input.startDate) errors['start-day'] = { text: 'Enter the date of the event', href: '#start-day' };
    }
    if (!errors['end-day'] && !input.endDate && input.startDate) {
      errors['end-day'] = { text: 'Enter the date the booking ends', href: '#end-day' };
    }
    if (!input.startTime.trim()) errors.startTime = { text: 'Enter the start time', href: '#startTime' };
    else if (!TIME.test(input.startTime.trim()))
      errors.startTime = {
        text: 'Enter the start time as hours and minutes, like 18:30',
        href: '#startTime',
      };
    else if (start && !existsInLondon(start))
      errors.startTime = {
        text: 'That time does not exist in London: the clocks go forward then',
        href: '#startTime',
      };
    if (!input.endTime.trim()) errors.endTime = { text: 'Enter the end time', href: '#endTime' };
    else if (!TIME.test(input.endTime.trim()))
      errors.endTime = { text: 'Enter the end time as hours and minutes, like 21:00', href: '#endTime' };
    else if (end && !existsInLondon(end))
      errors.endTime = {
        text: 'That time does not exist in London: the clocks go forward then',
        href: '#endTime',
      };
    if (start && end && !errors.startTime && !errors.endTime && end <= start) {
      errors.endTime = { text: 'The booking must end after it starts', href: '#endTime' };
    }
    if (blank(input.expectedAttendance) && !/^\d+$/.test(input.expectedAttendance.trim())) {
      errors.expectedAttendance = {
        text: 'Expected attendance must be a whole number, like 80',
        href: '#expectedAttendance',
      };
    }
    if (!input.hirerName.trim())
      errors.hirerName = { text: 'Enter the name of the person booking', href: '#hirerName' };
    if (blank(input.hirerEmail) && !isEmailAddress(input.hirerEmail.trim())) {
      errors.hirerEmail = {
        text: 'Enter the hirer’s email address in the correct format',
        href: '#hirerEmail',
      };
    }
    if (blank(input.bookingOfficerEmail) && !isEmailAddress(input.bookingOfficerEmail.trim())) {
      errors.bookingOfficerEmail = {
        text: 'Enter the booking officer’s email address in the correct format',
        href: '#bookingOfficerEmail',
      };
    }
    input.speakers.forEach((s, i) => {
      if (!s.name.trim() && (s.aliases.trim() || s.affiliation.trim())) {
        errors[`speaker-${i}-name`] = {
          text: `Enter the name of speaker ${i + 1}, or clear the other names and affiliation`,
          href: `#speaker-${i}-name`,
        };
      }
    });
    return errors;
  }

  function speakersOf(input: BookingInput): Speaker[] {
    return input.speakers
      .filter((s) => s.name.trim())
      .map((s) => ({
        name: s.name.trim(),
        aliases: splitLines(s.aliases),
        affiliation: blank(s.affiliation),
      }));
  }

  function hirerFields(input: BookingInput) {
    return {
      name: input.hirerName.trim(),
      organisation: blank(input.organisation),
      otherNames: splitLines(input.otherNames),
      charityNumber: blank(input.charityNumber),
      companyNumber: blank(input.companyNumber),
      email: blank(input.hirerEmail)?.toLowerCase() ?? null,
      phone: blank(input.hirerPhone),
      address: blank(input.hirerAddress),
    };
  }

  function bookingFields(input: BookingInput) {
    return {
      ref: input.ref.trim(),
      hallId: input.hallId,
      start: localTime(input.startDate, input.startTime)!,
      end: localTime(input.endDate, input.endTime)!,
      eventTitle: blank(input.eventTitle),
      purpose: blank(input.purpose),
      expectedAttendance: blank(input.expectedAttendance) ? Number(input.expectedAttendance.trim()) : null,
      openToPublic: input.openToPublic === 'yes' ? true : input.openToPublic === 'no' ? false : null,
      speakers: speakersOf(input),
      bookingOfficerEmail: blank(input.bookingOfficerEmail)?.toLowerCase() ?? null,
    };
  }

  /**
   * The hirer the form describes: the one with the same name and organisation, or a new one. A new
   * booking only adds to an existing hirer (other names joined, blanks keep what is there); changing a
   * booking shows the hirer's details, so what is saved replaces them.
   */
  function upsertHirer(
    tx: Transaction,
    input: BookingInput,
    mode: 'merge' | 'replace',
    eventDay: string,
  ): Hirer {
    const fields = hirerFields(input);
    const existing = hirerByKey(fields.name, fields.organisation);
    if (!existing)
      return tx.insert('hirers', { ...fields, lastEventOn: eventDay, personalDataRemoved: false });
    const lastEventOn =
      existing.lastEventOn && existing.lastEventOn > eventDay ? existing.lastEventOn : eventDay;
    const next = { ...hirerAfter(existing, input, mode), lastEventOn };
    const changed = Object.entries(next).some(
      ([k, v]) => JSON.stringify((existing as Record<string, unknown>)[k]) !== JSON.stringify(v),
    );
    return changed ? tx.update('hirers', existing.id, next) : existing;
  }

  /** The hirer's details once the booking form is saved (without the date of their last event). */
  function hirerAfter(existing: Hirer, input: BookingInput, mode: 'merge' | 'replace') {
    const fields = hirerFields(input);
    if (mode === 'replace') return fields;
    return {
      ...fields,
      otherNames: [...new Set([...existing.otherNames, ...fields.otherNames])],
      charityNumber: fields.charityNumber ?? existing.charityNumber,
      companyNumber: fields.companyNumber ?? existing.companyNumber,
      email: fields.email ?? existing.email,
      phone: fields.phone ?? existing.phone,
      address: fields.address ?? existing.address,
    };
  }

  /**
   * A booking form names a hirer on record: saving it would change that hirer, and so the names on every
   * booking of theirs. Refused (as a field error) when one of those bookings is the coordinator's.
   */
  function hirerChangeProblem(user: User, input: BookingInput, mode: 'merge' | 'replace'): FieldErrors {
    const existing = input.hirerName.trim()
      ? hirerByKey(input.hirerName, blank(input.organisation))
      : undefined;
    if (!existing) return {};
    const next = hirerAfter(existing, input, mode);
    const changed = Object.entries(next).some(
      ([k, v]) => JSON.stringify((existing as Record<string, unknown>)[k]) !== JSON.stringify(v),
    );
    if (!changed || hirerPermissionFor(user, existing.id).allowed) return {};
    return {
      hirerName: {
        text: 'This hirer has a booking that was referred to or decided by the Prevent coordinator, so only the coordinator can change their details. Enter the hirer’s details as they are on record, or ask the coordinator',
        href: '#hirerName',
      },
    };
  }

  /**
   * The same decision page sent again (back button, double click): the booking moved on by exactly the
   * one change that decision made, and its decision in force is this person's with the same content.
   * Then the decision is already recorded: it is returned, and nothing is written twice.
   */
  function repeatedDecision(user: User, booking: Booking, input: DecisionForm): BookingDecision | undefined {
    if (!booking.decisionId || booking.version !== input.version + 1) return undefined;
    const d = store.get('bookingDecisions', booking.decisionId);
    if (!d || d.decidedBy !== user.email || d.decision !== input.decision) return undefined;
    return d.rationale === input.rationale.trim() ? d : undefined;
  }

  /** The facts a decision depends on, for the form and for checking the decision. */
  function decisionContext(booking: Booking, user: User) {
    const review = checksReview(booking);
    return {
      status: booking.status,
      isCoordinator: user.role === 'coordinator',
      checksComplete: review !== undefined,
      checksOutcome: review?.outcome ?? null,
      criticalNos: criticalNos(review),
      openMatches: openMatches(booking).length,
    };
  }

  function hallsOf(premisesId: string): Hall[] {
    return store
      .list('halls')
      .filter((h) => h.premisesId === premisesId)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  function validateHall(premisesId: string, input: HallInput, currentId?: string): FieldErrors {
    const errors: FieldErrors = {};
    const name = input.name.trim();
    if (!name) errors.hallName = { text: 'Enter the name of the hall or room', href: '#hallName' };
    else if (name.length > 80)
      errors.hallName = { text: 'Hall name must be 80 characters or fewer', href: '#hallName' };
    else {
      const key = hallKey(premisesId, name);
      const clash = hallsOf(premisesId).find((h) => hallKey(h.premisesId, h.name) === key);
      if (clash && clash.id !== currentId)
        errors.hallName = {
          text: `This building already has a hall called ${clash.name}`,
          href: '#hallName',
        };
    }
    if (blank(input.capacity) && !/^\d{1,6}$/.test(input.capacity.trim())) {
      errors.capacity = { text: 'Capacity must be a whole number of people, like 120', href: '#capacity' };
    }
    return errors;
  }

  /** Bookings of the same person or organisation (by name, charity or company number), at every venue. */
  function historyOf(booking: Booking) {
    const hirer = store.get('hirers', booking.hirerId);
    if (!hirer) return [];
    const person = hirerKey(hirer.name, null);
    const org = hirer.organisation ? hirerKey('', hirer.organisation) : null;
    const related = new Map<string, string>();
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
          how: related.get(b.hirerId)!,
          decision,
          archived,
        };
      });
  }

  return {
    hallsOf,
    hall: (id: string) => store.get('halls', id),
    premisesOf,
    get: (id: string) => store.get('bookings', id),
    hirer: (id: string) => store.get('hirers', id),
    checksReview,
    criticalNos,
    liveMatches,
    openMatches,
    listVersions,
    historyOf,
    hirersRecentCheck,
    decisionsOf: (bookingId: string) =>
      store
        .list('bookingDecisions')
        .filter((d) => d.bookingId === bookingId)
        .sort((a, b) => b.decidedAt.localeCompare(a.decidedAt)),
    screeningsOf: (bookingId: string) =>
      store
        .list('bookingScreenings')
        .filter((s) => s.bookingId === bookingId)
        .sort((a, b) => b.at.localeCompare(a.at)),
    bookingsOfHirer: (hirerId: string) =>
      store
        .list('bookings')
        .filter((b) => b.hirerId === hirerId)
        .sort((a, b) => b.start.localeCompare(a.start)),
    /** Decided bookings more than a year past, read from the archive files (never by the dashboard or writes). */
    archived,

    /** Every hall of premises still on the register, as select options "Premises — Hall". */
    hallChoices(): { value: string; text: string }[] {
      const out: { value: string; text: string }[] = [];
      for (const h of store.list('halls')) {
        const p = store.get('premises', h.premisesId);
        if (h.archived || !p || p.archived) continue;
        out.push({ value: h.id, text: `${p.name} — ${h.name}` });
      }
      return out.sort((a, b) => a.text.localeCompare(b.text));
    },

    list(
      filter: {
        status?: string;
        q?: string;
        premisesId?: string;
        when?: string;
        mine?: string;
        /** 'yes': archived bookings too (decided, more than a year past), read from the archive files. */
        archived?: string;
      },
      user: User,
      today: string,
    ) {
      const q = filter.q?.trim().toLowerCase();
      const rows = [];
      const archivedIds = new Set<string>();
      const all: readonly Booking[] =
        filter.archived === 'yes'
          ? [...store.list('bookings'), ...archived.bookings()]
          : store.list('bookings');
      if (filter.archived === 'yes')
        for (const b of all) if (!store.get('bookings', b.id)) archivedIds.add(b.id);
      for (const b of all) {
        if (filter.status && b.status !== filter.status) continue;
        if (filter.mine && b.bookingOfficerEmail !== user.email.toLowerCase()) continue;
        const day = b.start.slice(0, 10);
        if (filter.when === 'upcoming' && day < today) continue;
        if (filter.when === 'past' && day >= today) continue;
        const hall = store.get('halls', b.hallId);
        if (filter.premisesId && hall?.premisesId !== filter.premisesId) continue;
        const hirer = store.get('hirers', b.hirerId);
        if (
          q &&
          !`${b.ref} ${b.eventTitle ?? ''} ${hirer?.name ?? ''} ${hirer?.organisation ?? ''}`
            .toLowerCase()
            .includes(q)
        )
          continue;
        rows.push({ booking: b, hall, premises: premisesOf(hall), hirer, archived: archivedIds.has(b.id) });
      }
      const past = filter.when === 'past';
      return rows.sort((a, b) =>
        past
          ? b.booking.start.localeCompare(a.booking.start)
          : a.booking.start.localeCompare(b.booking.start),
      );
    },

    async addHall(actor: string, premisesId: string, input: HallInput): Promise<Hall> {
      if (!store.get('premises', premisesId)) throw notFound();
      const errors = validateHall(premisesId, input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) =>
        tx.insert('halls', {
          premisesId,
          name: input.name.trim().replace(/\s+/g, ' '),
          capacity: blank(input.capacity) ? Number(input.capacity.trim()) : null,
          archived: false,
        }),
      );
    },

    async updateHall(actor: string, id: string, input: HallInput & { archived?: boolean }, version: number) {
      const hall = store.get('halls', id);
      if (!hall) throw notFound();
      const errors = validateHall(hall.premisesId, input, id);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) =>
        tx.update(
          'halls',
          id,
          {
            name: input.name.trim().replace(/\s+/g, ' '),
            capacity: blank(input.capacity) ? Number(input.capacity.trim()) : null,
            archived: input.archived ?? hall.archived,
          },
          version,
        ),
      );
    },

    async create(user: User, input: BookingInput): Promise<Booking> {
      const errors = { ...validateBooking(input), ...hirerChangeProblem(user, input, 'merge') };
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(user.email, (tx) => {
        const hirer = upsertHirer(tx, input, 'merge', input.endDate!);
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
    ): Promise<{ booking: Booking; reset: boolean }> {
      const current = store.get('bookings', id);
      if (!current) throw notFound();
      assertMay(user, 'edit', current);
      const errors = { ...validateBooking(input, id), ...hirerChangeProblem(user, input, 'replace') };
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(user.email, (tx) => {
        const hirer = upsertHirer(tx, input, 'replace', input.endDate!);
        const fields = bookingFields(input);
        const patch: Partial<Booking> = { ...fields, hirerId: hirer.id };
        const { reset } = applyNameChange(
          current,
          screenKeysOf(namesToScreen(hirer, fields.speakers)),
          patch,
          store.now(),
        );
        const booking = tx.update('bookings', id, patch, version);
        refreshHirersBookings(store, tx, hirer, new Set([id]));
        return { booking, reset };
      });
    },

    async screen(user: User, id: string): Promise<BookingScreening> {
      const booking = store.get('bookings', id);
      if (!booking) throw notFound();
      return store.transact(user.email, (tx) => recordScreening(tx, booking, user.email, 'requested', null));
    },

    decisionContext,

    permission,
    assertMay,
    assertMayEditHirer,
    mayDecide: (booking: Booking, user: User) => permission(user, 'decide', booking).allowed,

    async decide(user: User, id: string, input: DecisionForm): Promise<BookingDecision> {
      const booking = store.get('bookings', id);
      if (!booking) throw notFound();
      const repeat = repeatedDecision(user, booking, input);
      if (repeat) return repeat;
      assertMay(user, 'decide', booking);
      const ctx = decisionContext(booking, user);
      const problems = decisionProblems(input, ctx);
      if (problems.length > 0) {
        const errors: FieldErrors = {};
        for (const p of problems) errors[p.field] ??= { text: p.message, href: `#${p.field}` };
        throw new InputError(errors);
      }
      const decision = input.decision as BookingDecision['decision'];
      const needsBalancing = decision === 'refused' || decision === 'approved-with-conditions';
      const coordinator = user.role === 'coordinator';
      return store.transact(user.email, (tx) => {
        // A decision on a booking changed since the form was opened is refused whole.
        checkVersion('bookings', booking, input.version);
        const current = booking;
        const screening = recordScreening(tx, current, user.email, 'decision', null);
        const record = tx.insert('bookingDecisions', {
          bookingId: id,
          decision,
          rationale: input.rationale.trim(),
          conditions: decision === 'approved-with-conditions' ? input.conditions : [],
          balancing: needsBalancing
            ? {
                expression: input.balancing.expression.trim(),
                equality: input.balancing.equality.trim(),
                alternatives: input.balancing.alternatives.trim(),
              }
            : null,
          decidedBy: user.email,
          decidedByRole: user.role,
          decidedAt: tx.at,
          decidedOn: londonDate(tx.at),
          previousStatus: booking.status,
          checksReviewId: booking.checksReviewId,
          screeningId: screening.id,
        });
        const cleared = coordinator
          ? [...new Set([...current.clearedEntryIds, ...screening.matches.map((m) => m.entryId)])]
          : current.clearedEntryIds;
        tx.update('bookings', id, {
          status: decision as BookingStatus,
          decisionId: record.id,
          clearedEntryIds: cleared,
        });
        return record;
      });
    },

    async updateHirer(
      user: User,
      id: string,
      input: Pick<
        BookingInput,
        | 'hirerName'
        | 'organisation'
        | 'otherNames'
        | 'charityNumber'
        | 'companyNumber'
        | 'hirerEmail'
        | 'hirerPhone'
        | 'hirerAddress'
      >,
      version: number,
    ): Promise<{ hirer: Hirer; reset: string[] }> {
      const hirer = store.get('hirers', id);
      if (!hirer || hirer.personalDataRemoved) throw notFound();
      assertMayEditHirer(user, id);
      const errors: FieldErrors = {};
      if (!input.hirerName.trim())
        errors.hirerName = { text: 'Enter the name of the person booking', href: '#hirerName' };
      if (blank(input.hirerEmail) && !isEmailAddress(input.hirerEmail.trim())) {
        errors.hirerEmail = {
          text: 'Enter the hirer’s email address in the correct format',
          href: '#hirerEmail',
        };
      }
      const clash = input.hirerName.trim()
        ? hirerByKey(input.hirerName, blank(input.organisation))
        : undefined;
      if (clash && clash.id !== id) {
        errors.hirerName = {
          text: `Another hirer record already has this name and organisation (${clash.name}${clash.organisation ? `, ${clash.organisation}` : ''})`,
          href: '#hirerName',
        };
      }
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const fields = hirerFields({ ...input } as BookingInput);
      return store.transact(user.email, (tx) => {
        const updated = tx.update('hirers', id, fields, version);
        return { hirer: updated, reset: refreshHirersBookings(store, tx, updated) };
      });
    },

    isDecided,
  };
}

export type BookingService = ReturnType<typeof createBookingService>;
