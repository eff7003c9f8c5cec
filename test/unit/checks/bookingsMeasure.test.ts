import { expect } from 'chai';
import { bookingsCheckedMeasure } from '../../../checks/report/bookingsMeasure.js';
import { bookingRecord, hallHireData, hirerRecord } from '../../support/hallHireRecords.js';
import { reviewRecord } from '../../support/records.js';

describe('board report: bookings checked before the event', () => {
  const hirer = hirerRecord('h1');
  const check = (id: string, bookingId: string, completedOn: string) =>
    reviewRecord(id, bookingId, {
      templateId: 'booking-due-diligence',
      subjectType: 'booking',
      completedOn,
      nextDue: null,
    });
  const data = hallHireData({
    hirers: [hirer],
    bookings: [
      bookingRecord('a', hirer, '2026-04-10', { status: 'approved' }), // checked the day before: met
      bookingRecord('b', hirer, '2026-04-20', { status: 'approved' }), // checked after the event: not met
      bookingRecord('c', hirer, '2026-05-01', { status: 'provisional' }), // never checked: not met
      bookingRecord('d', hirer, '2026-05-02', { status: 'cancelled' }), // did not take place
      bookingRecord('e', hirer, '2026-03-30', { status: 'approved' }), // before the quarter
      bookingRecord('f', hirer, '2026-06-20', { status: 'approved' }), // after as-of
    ],
  });
  data.reviews.push(
    check('r1', 'a', '2026-04-09'),
    check('r2', 'b', '2026-04-21'),
    check('r3', 'e', '2026-03-01'),
    check('r4', 'f', '2026-06-01'),
  );

  it('when the quarter is counted to its as-of date, then only events held are counted, and met if checked by the event day', () => {
    expect(
      bookingsCheckedMeasure.compute(data, {
        periodStart: '2026-04-01',
        periodEnd: '2026-06-30',
        asOf: '2026-06-15',
      }),
    ).to.deep.equal({ met: 1, total: 3 });
  });

  it('when no event took place in the period, then the total is 0 (shown as no data)', () => {
    expect(
      bookingsCheckedMeasure.compute(data, {
        periodStart: '2025-01-01',
        periodEnd: '2025-03-31',
        asOf: '2025-03-31',
      }),
    ).to.deep.equal({ met: 0, total: 0 });
  });
});
