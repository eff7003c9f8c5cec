import type { Booking } from '../../data/schemas/hallHireSchemas.js';
import type { TestApp } from './testApp.js';

/** The booking form as the edit page would send it, from the record (so only `over` differs). */
export function editForm(t: TestApp, b: Booking, over: Record<string, string> = {}): Record<string, string> {
  const h = t.store.get('hirers', b.hirerId);
  if (!h) throw new Error(`Booking ${b.ref} has no hirer`);
  const [sy = '', sm, sd] = b.start.slice(0, 10).split('-');
  const form: Record<string, string> = {
    ref: b.ref,
    hallId: b.hallId,
    'start-day': String(Number(sd)),
    'start-month': String(Number(sm)),
    'start-year': sy,
    startTime: b.start.slice(11),
    endTime: b.end.slice(11),
    eventTitle: b.eventTitle ?? '',
    purpose: b.purpose ?? '',
    expectedAttendance: String(b.expectedAttendance ?? ''),
    openToPublic: b.openToPublic ? 'yes' : 'no',
    hirerName: h.name,
    organisation: h.organisation ?? '',
    otherNames: h.otherNames.join('\n'),
    charityNumber: h.charityNumber ?? '',
    companyNumber: h.companyNumber ?? '',
    hirerEmail: h.email ?? '',
    hirerPhone: h.phone ?? '',
    hirerAddress: h.address ?? '',
    bookingOfficerEmail: b.bookingOfficerEmail ?? '',
    version: String(b.version),
  };
  b.speakers.forEach((s, i) => {
    form[`speaker-${i}-name`] = s.name;
    form[`speaker-${i}-aliases`] = s.aliases.join('; ');
    form[`speaker-${i}-affiliation`] = s.affiliation ?? '';
  });
  return { ...form, ...over };
}

/** The new-booking form for `hallId` on `day` (YYYY-MM-DD), 18:30–21:00, with `over`. */
export function newBookingForm(
  hallId: string,
  day: string,
  over: Record<string, string> = {},
): Record<string, string> {
  const [year = '', month = '', dayOfMonth = ''] = day.split('-');
  return {
    ref: 'NB-H-9001',
    hallId,
    'start-day': String(Number(dayOfMonth)),
    'start-month': String(Number(month)),
    'start-year': year,
    startTime: '18:30',
    endTime: '21:00',
    eventTitle: 'Book club social',
    purpose: 'Reading and discussion',
    expectedAttendance: '40',
    openToPublic: 'yes',
    hirerName: 'Taylor Example',
    organisation: 'Northbrook Readers',
    otherNames: '',
    charityNumber: '',
    companyNumber: '',
    hirerEmail: 'taylor@example.org',
    hirerPhone: '',
    hirerAddress: '',
    'speaker-0-name': 'Dr Q. Author',
    'speaker-0-aliases': '',
    'speaker-0-affiliation': 'Northbrook University',
    'speaker-1-name': '',
    'speaker-1-aliases': '',
    'speaker-1-affiliation': '',
    bookingOfficerEmail: 'facilities@demo.test',
    ...over,
  };
}
