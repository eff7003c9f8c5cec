import { expect } from 'chai';
import { LIMITS } from '../../../checks/limits.js';
import type { Hall } from '../../../data/schemas/hallHireSchemas.js';
import { checkHireRequest, type HireRaw, rawFromJson } from '../../../server/public/hireForms.js';

const hall = {
  id: 'hall-1',
  name: 'Main Hall',
  capacity: 150,
  archived: false,
  bookableOnline: true,
} as Hall;

const ctx = {
  onlineHall: (id: string) => (id === 'hall-1' ? hall : undefined),
  earliestStart: '2027-01-04',
  clashes: () => false,
};

const good = (over: Partial<HireRaw> = {}): HireRaw => ({
  ...rawFromJson({
    hallId: 'hall-1',
    start: '2027-01-10T18:30',
    end: '2027-01-10T21:00',
    eventTitle: 'Reading evening',
    purpose: 'Readings',
    expectedAttendance: 40,
    openToPublic: true,
    hirerName: 'Morgan Reader',
    hirerEmail: 'Morgan@Example.org',
    speakers: [{ name: 'Casey Author', affiliation: '' }],
    agreeTerms: true,
  }),
  ...over,
});

describe('checkHireRequest', () => {
  it('when every answer is good, then the input is returned, email in lower case', () => {
    const { input, errors } = checkHireRequest(good(), ctx);
    expect(errors).to.equal(null);
    expect(input).to.include({
      hirerEmail: 'morgan@example.org',
      openToPublic: true,
      expectedAttendance: 40,
    });
    expect(input!.speakers).to.deep.equal([{ name: 'Casey Author', affiliation: null }]);
  });

  it('when fields are at their SPEC §10 limit they pass; one character more is refused with the field’s error', () => {
    const at = good({
      hirerName: 'n'.repeat(LIMITS.name),
      purpose: 'p'.repeat(LIMITS.freeText),
      charityNumber: '1'.repeat(LIMITS.reference),
      hirerEmail: `${'e'.repeat(LIMITS.email - 12)}@example.org`,
    });
    expect(checkHireRequest(at, ctx).errors).to.equal(null);
    const over = good({
      hirerName: 'n'.repeat(LIMITS.name + 1),
      purpose: 'p'.repeat(LIMITS.freeText + 1),
      charityNumber: '1'.repeat(LIMITS.reference + 1),
      hirerEmail: `${'e'.repeat(LIMITS.email - 11)}@example.org`,
    });
    const { errors } = checkHireRequest(over, ctx);
    expect(errors).to.have.keys(['hirerName', 'purpose', 'charityNumber', 'hirerEmail']);
    expect(errors?.purpose?.text).to.equal('What happens at the event must be 5,000 characters or fewer');
  });

  it('when a start is before the earliest date, more people are expected than the hall holds, or the hall is taken, then each is said', () => {
    expect(
      checkHireRequest(good({ start: '2027-01-03T18:30', end: '2027-01-03T21:00' }), ctx).errors?.start?.text,
    ).to.equal(
      'The event must be on or after 4 January 2027: the council needs 10 working days to check a booking',
    );
    expect(
      checkHireRequest(good({ start: '2029-01-05T18:30', end: '2029-01-05T21:00' }), ctx).errors?.start?.text,
    ).to.equal('The event must be on or before 4 January 2029: requests are taken up to 2 years ahead');
    expect(
      checkHireRequest(good({ expectedAttendance: '151' }), ctx).errors?.expectedAttendance?.text,
    ).to.equal('Main Hall holds up to 150 people');
    expect(checkHireRequest(good(), { ...ctx, clashes: () => true }).errors?.start?.text).to.include(
      'already booked',
    );
  });

  it('when a field holds control characters or the JSON sends the wrong types, then it is refused, not cleaned', () => {
    const { errors } = checkHireRequest(good({ eventTitle: 'Evening\u0000' }), ctx);
    expect(errors?.eventTitle?.text).to.equal('Event name must not contain control characters');
    const wrongTypes = rawFromJson({ hallId: ['hall-1'], hirerName: { $ne: '' }, speakers: 'Casey' });
    expect(wrongTypes.hallId).to.equal('');
    expect(wrongTypes.hirerName).to.equal('');
    expect(wrongTypes.speakers).to.deep.equal([]);
  });

  it('when a hostile field is longer than its limit, then the length refuses it before any pattern runs on it', () => {
    const { errors } = checkHireRequest(
      good({ hirerEmail: 'a@'.repeat(30_000), hirerPhone: '1'.repeat(60_000) }),
      ctx,
    );
    expect(errors?.hirerEmail?.text).to.equal('Email address must be 254 characters or fewer');
    expect(errors?.hirerPhone?.text).to.equal('Phone number must be 40 characters or fewer');
  });
});
