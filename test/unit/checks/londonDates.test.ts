import { expect } from 'chai';
import {
  addDays,
  addMonths,
  daysBetween,
  formatDate,
  formatDateTime,
  isValidIsoDate,
  londonDate,
  londonLocalDateTime,
  londonLocalToInstant,
  quarterOf,
} from '../../../checks/londonDates.js';

describe('London dates', () => {
  describe('addMonths', () => {
    it('when a month end is carried into a shorter month, then it lands on that month’s last day', () => {
      expect(addMonths('2027-01-31', 1)).to.equal('2027-02-28');
      expect(addMonths('2026-03-31', 1)).to.equal('2026-04-30');
      expect(addMonths('2026-08-31', 6)).to.equal('2027-02-28');
      expect(addMonths('2026-05-31', -1)).to.equal('2026-04-30');
    });

    it('when the target February is in a leap year, then 31 January + 1 is 29 February', () => {
      expect(addMonths('2028-01-31', 1)).to.equal('2028-02-29');
      expect(addMonths('2027-08-31', 6)).to.equal('2028-02-29');
    });

    it('when counting back from 31 March, then it lands on the end of February', () => {
      expect(addMonths('2026-03-31', -1)).to.equal('2026-02-28');
      expect(addMonths('2028-03-31', -1)).to.equal('2028-02-29');
    });

    it('when 12 months are added to 29 February, then it is 28 February the next year', () => {
      expect(addMonths('2028-02-29', 12)).to.equal('2029-02-28');
      expect(addMonths('2028-02-29', 48)).to.equal('2032-02-29');
    });

    it('when months cross a year boundary either way, then the year follows', () => {
      expect(addMonths('2026-12-15', 1)).to.equal('2027-01-15');
      expect(addMonths('2026-11-30', 3)).to.equal('2027-02-28');
      expect(addMonths('2026-01-15', -1)).to.equal('2025-12-15');
      expect(addMonths('2026-02-10', -14)).to.equal('2024-12-10');
      expect(addMonths('2026-06-15', 0)).to.equal('2026-06-15');
    });
  });

  describe('londonDate', () => {
    it('when the clocks go forward on 29 March 2026, then instants either side fall on the right London day', () => {
      expect(londonDate('2026-03-28T23:59:59Z')).to.equal('2026-03-28');
      expect(londonDate('2026-03-29T00:30:00Z')).to.equal('2026-03-29');
      expect(londonDate('2026-03-29T01:00:00Z')).to.equal('2026-03-29');
      // From here London is UTC+1: 23:00Z is already midnight.
      expect(londonDate('2026-03-29T22:59:00Z')).to.equal('2026-03-29');
      expect(londonDate('2026-03-29T23:00:00Z')).to.equal('2026-03-30');
    });

    it('when the clocks go back on 25 October 2026, then instants either side fall on the right London day', () => {
      expect(londonDate('2026-10-24T22:59:00Z')).to.equal('2026-10-24');
      expect(londonDate('2026-10-24T23:00:00Z')).to.equal('2026-10-25');
      expect(londonDate('2026-10-25T01:30:00Z')).to.equal('2026-10-25');
      // From here London is UTC+0 again: 23:30Z is still 25 October.
      expect(londonDate('2026-10-25T23:30:00Z')).to.equal('2026-10-25');
      expect(londonDate('2026-10-26T00:00:00Z')).to.equal('2026-10-26');
    });

    it('when it is 23:30 UTC on 30 June, then in London it is already 1 July', () => {
      expect(londonDate('2026-06-30T23:30:00Z')).to.equal('2026-07-01');
      expect(londonDate(new Date('2026-06-30T23:30:00Z'))).to.equal('2026-07-01');
    });

    it('when it is 23:30 UTC on 31 December (GMT), then in London it is still 31 December', () => {
      expect(londonDate('2026-12-31T23:30:00Z')).to.equal('2026-12-31');
    });
  });

  describe('londonLocalDateTime', () => {
    it('when the clocks go back, then both 01:30s read as 01:30', () => {
      expect(londonLocalDateTime(new Date('2026-10-25T00:30:00Z'))).to.equal('2026-10-25T01:30');
      expect(londonLocalDateTime(new Date('2026-10-25T01:30:00Z'))).to.equal('2026-10-25T01:30');
    });

    it('when it is midnight in London, then the hour reads 00', () => {
      expect(londonLocalDateTime(new Date('2026-06-30T23:00:00Z'))).to.equal('2026-07-01T00:00');
      expect(londonLocalDateTime(new Date('2026-01-01T00:00:00Z'))).to.equal('2026-01-01T00:00');
    });
  });

  describe('londonLocalToInstant', () => {
    it('when the time is in winter (GMT), then the instant is the same clock time in UTC', () => {
      expect(londonLocalToInstant('2026-01-15T09:00').toISOString()).to.equal('2026-01-15T09:00:00.000Z');
      expect(londonLocalToInstant('2026-03-29T00:30').toISOString()).to.equal('2026-03-29T00:30:00.000Z');
      expect(londonLocalToInstant('2026-10-25T02:00').toISOString()).to.equal('2026-10-25T02:00:00.000Z');
    });

    it('when the time is in summer (BST), then the instant is an hour earlier in UTC', () => {
      expect(londonLocalToInstant('2026-07-15T09:00').toISOString()).to.equal('2026-07-15T08:00:00.000Z');
      expect(londonLocalToInstant('2026-03-29T02:30').toISOString()).to.equal('2026-03-29T01:30:00.000Z');
      expect(londonLocalToInstant('2026-07-01T00:00').toISOString()).to.equal('2026-06-30T23:00:00.000Z');
    });

    it('when only a date is given, then it is London midnight', () => {
      expect(londonLocalToInstant('2026-07-15').toISOString()).to.equal('2026-07-14T23:00:00.000Z');
      expect(londonLocalToInstant('2026-12-15').toISOString()).to.equal('2026-12-15T00:00:00.000Z');
    });

    it('when the time is skipped by the clocks going forward, then it moves forward an hour', () => {
      const instant = londonLocalToInstant('2026-03-29T01:30');
      expect(instant.toISOString()).to.equal('2026-03-29T01:30:00.000Z');
      expect(londonLocalDateTime(instant)).to.equal('2026-03-29T02:30');
    });

    it('when the time happens twice as the clocks go back, then the first (BST) one is taken', () => {
      expect(londonLocalToInstant('2026-10-25T01:30').toISOString()).to.equal('2026-10-25T00:30:00.000Z');
    });

    it('when every quarter hour of both change days is converted and read back, then it is unchanged (but for the skipped hour)', () => {
      for (const day of ['2026-03-29', '2026-10-25']) {
        for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
          const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
          const mm = String(minutes % 60).padStart(2, '0');
          const local = `${day}T${hh}:${mm}`;
          if (day === '2026-03-29' && hh === '01') continue;
          expect(londonLocalDateTime(londonLocalToInstant(local)), local).to.equal(local);
        }
      }
    });
  });

  describe('formatting and counting', () => {
    it('when a date is formatted, then it reads the GOV.UK way', () => {
      expect(formatDate('2026-11-23')).to.equal('23 November 2026');
      expect(formatDate('2026-01-05')).to.equal('5 January 2026');
      expect(formatDate(null)).to.equal('');
      expect(formatDate(undefined)).to.equal('');
    });

    it('when an instant is formatted with its time, then it is London time in GOV.UK style', () => {
      expect(formatDateTime('2026-11-23T14:05:00Z')).to.equal('23 November 2026 at 2:05pm');
      expect(formatDateTime('2026-06-30T23:30:00Z')).to.equal('1 July 2026 at 12:30am');
      expect(formatDateTime(new Date('2026-01-01T12:00:00Z'))).to.equal('1 January 2026 at 12:00pm');
      expect(formatDateTime(null)).to.equal('');
    });

    it('when days are counted between two dates, then clock changes and leap days are whole days', () => {
      expect(daysBetween('2026-03-28', '2026-03-30')).to.equal(2);
      expect(daysBetween('2026-10-24', '2026-10-26')).to.equal(2);
      expect(daysBetween('2026-01-01', '2027-01-01')).to.equal(365);
      expect(daysBetween('2028-01-01', '2029-01-01')).to.equal(366);
      expect(daysBetween('2026-05-10', '2026-05-01')).to.equal(-9);
      expect(daysBetween('2026-05-10', '2026-05-10')).to.equal(0);
    });

    it('when days are added, then months, years and leap days roll over', () => {
      expect(addDays('2026-12-31', 1)).to.equal('2027-01-01');
      expect(addDays('2028-02-28', 1)).to.equal('2028-02-29');
      expect(addDays('2026-03-01', -1)).to.equal('2026-02-28');
      expect(addDays('2026-06-01', 30)).to.equal('2026-07-01');
    });

    it('when a date is checked, then only real calendar dates in YYYY-MM-DD pass', () => {
      expect(isValidIsoDate('2028-02-29')).to.equal(true);
      expect(isValidIsoDate('2027-02-29')).to.equal(false);
      expect(isValidIsoDate('2026-13-01')).to.equal(false);
      expect(isValidIsoDate('2026-04-31')).to.equal(false);
      expect(isValidIsoDate('26-04-01')).to.equal(false);
      expect(isValidIsoDate('2026-4-1')).to.equal(false);
    });

    it('when a date is put in a quarter, then calendar quarters are used', () => {
      expect(quarterOf('2026-03-31')).to.equal('2026-Q1');
      expect(quarterOf('2026-04-01')).to.equal('2026-Q2');
      expect(quarterOf('2026-11-23')).to.equal('2026-Q4');
    });
  });
});
