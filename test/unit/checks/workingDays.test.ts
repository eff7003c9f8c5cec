import { expect } from 'chai';
import { addDays } from '../../../checks/londonDates.js';
import { bankHolidays, isBankHoliday, isWorkingDay, workingDaysUntil } from '../../../checks/workingDays.js';

// Published England and Wales dates from GOV.UK (https://www.gov.uk/bank-holidays).
const published: Record<number, string[]> = {
  2012: [
    '2012-01-02',
    '2012-04-06',
    '2012-04-09',
    '2012-05-07',
    '2012-06-04',
    '2012-06-05',
    '2012-08-27',
    '2012-12-25',
    '2012-12-26',
  ],
  2020: [
    '2020-01-01',
    '2020-04-10',
    '2020-04-13',
    '2020-05-08',
    '2020-05-25',
    '2020-08-31',
    '2020-12-25',
    '2020-12-28',
  ],
  2021: [
    '2021-01-01',
    '2021-04-02',
    '2021-04-05',
    '2021-05-03',
    '2021-05-31',
    '2021-08-30',
    '2021-12-27',
    '2021-12-28',
  ],
  2022: [
    '2022-01-03',
    '2022-04-15',
    '2022-04-18',
    '2022-05-02',
    '2022-06-02',
    '2022-06-03',
    '2022-08-29',
    '2022-09-19',
    '2022-12-26',
    '2022-12-27',
  ],
  2023: [
    '2023-01-02',
    '2023-04-07',
    '2023-04-10',
    '2023-05-01',
    '2023-05-08',
    '2023-05-29',
    '2023-08-28',
    '2023-12-25',
    '2023-12-26',
  ],
  2024: [
    '2024-01-01',
    '2024-03-29',
    '2024-04-01',
    '2024-05-06',
    '2024-05-27',
    '2024-08-26',
    '2024-12-25',
    '2024-12-26',
  ],
  2025: [
    '2025-01-01',
    '2025-04-18',
    '2025-04-21',
    '2025-05-05',
    '2025-05-26',
    '2025-08-25',
    '2025-12-25',
    '2025-12-26',
  ],
  2026: [
    '2026-01-01',
    '2026-04-03',
    '2026-04-06',
    '2026-05-04',
    '2026-05-25',
    '2026-08-31',
    '2026-12-25',
    '2026-12-28',
  ],
  2027: [
    '2027-01-01',
    '2027-03-26',
    '2027-03-29',
    '2027-05-03',
    '2027-05-31',
    '2027-08-30',
    '2027-12-27',
    '2027-12-28',
  ],
};

describe('bank holidays', () => {
  for (const [year, dates] of Object.entries(published)) {
    it(`when ${year} is computed, then it gives the published GOV.UK dates`, () => {
      expect(bankHolidays(Number(year))).to.deep.equal(dates);
    });
  }

  it('when 2022 is computed, then the spring holiday moved to 2 June with the jubilee and the state funeral', () => {
    const dates = bankHolidays(2022);
    expect(dates).to.include.members(['2022-06-02', '2022-06-03', '2022-09-19']);
    expect(dates).to.not.include('2022-05-30');
  });

  it('when 2020 is computed, then the early May holiday is Friday 8 May, not Monday 4 May', () => {
    expect(bankHolidays(2020)).to.include('2020-05-08').and.not.include('2020-05-04');
  });

  it('when 2012 is computed, then the spring holiday moved to 4 June with the jubilee on 5 June', () => {
    expect(bankHolidays(2012)).to.include.members(['2012-06-04', '2012-06-05']).and.not.include('2012-05-28');
  });

  it('when earlier one-off years are computed, then the VE Day, Millennium, Golden Jubilee and royal wedding changes are there', () => {
    expect(bankHolidays(1995)).to.include('1995-05-08').and.not.include('1995-05-01');
    expect(bankHolidays(1999)).to.include('1999-12-31');
    expect(bankHolidays(2002)).to.include.members(['2002-06-03', '2002-06-04']).and.not.include('2002-05-27');
    expect(bankHolidays(2011)).to.include('2011-04-29');
  });

  it('when Christmas Day is a Sunday, then Boxing Day stays and Christmas moves to the Tuesday', () => {
    expect(bankHolidays(2033).filter((d) => d >= '2033-12-01')).to.deep.equal(['2033-12-26', '2033-12-27']);
  });

  it('when Christmas Day is a Saturday, then both move to Monday and Tuesday', () => {
    expect(bankHolidays(2032).filter((d) => d >= '2032-12-01')).to.deep.equal(['2032-12-27', '2032-12-28']);
  });

  it('when a far-off year is computed, then it still has eight holidays on weekdays', () => {
    const dates = bankHolidays(2100);
    expect(dates).to.have.length(8);
    for (const date of dates) expect(new Date(`${date}T00:00:00Z`).getUTCDay(), date).to.be.within(1, 5);
  });

  it('when the year is not a whole number, then it is refused', () => {
    expect(() => bankHolidays(2026.5)).to.throw(RangeError);
  });

  it('when a date is a bank holiday, then isBankHoliday says so', () => {
    expect(isBankHoliday('2023-05-08')).to.equal(true);
    expect(isBankHoliday('2024-05-08')).to.equal(false);
  });
});

describe('working days', () => {
  it('when the day is a weekday and not a holiday, then it is a working day', () => {
    expect(isWorkingDay('2026-11-24')).to.equal(true);
  });

  it('when the day is a Saturday or a Sunday, then it is not a working day', () => {
    expect(isWorkingDay('2026-11-28')).to.equal(false);
    expect(isWorkingDay('2026-11-29')).to.equal(false);
  });

  it('when the day is a bank holiday or a substitute day, then it is not a working day', () => {
    expect(isWorkingDay('2026-04-03')).to.equal(false);
    expect(isWorkingDay('2026-12-28')).to.equal(false);
  });

  it('when the date is malformed or does not exist, then it is refused', () => {
    expect(() => isWorkingDay('2026-02-30')).to.throw(RangeError, '2026-02-30');
    expect(() => isWorkingDay('2026-2-3')).to.throw(RangeError);
    expect(() => isWorkingDay('2026-04-03T10:00')).to.throw(RangeError);
    expect(() => isWorkingDay('2026-13-01')).to.throw(RangeError);
    expect(() => isWorkingDay('2026-0a-01')).to.throw(RangeError);
  });

  it('when the date is 29 February, then it is accepted only in a leap year', () => {
    expect(isWorkingDay('2028-02-29')).to.equal(true);
    expect(isWorkingDay('2000-02-29')).to.equal(true);
    expect(() => isWorkingDay('2100-02-29')).to.throw(RangeError);
    expect(() => isWorkingDay('2027-02-29')).to.throw(RangeError);
  });

  it('when days are added across a month, a year or a leap day (londonDates, the one addDays), then the calendar date is right', () => {
    expect(addDays('2026-01-31', 1)).to.equal('2026-02-01');
    expect(addDays('2026-12-31', 1)).to.equal('2027-01-01');
    expect(addDays('2028-02-28', 1)).to.equal('2028-02-29');
    expect(addDays('2026-03-01', -1)).to.equal('2026-02-28');
  });

  it('when days are added across the clocks changing, then no day is lost or repeated', () => {
    expect(addDays('2026-03-28', 2)).to.equal('2026-03-30');
    expect(addDays('2026-10-24', 2)).to.equal('2026-10-26');
  });
});

describe('workingDaysUntil', () => {
  it('when the event is on the as-of day or earlier, then it is 0', () => {
    expect(workingDaysUntil('2026-11-24', '2026-11-24')).to.equal(0);
    expect(workingDaysUntil('2026-11-24', '2026-11-20')).to.equal(0);
  });

  it('when the event is the next day and that is a working day, then it is 1', () => {
    expect(workingDaysUntil('2026-11-24', '2026-11-25')).to.equal(1);
  });

  it('when the event is on a weekend just after as-of Friday, then no working day is counted', () => {
    expect(workingDaysUntil('2026-11-27', '2026-11-28')).to.equal(0);
    expect(workingDaysUntil('2026-11-27', '2026-11-29')).to.equal(0);
  });

  it('when as-of is a Saturday, then counting starts with Monday', () => {
    expect(workingDaysUntil('2026-11-28', '2026-11-30')).to.equal(1);
  });

  describe('booking lead time (within: 10 or fewer; critical: 2 or fewer)', () => {
    it('when as-of is Friday and the event is on Tuesday across a weekend, then it is 2 (critical)', () => {
      expect(workingDaysUntil('2026-11-13', '2026-11-17')).to.equal(2);
    });

    it('when as-of is Friday and the event is on Wednesday across a weekend, then it is 3 (not critical)', () => {
      expect(workingDaysUntil('2026-11-13', '2026-11-18')).to.equal(3);
    });

    it('when the event is two weeks on Friday, then it is 10 (still within the lead time)', () => {
      expect(workingDaysUntil('2026-11-13', '2026-11-27')).to.equal(10);
    });

    it('when the event is the Monday after that, then it is 11 (outside the lead time)', () => {
      expect(workingDaysUntil('2026-11-13', '2026-11-30')).to.equal(11);
    });

    it('when as-of is Maundy Thursday, then Good Friday and Easter Monday are skipped: Tuesday is 1, Wednesday 2, Thursday 3', () => {
      expect(workingDaysUntil('2026-04-02', '2026-04-06')).to.equal(0);
      expect(workingDaysUntil('2026-04-02', '2026-04-07')).to.equal(1);
      expect(workingDaysUntil('2026-04-02', '2026-04-08')).to.equal(2);
      expect(workingDaysUntil('2026-04-02', '2026-04-09')).to.equal(3);
    });

    it('when as-of is Maundy Thursday, then the 10th working day is Monday 20 April and Tuesday is the 11th', () => {
      expect(workingDaysUntil('2026-04-02', '2026-04-20')).to.equal(10);
      expect(workingDaysUntil('2026-04-02', '2026-04-21')).to.equal(11);
    });

    it('when as-of is Christmas Eve 2026, then Christmas, the Boxing Day substitute and New Year are skipped', () => {
      expect(workingDaysUntil('2026-12-24', '2026-12-28')).to.equal(0);
      expect(workingDaysUntil('2026-12-24', '2026-12-29')).to.equal(1);
      expect(workingDaysUntil('2026-12-24', '2026-12-30')).to.equal(2);
      expect(workingDaysUntil('2026-12-24', '2026-12-31')).to.equal(3);
      expect(workingDaysUntil('2026-12-24', '2027-01-01')).to.equal(3);
    });

    it('when as-of is Christmas Eve 2026, then Tuesday 12 January 2027 is the 10th working day and Wednesday 13 January the 11th', () => {
      expect(workingDaysUntil('2026-12-24', '2027-01-12')).to.equal(10);
      expect(workingDaysUntil('2026-12-24', '2027-01-13')).to.equal(11);
    });
  });

  it('when counted over a long span, then it agrees with checking each day in turn', () => {
    const asOf = '2025-12-20';
    let day = asOf;
    let expected = 0;
    for (let i = 0; i < 800; i += 1) {
      day = addDays(day, 1);
      if (isWorkingDay(day)) expected += 1;
      expect(workingDaysUntil(asOf, day), day).to.equal(expected);
    }
  });
});
