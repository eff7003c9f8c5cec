import { isEmailAddress } from '../../checks/email.js';
import { londonLocalDateTime, londonLocalToInstant } from '../../checks/londonDates.js';
import type { Speaker } from '../../data/schemas/hallHireSchemas.js';
import { z } from 'zod';
import { type FieldErrors, fieldErrorsOf } from '../errors.js';

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
export const blank = (s: string | undefined | null) => (s ?? '').trim() || null;

export interface SpeakerInput {
  name: string;
  aliases: string;
  affiliation: string;
}

/** The booking form as typed. Dates are ISO (read from GOV.UK date inputs), times HH:MM. */
export interface BookingInput {
  ref: string;
  hallId: string;
  startDate: string | null;
  startTime: string;
  endDate: string | null;
  endTime: string;
  eventTitle: string;
  purpose: string;
  expectedAttendance: string;
  openToPublic: string;
  hirerName: string;
  organisation: string;
  otherNames: string;
  charityNumber: string;
  companyNumber: string;
  hirerEmail: string;
  hirerPhone: string;
  hirerAddress: string;
  speakers: SpeakerInput[];
  bookingOfficerEmail: string;
  /** Errors found while reading the form (e.g. a date that does not exist), keyed by field. */
  readErrors?: FieldErrors;
}

/** The hirer's part of the booking form, also changed on its own from the hirer's page. */
export type HirerInput = Pick<
  BookingInput,
  | 'hirerName'
  | 'organisation'
  | 'otherNames'
  | 'charityNumber'
  | 'companyNumber'
  | 'hirerEmail'
  | 'hirerPhone'
  | 'hirerAddress'
>;

export interface HallInput {
  name: string;
  capacity: string;
  /** Offered on the public request form (/hire). */
  bookableOnline?: boolean;
}

/** Facts from the store the booking form is checked against. */
export interface BookingLookups {
  /** The booking already using this reference (any case), if any. */
  bookingByRef(ref: string): { id: string } | undefined;
  /** The year of the archived booking using this reference, if any. */
  archivedYearOfRef(ref: string): number | undefined;
  /** Whether the hall exists and is still in use. */
  hallInUse(hallId: string): boolean;
}

function splitLines(text: string): string[] {
  return text
    .split(/\r?\n|;/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function localTime(date: string | null, time: string): string | null {
  const match = date ? TIME.exec(time.trim()) : null;
  if (!date || !match) return null;
  return `${date}T${(match[1] ?? '').padStart(2, '0')}:${match[2]}`;
}

/** A London wall time that exists (not inside the hour skipped when the clocks go forward). */
function existsInLondon(local: string): boolean {
  return londonLocalDateTime(londonLocalToInstant(local)) === local;
}

function timeError(
  label: 'start' | 'end',
  time: string,
  local: string | null,
  example: string,
): string | undefined {
  if (!time.trim()) return `Enter the ${label} time`;
  if (!TIME.test(time.trim())) return `Enter the ${label} time as hours and minutes, like ${example}`;
  if (local && !existsInLondon(local))
    return 'That time does not exist in London: the clocks go forward then';
  return undefined;
}

/** The hirer's fields: a name, and an email address in the right format when one is given. */
/** The hirer's own fields: a name, and an email address in the right format when one is given. */
export const hirerFormSchema = z.object({
  hirerName: z.string().trim().min(1, 'Enter the name of the person booking'),
  hirerEmail: z
    .string()
    .trim()
    .refine((e) => e === '' || isEmailAddress(e), 'Enter the hirer’s email address in the correct format'),
});

export function validateHirer(input: HirerInput): FieldErrors {
  const parsed = hirerFormSchema.safeParse(input);
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
}

function validateRef(
  ref: string,
  lookups: BookingLookups,
  currentId: string | undefined,
): string | undefined {
  if (!ref) return 'Enter the booking reference';
  if (ref.length > 40) return 'Booking reference must be 40 characters or fewer';
  const clash = lookups.bookingByRef(ref);
  if (clash && clash.id !== currentId) return `Booking ${ref} already exists`;
  if (clash) return undefined;
  // A new or changed ref (an unchanged one matches its own booking above) must not be an archived one.
  const year = lookups.archivedYearOfRef(ref);
  return year === undefined
    ? undefined
    : `Booking reference ${ref} is already used by an archived booking from ${year}`;
}

export function validateBooking(
  input: BookingInput,
  lookups: BookingLookups,
  currentId?: string,
): FieldErrors {
  const errors: FieldErrors = { ...(input.readErrors ?? {}) };
  const refError = validateRef(input.ref.trim(), lookups, currentId);
  if (refError) errors.ref = { text: refError, href: '#ref' };
  if (!lookups.hallInUse(input.hallId))
    errors.hallId = { text: 'Select the hall that is booked', href: '#hallId' };
  const start = localTime(input.startDate, input.startTime);
  const end = localTime(input.endDate, input.endTime);
  if (!errors['start-day'] && !input.startDate) {
    errors['start-day'] = { text: 'Enter the date of the event', href: '#start-day' };
  }
  if (!errors['end-day'] && !input.endDate && input.startDate) {
    errors['end-day'] = { text: 'Enter the date the booking ends', href: '#end-day' };
  }
  const startError = timeError('start', input.startTime, start, '18:30');
  if (startError) errors.startTime = { text: startError, href: '#startTime' };
  const endError = timeError('end', input.endTime, end, '21:00');
  if (endError) errors.endTime = { text: endError, href: '#endTime' };
  if (start && end && !errors.startTime && !errors.endTime && end <= start) {
    errors.endTime = { text: 'The booking must end after it starts', href: '#endTime' };
  }
  if (blank(input.expectedAttendance) && !/^\d+$/.test(input.expectedAttendance.trim())) {
    errors.expectedAttendance = {
      text: 'Expected attendance must be a whole number, like 80',
      href: '#expectedAttendance',
    };
  }
  const hirerErrors = validateHirer(input);
  if (hirerErrors.hirerName) errors.hirerName = hirerErrors.hirerName;
  if (hirerErrors.hirerEmail) errors.hirerEmail = hirerErrors.hirerEmail;
  if (blank(input.bookingOfficerEmail) && !isEmailAddress(input.bookingOfficerEmail.trim())) {
    errors.bookingOfficerEmail = {
      text: 'Enter the booking officer’s email address in the correct format',
      href: '#bookingOfficerEmail',
    };
  }
  input.speakers.forEach((s, i) => {
    if (!s.name.trim() && (s.aliases.trim() || s.affiliation.trim())) {
      errors[`speaker-${i}-name`] = {
        text: `Enter the name of speaker ${i + 1}, or clear the other names and affiliation`,
        href: `#speaker-${i}-name`,
      };
    }
  });
  return errors;
}

/** Hall names are one line of single spaces. */
export const hallName = (name: string) => name.trim().replace(/\s+/g, ' ');

/** The hall form's own rules; the field names are the form's (the name input is `hallName`). */
export const hallFormSchema = z.object({
  hallName: z
    .string()
    .trim()
    .min(1, 'Enter the name of the hall or room')
    .max(80, 'Hall name must be 80 characters or fewer'),
  capacity: z
    .string()
    .trim()
    .regex(/^(\d{1,6})?$/, 'Capacity must be a whole number of people, like 120'),
});

/** `clash` names another hall of the building with the same name, if there is one. */
export function validateHallFields(
  input: HallInput,
  clash: (name: string) => string | undefined,
): FieldErrors {
  const parsed = hallFormSchema.safeParse({ hallName: input.name, capacity: input.capacity });
  const errors: FieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  const other = parsed.success || !errors.hallName ? clash(input.name.trim()) : undefined;
  if (other) {
    // Keeps the name's problem first in the error summary, as the form lists it first.
    const { capacity, ...rest } = errors;
    return {
      ...rest,
      hallName: { text: `This building already has a hall called ${other}`, href: '#hallName' },
      ...(capacity ? { capacity } : {}),
    };
  }
  return errors;
}

function speakersOf(input: BookingInput): Speaker[] {
  return input.speakers
    .filter((s) => s.name.trim())
    .map((s) => ({
      name: s.name.trim(),
      aliases: splitLines(s.aliases),
      affiliation: blank(s.affiliation),
    }));
}

/** The hirer record's fields from a (validated) form. */
export function hirerFields(input: HirerInput) {
  return {
    name: input.hirerName.trim(),
    organisation: blank(input.organisation),
    otherNames: splitLines(input.otherNames),
    charityNumber: blank(input.charityNumber),
    companyNumber: blank(input.companyNumber),
    email: blank(input.hirerEmail)?.toLowerCase() ?? null,
    phone: blank(input.hirerPhone),
    address: blank(input.hirerAddress),
  };
}

/** The booking record's fields from a validated form (its dates and times are known to be there). */
export function bookingFields(input: BookingInput) {
  return {
    ref: input.ref.trim(),
    hallId: input.hallId,
    start: localTime(input.startDate, input.startTime) ?? '',
    end: localTime(input.endDate, input.endTime) ?? '',
    eventTitle: blank(input.eventTitle),
    purpose: blank(input.purpose),
    expectedAttendance: blank(input.expectedAttendance) ? Number(input.expectedAttendance.trim()) : null,
    openToPublic: input.openToPublic === 'yes' ? true : input.openToPublic === 'no' ? false : null,
    speakers: speakersOf(input),
    bookingOfficerEmail: blank(input.bookingOfficerEmail)?.toLowerCase() ?? null,
  };
}
