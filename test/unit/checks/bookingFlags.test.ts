import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { bookingFlagForViewer, bookingFlags } from '../../../checks/flags/bookingFlags.js';
import { computeFlags } from '../../../checks/flags/computeFlags.js';
import type { Booking, BookingStatus } from '../../../data/schemas/hallHireSchemas.js';
import {
  bookingRecord,
  entryRecord,
  hallHireData,
  hirerRecord,
  watchlistRecord,
} from '../../support/hallHireRecords.js';

const hirer = hirerRecord('h1', { name: 'Pat Example', organisation: 'Northbrook Choir' });

/** The lead-time flag of one booking of `hirer` on `day`, as of `asOf` (undefined when there is none). */
function leadFlag(asOf: string, day: string, status: BookingStatus = 'provisional') {
  const data = hallHireData({ hirers: [hirer], bookings: [bookingRecord('b1', hirer, day, { status })] });
  return bookingFlags(data, asOf).find((f) => f.rule === 'booking-checks-incomplete');
}

describe('booking-checks-incomplete (SPEC §4 lead time in working days)', () => {
  describe('across a weekend, as of Friday 13 November 2026', () => {
    it('when the event is on Tuesday (2 working days), then the flag is critical', () => {
      expect(leadFlag('2026-11-13', '2026-11-17')?.severity).to.equal('critical');
    });

    it('when the event is on Wednesday (3 working days), then the flag is high', () => {
      const flag = leadFlag('2026-11-13', '2026-11-18');
      expect(flag?.severity).to.equal('high');
      expect(flag?.message).to.include('the event is on 18 November 2026 (3 working days away)');
      expect(flag?.dueOn).to.equal('2026-11-18');
    });

    it('when the event is on Sunday (0 working days), then the flag is critical', () => {
      expect(leadFlag('2026-11-13', '2026-11-15')?.severity).to.equal('critical');
    });

    it('when the event is two weeks on Friday (10 working days), then it is flagged high', () => {
      expect(leadFlag('2026-11-13', '2026-11-27')?.severity).to.equal('high');
    });

    it('when the event is the Monday after that (11 working days), then it is not flagged', () => {
      expect(leadFlag('2026-11-13', '2026-11-30')).to.equal(undefined);
    });
  });

  describe('across the Easter bank holidays, as of Maundy Thursday 2 April 2026', () => {
    it('when the event is on Wednesday 8 April (Good Friday and Easter Monday skipped: 2 working days), then it is critical', () => {
      expect(leadFlag('2026-04-02', '2026-04-08')?.severity).to.equal('critical');
    });

    it('when the event is on Thursday 9 April (3 working days), then it is high', () => {
      expect(leadFlag('2026-04-02', '2026-04-09')?.severity).to.equal('high');
    });

    it('when the event is on Monday 20 April (the 10th working day), then it is flagged', () => {
      expect(leadFlag('2026-04-02', '2026-04-20')?.severity).to.equal('high');
    });

    it('when the event is on Tuesday 21 April (the 11th working day), then it is not flagged', () => {
      expect(leadFlag('2026-04-02', '2026-04-21')).to.equal(undefined);
    });
  });

  describe('across Christmas and New Year, as of Christmas Eve 2026', () => {
    it('when the event is on Wednesday 30 December (2 working days), then it is critical', () => {
      expect(leadFlag('2026-12-24', '2026-12-30')?.severity).to.equal('critical');
    });

    it('when the event is on New Year’s Day (still 3 working days), then it is high', () => {
      expect(leadFlag('2026-12-24', '2027-01-01')?.severity).to.equal('high');
    });

    it('when the event is on 12 January 2027 (the 10th working day), then it is flagged, and 13 January is not', () => {
      expect(leadFlag('2026-12-24', '2027-01-12')?.severity).to.equal('high');
      expect(leadFlag('2026-12-24', '2027-01-13')).to.equal(undefined);
    });
  });

  describe('once the event has started', () => {
    it('when the event is today, then the flag is critical and says so', () => {
      const flag = leadFlag('2026-11-24', '2026-11-24');
      expect(flag?.severity).to.equal('critical');
      expect(flag?.message).to.include('the event is today (24 November 2026)');
    });

    it('when the event was yesterday and nothing is decided, then the flag is critical and says it started', () => {
      const flag = leadFlag('2026-11-24', '2026-11-23');
      expect(flag?.severity).to.equal('critical');
      expect(flag?.message).to.include('the event started on 23 November 2026');
    });
  });

  describe('by status', () => {
    for (const status of ['provisional', 'checks-complete', 'referred'] as const) {
      it(`when the booking is ${status} (not decided), then it is flagged`, () => {
        expect(leadFlag('2026-11-13', '2026-11-18', status)).to.not.equal(undefined);
      });
    }
    for (const status of ['approved', 'approved-with-conditions', 'refused', 'cancelled'] as const) {
      it(`when the booking is ${status} (decided), then it is not flagged even on the day`, () => {
        expect(leadFlag('2026-11-13', '2026-11-13', status)).to.equal(undefined);
      });
    }

    it('when checks are complete but nothing is decided, then the message says the decision is missing', () => {
      expect(leadFlag('2026-11-13', '2026-11-18', 'checks-complete')?.message).to.match(
        /^Checks are complete but no decision is recorded/,
      );
    });
  });

  it('when the flag is raised, then it has exactly the SPEC §4 fields with the booking ref as subject ref', () => {
    const flag = leadFlag('2026-11-13', '2026-11-18')!;
    expect(Object.keys(flag).sort()).to.deep.equal(['dueOn', 'message', 'rule', 'severity', 'subject']);
    expect(flag.subject).to.deep.equal({ type: 'booking', id: 'b1', ref: 'B-b1', name: 'Event b1' });
  });
});

describe('booking-watchlist-match', () => {
  const list = watchlistRecord('l1', { source: 'Home Office proscribed organisations', asOf: '2026-01-15' });
  const entries = [
    entryRecord('e1', 'l1', 'Example Front', { aliases: ['Example Front Movement'] }),
    entryRecord('e2', 'l1', 'Jon Q. Exemplar', { type: 'person', aliases: ['Jonny Exemplar'] }),
  ];

  function matchFlags(booking: Booking, extraHirers = [hirer]) {
    const data = hallHireData({ hirers: extraHirers, bookings: [booking], watchlists: [list], entries });
    return bookingFlags(data, '2026-03-01').filter((f) => f.rule === 'booking-watchlist-match');
  }

  it('when the organisation is "The Example Front Ltd" and "Example Front" is listed, then a critical flag names the entry and the list', () => {
    const front = hirerRecord('h2', { name: 'Alex Placeholder', organisation: 'The Example Front Ltd' });
    const flags = matchFlags(bookingRecord('b1', front, '2026-06-01'), [front]);
    expect(flags).to.have.length(1);
    expect(flags[0]?.severity).to.equal('critical');
    expect(flags[0]?.message).to.equal(
      'The organisation’s name matches “Example Front” on the Home Office proscribed organisations as of 15 January 2026; a coordinator’s decision is needed',
    );
  });

  it('when a speaker is written "Exemplar, Jon Q.", then it matches "Jon Q. Exemplar"', () => {
    const b = bookingRecord('b1', hirer, '2026-06-01', {
      speakers: [{ name: 'Exemplar, Jon Q.', aliases: [], affiliation: null }],
    });
    expect(matchFlags(b)[0]?.message).to.match(/^The speaker’s name matches “Jon Q\. Exemplar”/);
  });

  it('when a speaker’s alias matches a listed alias, then the booking is flagged', () => {
    const b = bookingRecord('b1', hirer, '2026-06-01', {
      speakers: [{ name: 'J. Example', aliases: ['Jonny Exemplar'], affiliation: null }],
    });
    expect(matchFlags(b)[0]?.message).to.match(/^The speaker’s alias’s name matches “Jonny Exemplar”/);
  });

  it('when the hirer’s other name matches, then the booking is flagged', () => {
    const h = hirerRecord('h3', { name: 'Sam Sample', otherNames: ['example front movement'] });
    expect(matchFlags(bookingRecord('b1', h, '2026-06-01'), [h])).to.have.length(1);
  });

  it('when a name only nearly matches ("Example Frontline", "Jon Exemplar"), then nothing is flagged', () => {
    const h = hirerRecord('h4', { name: 'Jon Exemplar', organisation: 'Example Frontline' });
    expect(matchFlags(bookingRecord('b1', h, '2026-06-01'), [h])).to.deep.equal([]);
  });

  it('when two names match, then one flag counts the further match', () => {
    const front = hirerRecord('h2', { name: 'Alex Placeholder', organisation: 'The Example Front Ltd' });
    const b = bookingRecord('b1', front, '2026-06-01', {
      speakers: [{ name: 'Jon Q Exemplar', aliases: ['Jonny Exemplar'], affiliation: null }],
    });
    const flags = matchFlags(b, [front]);
    expect(flags).to.have.length(1);
    expect(flags[0]?.message).to.include('and 1 more match;');
  });

  it('when a coordinator has decided on the matched entry, then the flag goes; a new match raises it again', () => {
    const front = hirerRecord('h2', { name: 'Alex Placeholder', organisation: 'The Example Front Ltd' });
    const cleared = bookingRecord('b1', front, '2026-06-01', { status: 'refused', clearedEntryIds: ['e1'] });
    expect(matchFlags(cleared, [front])).to.deep.equal([]);
    const newSpeaker = bookingRecord('b1', front, '2026-06-01', {
      status: 'refused',
      clearedEntryIds: ['e1'],
      speakers: [{ name: 'Jon Q. Exemplar', aliases: [], affiliation: null }],
    });
    expect(matchFlags(newSpeaker, [front])).to.have.length(1);
  });

  it('when a booking was approved by a booking officer, then its match is still flagged (only a coordinator decision clears it)', () => {
    const front = hirerRecord('h2', { name: 'Alex Placeholder', organisation: 'The Example Front Ltd' });
    expect(
      matchFlags(bookingRecord('b1', front, '2026-06-01', { status: 'approved' }), [front]),
    ).to.have.length(1);
  });

  it('when no watch list is loaded, then nothing matches', () => {
    const front = hirerRecord('h2', { name: 'Alex Placeholder', organisation: 'The Example Front Ltd' });
    const data = hallHireData({ hirers: [front], bookings: [bookingRecord('b1', front, '2026-06-01')] });
    expect(bookingFlags(data, '2026-03-01')).to.deep.equal([]);
  });

  it('when the flags are computed for everything, then booking flags are among them', () => {
    const front = hirerRecord('h2', { name: 'Alex Placeholder', organisation: 'The Example Front Ltd' });
    const data = hallHireData({
      hirers: [front],
      bookings: [bookingRecord('b1', front, '2026-03-02')],
      watchlists: [list],
      entries,
    });
    expect(computeFlags(data, '2026-03-01').map((f) => f.rule)).to.deep.equal([
      'booking-checks-incomplete',
      'booking-watchlist-match',
    ]);
  });
});

describe('booking flags for the viewer role', () => {
  it('when a viewer sees a watch-list flag, then neither the event title nor any name is in it', () => {
    const front = hirerRecord('h2', { name: 'Alex Placeholder', organisation: 'The Example Front Ltd' });
    const data = hallHireData({
      hirers: [front],
      bookings: [bookingRecord('b1', front, '2026-06-01', { eventTitle: 'Alex Placeholder’s meeting' })],
      watchlists: [watchlistRecord('l1')],
      entries: [entryRecord('e1', 'l1', 'Example Front')],
    });
    const flag = itemAt(bookingFlags(data, '2026-03-01').map(bookingFlagForViewer), 0);
    const text = JSON.stringify(flag);
    expect(text).to.not.include('Placeholder');
    expect(text).to.not.include('Example Front');
    expect(flag.subject).to.deep.equal({ type: 'booking', id: 'b1', ref: 'B-b1', name: 'Hall booking B-b1' });
    expect(flag.message).to.equal(
      'A name on this booking matches the watch list; a coordinator’s decision is needed',
    );
  });
});
