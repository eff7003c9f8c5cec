import { checksOutcomeTag, leadTimeText, roleText, statusText } from '../../checks/bookingRules.js';
import { addDays, formatDate, formatDateTime, londonLocalToInstant } from '../../checks/londonDates.js';
import { getTemplate } from '../../checks/templates/index.js';
import type { Permission } from '../../checks/permissions.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Booking } from '../../data/schemas/hallHireSchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import { evidenceRows } from '../routes/reviewPage.js';
import { STALE_LIST_DAYS } from '../routes/watchlistRoutes.js';
import type { Services } from '../services/createServices.js';
import type { ArchivedBooking } from './bookingArchive.js';
import type { BookingService } from './bookingService.js';

const refusalOf = (p: Permission) => (p.allowed ? null : p.reason);

const ANSWER_TEXT = { yes: 'Yes', no: 'No', na: 'Not applicable' } as const;

export const decisionText: Record<string, string> = {
  approved: 'Approved',
  'approved-with-conditions': 'Approved with conditions',
  referred: 'Referred to the coordinator',
  refused: 'Refused',
  cancelled: 'Cancelled',
};

export const statusColour: Record<string, string> = {
  provisional: 'grey',
  'checks-complete': 'blue',
  approved: 'green',
  'approved-with-conditions': 'turquoise',
  referred: 'orange',
  refused: 'red',
  cancelled: 'grey',
};

export const whenText = (b: Booking) => {
  const day = b.start.slice(0, 10);
  const endDay = b.end.slice(0, 10);
  return day === endDay
    ? `${formatDate(day)}, ${b.start.slice(11)} to ${b.end.slice(11)}`
    : `${formatDate(day)} ${b.start.slice(11)} to ${formatDate(endDay)} ${b.end.slice(11)}`;
};

/** "Premises — Hall", or "Unknown hall". */
export function hallLabel(bookings: BookingService, hallId: string): string {
  const hall = bookings.hall(hallId);
  const p = bookings.premisesOf(hall);
  return hall && p ? `${p.name} — ${hall.name}` : 'Unknown hall';
}

/** A referred booking is changed only by the coordinator. */
/** Decisions as shown: when and what, newest first as given. */
function decisionsShown<D extends { decidedAt: string; decision: string }>(decisions: readonly D[]) {
  return decisions.map((d) => ({
    ...d,
    atText: formatDateTime(d.decidedAt),
    decisionText: decisionText[d.decision],
  }));
}

function historyRows(bookings: BookingService, b: Booking) {
  return bookings.historyOf(b).map((h) => ({
    ...h,
    whenText: formatDate(h.booking.start.slice(0, 10)),
    statusText: statusText[h.booking.status],
    venue: h.premises && h.hall ? `${h.premises.name} — ${h.hall.name}` : 'Unknown hall',
  }));
}

/** What a booking's page says first: where, when, who and its status. */
function bookingSummary(bookings: BookingService, b: Booking) {
  const hall = bookings.hall(b.hallId);
  return {
    b,
    hall,
    premises: bookings.premisesOf(hall),
    hirer: bookings.hirer(b.hirerId),
    whenText: whenText(b),
    statusText: statusText[b.status],
    statusColour: statusColour[b.status],
  };
}

/** The booking's page: what it is, its checks, screening, decisions and the hirer's other bookings. */
export function bookingPage(
  { bookings, reviews, flags, store }: Pick<Services, 'bookings' | 'reviews' | 'flags' | 'store'>,
  b: Booking,
  user: User,
) {
  const history = reviews.history('booking', b.id);
  const checks = bookings.checksReview(b);
  const latestCheck = history.find((r) => r.status === 'submitted') ?? null;
  const decisions = bookings.decisionsOf(b.id);
  const today = flags.today();
  const started = londonLocalToInstant(b.start).getTime() <= store.now().getTime();
  const recent: Review | undefined = latestCheck ? undefined : bookings.hirersRecentCheck(b);
  return {
    title: `Booking ${b.ref}`,
    ...bookingSummary(bookings, b),
    leadText: started ? 'The event has started' : leadTimeText(today, b.start.slice(0, 10)),
    checks: checks
      ? {
          ...checks,
          completedText: formatDate(checks.completedOn),
          criticalNos: bookings.criticalNos(checks),
          outcomeTag: checksOutcomeTag(checks.outcome, bookings.openMatches(b).length),
        }
      : null,
    latestCheck,
    draft: history.find((r) => r.status === 'draft') ?? null,
    recentHirerCheck: recent
      ? {
          ...recent,
          completedText: formatDate(recent.completedOn),
          ref: bookings.get(recent.subjectId)?.ref ?? '',
        }
      : null,
    matches: bookings.liveMatches(b).map((m) => ({
      ...m,
      roleText: roleText[m.role],
      cleared: b.clearedEntryIds.includes(m.entry.id),
      asOfText: formatDate(m.asOf),
    })),
    lists: bookings.listVersions().map((l) => ({
      ...l,
      asOfText: formatDate(l.asOf),
      stale: l.asOf < addDays(today, -STALE_LIST_DAYS),
    })),
    screenings: bookings.screeningsOf(b.id).map((s) => ({ ...s, atText: formatDateTime(s.at) })),
    current: decisions.find((d) => d.id === b.decisionId) ?? null,
    decisions: decisionsShown(decisions),
    decisionText,
    mayDecide: bookings.mayDecide(b, user),
    mayEdit: bookings.permission(user, 'edit', b).allowed,
    mayReview: bookings.permission(user, 'review', b).allowed,
    lockReason: refusalOf(bookings.permission(user, 'decide', b)),
    hirerHistory: historyRows(bookings, b),
    flags: flags.forUser(user, today).filter((f) => f.subject.type === 'booking' && f.subject.id === b.id),
    formatDate,
    backLink: { href: '/bookings', text: 'Back to bookings' },
  };
}

/** A submitted check of an archived booking, its answers in the template's order with their notes. */
function archivedCheck(old: ArchivedBooking, r: Review, evidence: Services['evidence']) {
  let questions: { id: string; text: string }[] = [];
  try {
    questions = getTemplate(r.templateId, r.templateVersion).questions;
  } catch {
    // A template this version no longer knows: the answers are shown by question id.
  }
  const text = new Map(questions.map((q) => [q.id, q.text]));
  const ids = questions.length ? questions.map((q) => q.id) : Object.keys(r.answers);
  const answers = [];
  for (const id of ids) {
    const a = r.answers[id];
    if (!a) continue;
    answers.push({
      id,
      text: text.get(id) ?? id,
      answer: a.answer ? ANSWER_TEXT[a.answer] : 'Not answered',
      note: [a.reason, a.note].filter(Boolean).join(' — '),
    });
  }
  return {
    ...r,
    completedText: formatDate(r.completedOn),
    answers,
    actions: old.actions.filter((a) => a.reviewId === r.id),
    evidence: evidenceRows(evidence.ofReview(r.id)),
  };
}

/** An archived booking's read-only page: everything that moved with it. */
export function archivedBookingPage(
  { bookings, evidence }: Pick<Services, 'bookings' | 'evidence'>,
  old: ArchivedBooking,
) {
  const b = old.booking;
  return {
    title: `Booking ${b.ref} (archived)`,
    ...bookingSummary(bookings, b),
    year: old.year,
    checks: old.reviews.filter((r) => r.status === 'submitted').map((r) => archivedCheck(old, r, evidence)),
    screenings: old.screenings.map((s) => ({ ...s, atText: formatDateTime(s.at) })),
    current: old.decisions.find((d) => d.id === b.decisionId) ?? null,
    decisions: decisionsShown(old.decisions),
    decisionText,
    hirerHistory: historyRows(bookings, b),
    formatDate,
    backLink: { href: '/bookings?archived=yes&when=past', text: 'Back to bookings' },
  };
}

/** The booking form's values for a stored booking. */
export function bookingFormValues(bookings: BookingService, b: Booking) {
  const hirer = bookings.hirer(b.hirerId);
  return {
    values: {
      ref: b.ref,
      hallId: b.hallId,
      startTime: b.start.slice(11),
      endTime: b.end.slice(11),
      eventTitle: b.eventTitle ?? '',
      purpose: b.purpose ?? '',
      expectedAttendance: b.expectedAttendance ?? '',
      openToPublic: b.openToPublic === null ? '' : b.openToPublic ? 'yes' : 'no',
      hirerName: hirer?.name ?? '',
      organisation: hirer?.organisation ?? '',
      otherNames: (hirer?.otherNames ?? []).join('\n'),
      charityNumber: hirer?.charityNumber ?? '',
      companyNumber: hirer?.companyNumber ?? '',
      hirerEmail: hirer?.email ?? '',
      hirerPhone: hirer?.phone ?? '',
      hirerAddress: hirer?.address ?? '',
      bookingOfficerEmail: b.bookingOfficerEmail ?? '',
    },
    speakers: b.speakers.map((s) => ({
      name: s.name,
      aliases: s.aliases.join('; '),
      affiliation: s.affiliation ?? '',
    })),
    startParts: b.start.slice(0, 10),
    endParts: b.end.slice(0, 10),
  };
}

/** The hirer's bookings, live then archived, newest first, as rows of the hirer's page. */
export function hirerBookingRows({ bookings, store }: Pick<Services, 'bookings' | 'store'>, hirerId: string) {
  // Live bookings, then those moved to the archive files (decided, more than a year past).
  const old = bookings.archived.ofHirers(new Set([hirerId]));
  const oldDecisions = old.length ? bookings.archived.decisionsById() : undefined;
  const rows = [
    ...bookings.bookingsOfHirer(hirerId).map((b) => ({
      b,
      d: b.decisionId ? store.get('bookingDecisions', b.decisionId) : undefined,
      archived: false,
    })),
    ...old.map((b) => ({ b, d: b.decisionId ? oldDecisions?.get(b.decisionId) : undefined, archived: true })),
  ].sort((x, y) => y.b.start.localeCompare(x.b.start));
  return rows.map(({ b, d, archived }) => ({
    b,
    d,
    archived,
    venue: hallLabel(bookings, b.hallId),
    whenText: formatDate(b.start.slice(0, 10)),
    statusText: statusText[b.status],
  }));
}
