import { expect } from 'chai';
import {
  bookingWhenText,
  earliestOnlineStart,
  hirerReasonProblems,
  hirerStatus,
} from '../../../checks/hireRules.js';
import type { Booking } from '../../../data/schemas/hallHireSchemas.js';
import { workingDaysUntil } from '../../../checks/workingDays.js';

describe('hireRules', () => {
  it('when the earliest online start is worked out, then it is the first day more than 10 working days away', () => {
    // Friday 11 December 2026: Christmas Day and Boxing Day (moved to Monday 28th) are not working days.
    const today = '2026-12-11';
    const earliest = earliestOnlineStart(today);
    expect(workingDaysUntil(today, earliest)).to.equal(11);
    const dayBefore = new Date(`${earliest}T00:00:00Z`);
    dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
    expect(workingDaysUntil(today, dayBefore.toISOString().slice(0, 10))).to.be.at.most(10);
    expect(earliest).to.equal('2026-12-30');
  });

  it('when a request is refused, then the hirer is given only the reason written for them', () => {
    const s = hirerStatus('refused', {
      decision: 'refused',
      conditions: [],
      reasonForHirer: '  The hall is not suitable for this event.  ',
    });
    expect(s).to.deep.equal({
      title: 'Refused',
      text: 'The council cannot accept this booking.',
      conditions: [],
      reason: 'The hall is not suitable for this event.',
      decided: true,
    });
  });

  it('when a booking is referred or waiting for checks, then the hirer sees it as being considered, nothing more', () => {
    for (const status of ['provisional', 'checks-complete', 'referred'] as const) {
      const s = hirerStatus(status, { decision: 'referred', conditions: [], reasonForHirer: 'internal' });
      expect(s.title).to.equal('Being considered');
      expect(s.reason).to.equal(null);
      expect(s.decided).to.equal(false);
    }
  });

  it('when approved with conditions, then the conditions are listed and no reason is given', () => {
    const s = hirerStatus('approved-with-conditions', {
      decision: 'approved-with-conditions',
      conditions: ['Two stewards on the doors'],
      reasonForHirer: null,
    });
    expect(s.conditions).to.deep.equal(['Two stewards on the doors']);
    expect(s.reason).to.equal(null);
  });

  it('when a booking’s times are written for people, then one day reads as a date and two times', () => {
    expect(bookingWhenText('2027-03-14T18:30', '2027-03-14T21:00')).to.equal('14 March 2027, 18:30 to 21:00');
  });

  it('when a decision is recorded, then an online refusal needs a reason for the hirer, and only a refusal or cancellation may give one', () => {
    const online = { origin: 'online' } as Booking;
    const staff = {} as Booking;
    expect(hirerReasonProblems(online, 'refused', '  ').map((p) => p.field)).to.deep.equal([
      'reasonForHirer',
    ]);
    expect(hirerReasonProblems(staff, 'refused', '')).to.deep.equal([]);
    expect(hirerReasonProblems(online, 'cancelled', '')).to.deep.equal([]);
    expect(hirerReasonProblems(online, 'approved', 'Because')[0]?.message).to.include(
      'Only a refusal or a cancellation',
    );
    expect(hirerReasonProblems(online, 'refused', 'x'.repeat(5001))[0]?.message).to.include(
      '5,000 characters',
    );
  });
});
