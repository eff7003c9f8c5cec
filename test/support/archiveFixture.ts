import { addDays, addMonths } from '../../checks/londonDates.js';
import type { BookingStatus } from '../../data/schemas/hallHireSchemas.js';
import type { Store, Transaction } from '../../data/store/store.js';
import { premisesFields } from './records.js';

/** Made-up names, searched for in exports and logs. */
export const OLD_HIRER = {
  name: 'Olive Archivist',
  organisation: 'Old Hall Users Group',
  email: 'olive@example.org',
};
export const OTHER_HIRER = { name: 'Quentin Otherperson', organisation: null, email: 'quentin@example.org' };
export const OLD_SPEAKER = 'Speaker Oldfield';

export interface PastBookings {
  hallId: string;
  hirerId: string;
  otherHirerId: string;
  /** Approved three years ago, with a check (and a closed action), a screening and a decision: archived. */
  approved: {
    id: string;
    ref: string;
    reviewId: string;
    decisionId: string;
    screeningId: string;
    actionId: string;
  };
  /** Refused two years ago: archived. */
  refused: { id: string; ref: string };
  /** Another hirer's approved booking three years ago: archived. */
  other: { id: string; ref: string };
  /** Provisional three years ago: never decided, stays live. */
  undecided: { id: string; ref: string };
  /** Approved six months ago: too recent, stays live. */
  recent: { id: string; ref: string };
  /** Approved three years ago with an action still open: stays live. */
  openAction: { id: string; ref: string };
}

function decide(
  tx: Transaction,
  bookingId: string,
  decision: 'approved' | 'refused',
  on: string,
  rationale: string,
): string {
  const d = tx.insert('bookingDecisions', {
    bookingId,
    decision,
    rationale,
    conditions: [],
    balancing:
      decision === 'refused'
        ? {
            expression: 'Weighed the right to assemble',
            equality: 'No group treated less well',
            alternatives: 'None would do',
          }
        : null,
    decidedBy: 'coordinator@demo.test',
    decidedByRole: 'coordinator',
    decidedAt: `${on}T10:00:00.000Z`,
    decidedOn: on,
    previousStatus: 'checks-complete',
    checksReviewId: null,
    screeningId: null,
  });
  tx.update('bookings', bookingId, { decisionId: d.id, status: decision as BookingStatus });
  return d.id;
}

/**
 * Bookings of two made-up hirers around `today` (a London date): some decided more than a year past (the
 * archive moves them), some not. A hall is added when the database has none.
 */
export async function addPastBookings(store: Store, today: string): Promise<PastBookings> {
  return store.transact('test', (tx) => {
    let hall = store.list('halls')[0];
    if (!hall) {
      const p = tx.insert(
        'premises',
        premisesFields('P-OLD', { name: 'Old Town Hall', hireableSpace: true }),
      );
      hall = tx.insert('halls', { premisesId: p.id, name: 'Main Hall', capacity: 100, archived: false });
    }
    const hirer = tx.insert('hirers', {
      ...OLD_HIRER,
      otherNames: [],
      charityNumber: null,
      companyNumber: null,
      phone: '01632 960001',
      address: '1 Old Street',
      lastEventOn: addMonths(today, -6),
      personalDataRemoved: false,
    });
    const other = tx.insert('hirers', {
      ...OTHER_HIRER,
      otherNames: [],
      charityNumber: null,
      companyNumber: null,
      phone: null,
      address: null,
      lastEventOn: addMonths(today, -36),
      personalDataRemoved: false,
    });
    const booking = (ref: string, hirerId: string, day: string, speakers: string[] = []) =>
      tx.insert('bookings', {
        ref,
        hallId: hall.id,
        start: `${day}T18:30`,
        end: `${day}T21:00`,
        eventTitle: `Evening ${ref}`,
        purpose: 'A talk and questions',
        expectedAttendance: 40,
        openToPublic: true,
        hirerId,
        speakers: speakers.map((name) => ({ name, aliases: [], affiliation: null })),
        bookingOfficerEmail: 'facilities@demo.test',
        status: 'provisional',
        screenKeys: [],
        checksReviewId: null,
        decisionId: null,
        clearedEntryIds: [],
        personalDataRemoved: false,
      });
    const threeYears = addMonths(today, -36);
    const a = booking('ARCH-1', hirer.id, threeYears, [OLD_SPEAKER]);
    const review = tx.insert('reviews', {
      templateId: 'booking-due-diligence',
      templateVersion: 1,
      subjectType: 'booking',
      subjectId: a.id,
      status: 'submitted',
      answers: {
        H1: { answer: 'yes', reason: null, note: 'Checked the charity register', toConfirm: false },
      },
      notes: null,
      evidence: [],
      startedBy: 'facilities@demo.test',
      startedFrom: null,
      submittedBy: 'facilities@demo.test',
      submittedAt: `${addDays(threeYears, -20)}T10:00:00.000Z`,
      completedOn: addDays(threeYears, -20),
      outcome: 'compliant',
      nextDue: null,
      attestation: null,
    });
    const action = tx.insert('actions', {
      subjectType: 'booking',
      subjectId: a.id,
      reviewId: review.id,
      questionId: 'H1',
      description: 'Ask for the speaker list',
      ownerEmail: 'facilities@demo.test',
      dueOn: addDays(threeYears, -10),
      status: 'closed',
      closedAt: `${addDays(threeYears, -12)}T10:00:00.000Z`,
      closedBy: 'facilities@demo.test',
      closingNote: 'Received',
    });
    const screening = tx.insert('bookingScreenings', {
      bookingId: a.id,
      eventDay: threeYears,
      at: `${addDays(threeYears, -20)}T10:00:00.000Z`,
      by: 'facilities@demo.test',
      why: 'checks-submitted',
      reviewId: review.id,
      lists: [],
      matches: [],
    });
    tx.update('bookings', a.id, { checksReviewId: review.id });
    const decisionId = decide(
      tx,
      a.id,
      'approved',
      addDays(threeYears, -15),
      'Checks complete, nothing of concern',
    );

    const r = booking('ARCH-2', hirer.id, addMonths(today, -24));
    decide(tx, r.id, 'refused', addMonths(today, -25), 'The event would breach the hire conditions');
    const o = booking('ARCH-OTHER', other.id, threeYears);
    decide(tx, o.id, 'approved', addDays(threeYears, -5), 'A quiet choir rehearsal');
    const u = booking('LIVE-UNDECIDED', hirer.id, threeYears);
    const recent = booking('LIVE-RECENT', hirer.id, addMonths(today, -6));
    decide(tx, recent.id, 'approved', addMonths(today, -7), 'Regular hirer, checks complete');
    const open = booking('LIVE-OPEN-ACTION', hirer.id, threeYears);
    decide(tx, open.id, 'approved', addDays(threeYears, -3), 'Approved; an action was left open');
    tx.insert('actions', {
      subjectType: 'booking',
      subjectId: open.id,
      reviewId: null,
      questionId: null,
      description: 'Return the deposit',
      ownerEmail: 'facilities@demo.test',
      dueOn: addDays(threeYears, 5),
      status: 'open',
      closedAt: null,
      closedBy: null,
      closingNote: null,
    });
    return {
      hallId: hall.id,
      hirerId: hirer.id,
      otherHirerId: other.id,
      approved: {
        id: a.id,
        ref: a.ref,
        reviewId: review.id,
        decisionId,
        screeningId: screening.id,
        actionId: action.id,
      },
      refused: { id: r.id, ref: r.ref },
      other: { id: o.id, ref: o.ref },
      undecided: { id: u.id, ref: u.ref },
      recent: { id: recent.id, ref: recent.ref },
      openAction: { id: open.id, ref: open.ref },
    };
  });
}
