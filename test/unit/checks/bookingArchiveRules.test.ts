import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { archiveCutoff, archiveYearOf, planBookingArchive } from '../../../checks/bookingArchiveRules.js';
import type { BookingStatus } from '../../../data/schemas/hallHireSchemas.js';
import { bookingRecord, hallHireData, hirerRecord } from '../../support/hallHireRecords.js';
import { actionRecord, reviewRecord } from '../../support/records.js';

const AS_OF = '2026-03-14';
const hirer = hirerRecord('h1');

function data(days: Record<string, [string, BookingStatus]>) {
  return hallHireData({
    hirers: [hirer],
    bookings: Object.entries(days).map(([id, [day, status]]) => bookingRecord(id, hirer, day, { status })),
  });
}

describe('Which bookings move to the archive', () => {
  it('when a booking is decided and its event ended more than 12 months before, then it moves; exactly 12 months ago it stays', () => {
    expect(archiveCutoff(AS_OF)).to.equal('2025-03-14');
    const plan = planBookingArchive(
      data({
        old: ['2025-03-13', 'approved'],
        edge: ['2025-03-14', 'approved'],
        refused: ['2022-01-10', 'refused'],
        cancelled: ['2023-06-01', 'cancelled'],
        conditions: ['2024-12-31', 'approved-with-conditions'],
      }),
      AS_OF,
      new Set(),
    );
    expect(plan.groups.map((g) => g.booking.id).sort()).to.deep.equal([
      'cancelled',
      'conditions',
      'old',
      'refused',
    ]);
  });

  it('when a booking is provisional, checks-complete or referred, then it stays live however old', () => {
    const plan = planBookingArchive(
      data({
        p: ['2019-01-01', 'provisional'],
        c: ['2019-01-01', 'checks-complete'],
        r: ['2019-01-01', 'referred'],
      }),
      AS_OF,
      new Set(),
    );
    expect(plan.groups).to.deep.equal([]);
  });

  it('when a booking has its checks, actions, decisions and screenings, then they move with it; another booking’s stay', () => {
    const db = data({ a: ['2024-05-01', 'approved'], live: ['2026-05-01', 'approved'] });
    db.reviews.push(
      reviewRecord('ra', 'a', { subjectType: 'booking', templateId: 'booking-due-diligence' }),
      reviewRecord('rlive', 'live', { subjectType: 'booking', templateId: 'booking-due-diligence' }),
      reviewRecord('premises-a', 'a', { subjectType: 'premises' }),
    );
    db.actions.push(
      actionRecord('act-review', {
        subjectType: 'booking',
        subjectId: 'a',
        reviewId: 'ra',
        status: 'closed',
      }),
      actionRecord('act-premises', { subjectType: 'premises', subjectId: 'a', status: 'closed' }),
    );
    const plan = planBookingArchive(db, AS_OF, new Set());
    expect(plan.groups).to.have.length(1);
    const g = itemAt(plan.groups, 0);
    expect(g.reviews.map((r) => r.id)).to.deep.equal(['ra']);
    expect(g.actions.map((a) => a.id)).to.deep.equal(['act-review']);
    expect(archiveYearOf(g.booking)).to.equal(2024);
  });

  it('when a booking raises a flag, has an open action or a check in progress, then it is held back and counted', () => {
    const db = data({
      flagged: ['2024-05-01', 'approved'],
      open: ['2024-05-01', 'approved'],
      draft: ['2024-05-01', 'refused'],
      free: ['2024-05-01', 'cancelled'],
    });
    db.actions.push(actionRecord('x', { subjectType: 'booking', subjectId: 'open', status: 'open' }));
    db.reviews.push(reviewRecord('d', 'draft', { subjectType: 'booking', status: 'draft' }));
    const plan = planBookingArchive(db, AS_OF, new Set(['flagged']));
    expect(plan.groups.map((g) => g.booking.id)).to.deep.equal(['free']);
    expect(plan.heldBack).to.deep.equal({ flagged: 1, openWork: 2 });
  });
});
