import { expect } from 'chai';
import { bookingScreeningSchema, bookingSchema, hirerSchema } from '../../../data/schemas/hallHireSchemas.js';
import {
  bookingRetention as bookingRule,
  hirerRetention as hirerRule,
  screeningRetention as screeningRule,
} from '../../../jobs/hallHireRetention.js';
import { bookingRecord, hirerRecord } from '../../support/hallHireRecords.js';

describe('hall hire retention rules', () => {
  const hirer = hirerRecord('h1', {
    name: 'Pat Example',
    organisation: 'Northbrook Choir',
    otherNames: ['P. Example'],
    email: 'pat@example.org',
    phone: '01234 567890',
    charityNumber: '1190001',
    lastEventOn: '2019-05-01',
  });
  const booking = bookingRecord('b1', hirer, '2019-05-01', {
    eventTitle: 'An evening with Jon Example',
    speakers: [{ name: 'Jon Example', aliases: ['J. Example'], affiliation: 'Example Society' }],
  });

  it('when a booking is past the period, then speakers, title and keys go and the record stays valid', () => {
    expect(bookingRule.dateOf(booking)).to.equal('2019-05-01T21:00');
    const after = bookingSchema.parse({ ...booking, ...bookingRule.redact(booking) });
    expect(JSON.stringify(after)).to.not.include('Example');
    expect(after.personalDataRemoved).to.equal(true);
    expect(after.start).to.equal(booking.start);
    expect(after.hallId).to.equal(booking.hallId);
  });

  it('when a hirer is past the period from their latest event, then their name and contact details go but the organisation stays', () => {
    expect(hirerRule.dateOf(hirer)).to.equal('2019-05-01');
    const after = hirerSchema.parse({ ...hirer, ...hirerRule.redact(hirer) });
    expect(after).to.deep.include({
      name: 'Removed',
      otherNames: [],
      email: null,
      phone: null,
      organisation: 'Northbrook Choir',
      charityNumber: '1190001',
      personalDataRemoved: true,
    });
    expect(JSON.stringify(after)).to.not.include('Pat');
  });

  it('when a screening is past the period, then the booking’s names leave its matches but the list entry stays', () => {
    const screening = bookingScreeningSchema.parse({
      id: 's1',
      version: 1,
      createdAt: '2019-04-01T10:00:00.000Z',
      updatedAt: '2019-04-01T10:00:00.000Z',
      bookingId: 'b1',
      eventDay: '2019-05-01',
      at: '2019-04-01T10:00:00.000Z',
      by: 'facilities@demo.test',
      why: 'requested',
      lists: [],
      matches: [
        {
          role: 'speaker',
          name: 'Jon Example',
          entryId: 'e1',
          listId: 'l1',
          source: 'Home Office proscribed organisations',
          asOf: '2019-03-01',
          entryName: 'Example Front',
          entryType: 'organisation',
          matchedText: 'Example Front',
          via: 'name',
          reason: '"Jon Example" matches "Example Front"',
        },
      ],
    });
    expect(screeningRule.dateOf(screening)).to.equal('2019-05-01');
    const patch = screeningRule.redact(screening);
    const after = bookingScreeningSchema.parse({ ...screening, ...patch });
    expect(JSON.stringify(after)).to.not.include('Jon');
    expect(after.matches[0]?.entryName).to.equal('Example Front');
    expect(screeningRule.redact(after)).to.deep.equal(patch);
  });
});
