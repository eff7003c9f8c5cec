import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseBookingsCsv } from '../../../data/csv/bookingReader.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/csv/${name}`, import.meta.url));

describe('parseBookingsCsv', () => {
  it('when the rows are good, then each booking is read with lists split on semicolons', () => {
    const result = parseBookingsCsv(fixture('bookings.csv'));
    expect(result.errors).to.deep.equal([]);
    expect(result.rows[0]).to.deep.equal({
      row: 2,
      bookingRef: 'B-1001',
      premisesRef: 'P-001',
      hall: 'Main Hall',
      start: '2026-03-14T18:30',
      end: '2026-03-14T21:00',
      eventTitle: 'Community iftar',
      purpose: 'Shared meal during Ramadan',
      expectedAttendance: 120,
      openToPublic: true,
      hirerName: 'Amina Khan',
      organisation: 'Hendon Mosque Trust',
      otherNames: ['Hendon Mosque', 'HMT'],
      charityNumber: '1123456',
      companyNumber: null,
      speakers: ['Imam A. Example', 'Cllr B. Example'],
      bookingOfficerEmail: 'bookings@barnet.example.gov.uk',
    });
  });

  it('when times have seconds or a space before the time, then they are kept as YYYY-MM-DDTHH:MM', () => {
    const [, swim, talk] = parseBookingsCsv(fixture('bookings.csv')).rows;
    assert.ok(swim !== undefined);
    expect(swim).to.include({
      start: '2026-03-29T02:30',
      end: '2026-03-29T04:00',
      openToPublic: null,
      hirerName: 'José Müller',
    });
    expect(swim.speakers).to.deep.equal([]);
    expect(talk).to.include({
      start: '2026-10-25T00:30',
      eventTitle: 'Talk: "Faith and the city"',
      openToPublic: false,
    });
  });

  it('when rows are bad, then every problem is reported in words an officer understands', () => {
    const result = parseBookingsCsv(fixture('bookings_bad.csv'));
    expect(result.errors).to.deep.equal([
      { row: 3, column: 'start', message: '"2026-13-01T10:00" is not a date and time like 2026-03-14T18:30' },
      { row: 3, column: 'end', message: '"2026-13-01T12:00" is not a date and time like 2026-03-14T18:30' },
      {
        row: 4,
        column: 'end',
        message: 'the end (2026-03-15T18:00) is not after the start (2026-03-15T19:00)',
      },
      {
        row: 5,
        column: 'booking_ref',
        message: 'B-2001 is already on row 2 — each booking may appear only once',
      },
      {
        row: 6,
        column: 'start',
        message: '"2026-02-30T10:00" is not a real date: February 2026 has 28 days',
      },
      { row: 6, column: 'end', message: '"2026-02-30T12:00" is not a real date: February 2026 has 28 days' },
      { row: 7, column: 'hall', message: 'the hall is blank — say which room or hall is booked' },
      { row: 7, column: 'hirer_name', message: 'the hirer’s name is blank' },
      { row: 7, column: 'expected_attendance', message: '"about 50" is not a whole number of people' },
      { row: 7, column: 'open_to_public', message: '"maybe" should be yes or no' },
      { row: 7, column: 'booking_officer_email', message: '"officer at barnet" is not an email address' },
      { row: 8, column: 'start', message: '"14/03/2026 18:30" is not a date and time like 2026-03-14T18:30' },
      {
        row: 9,
        column: 'start',
        message:
          '"2026-03-29T01:30" does not exist in London: the clocks go forward from 01:00 to 02:00 that night',
      },
    ]);
    expect(result.rows.map((r) => r.bookingRef)).to.deep.equal(['B-2001']);
  });

  it('when a leap year has 29 February, then that date is accepted', () => {
    const header =
      'booking_ref,premises_ref,hall,start,end,event_title,purpose,expected_attendance,open_to_public,hirer_name,organisation,other_names,charity_number,company_number,speakers,booking_officer_email';
    const csv = Buffer.from(
      `${header}\nB-1,P-1,Hall,2028-02-29T10:00,2028-02-29T11:00,,,,,Jo Example,,,,,,\n`,
    );
    const result = parseBookingsCsv(csv);
    expect(result.errors).to.deep.equal([]);
    expect(result.rows[0]?.start).to.equal('2028-02-29T10:00');
  });

  it('when a column is missing, then the error names it', () => {
    const csv = Buffer.from(
      'booking_ref,premises_ref,hall,start,end\nB-1,P-1,Hall,2026-03-14T18:30,2026-03-14T20:00\n',
    );
    const result = parseBookingsCsv(csv);
    expect(result.rows).to.deep.equal([]);
    expect(result.errors.map((e) => e.column)).to.include.members([
      'hirer_name',
      'speakers',
      'booking_officer_email',
    ]);
    expect(result.errors.every((e) => e.row === 1)).to.equal(true);
  });
});
