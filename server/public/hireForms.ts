import {
  addMonths,
  formatDate,
  isValidIsoDate,
  londonLocalDateTime,
  londonLocalToInstant,
} from '../../checks/londonDates.js';
import { LIMITS } from '../../checks/limits.js';
import type { Hall } from '../../data/schemas/hallHireSchemas.js';
import type { HireRequestInput } from '../hallHire/hireRequestService.js';

/** Speakers one request may name (the form offers "add another" up to this). */
export const MAX_SPEAKERS = 20;
/** How far ahead a request may be for (from the earliest start). */
const MONTHS_AHEAD = 24;
/** Other names of the hirer or organisation one request may give. */
export const MAX_OTHER_NAMES = 20;

/** A request's fields as sent, before checking: every value a string (what the form and JSON share). */
export interface HireRaw {
  hallId: string;
  start: string;
  end: string;
  eventTitle: string;
  purpose: string;
  expectedAttendance: string;
  openToPublic: string;
  hirerName: string;
  hirerEmail: string;
  hirerPhone: string;
  organisation: string;
  otherNames: string[];
  charityNumber: string;
  companyNumber: string;
  speakers: { name: string; affiliation: string }[];
  agreeTerms: boolean;
  /** The honeypot: a field people never see, so never fill. */
  website: string;
}

/** Errors by field (the JSON API's names); `href` is where the form's error summary links. */
export type HireErrors = Record<string, { text: string; href: string }>;

export interface HireContext {
  onlineHall(id: string): Hall | undefined;
  earliestStart: string;
  clashes(hallId: string, start: string, end: string): boolean;
  /** Where each field's error links on the form (default `#field`). */
  hrefs?: Record<string, string>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{6,40}$/;
const NUMBER_REF = /^[A-Za-z0-9 /-]+$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
/** Control characters other than tab and line breaks (which a textarea sends). */
const CONTROL = {
  test(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) return true;
    }
    return false;
  },
};

const plural = (n: number) => n.toLocaleString('en-GB');

/** A London wall time that exists (not in the hour skipped when the clocks go forward). */
function existsInLondon(local: string): boolean {
  return londonLocalDateTime(londonLocalToInstant(local)) === local;
}

/**
 * Checks a request: every field within its SPEC §10 limit (checked before any pattern, so work stays
 * linear in the input), required answers given, the hall offered online, a start past the lead time,
 * the hall free. Returns the input to save, or every field's error.
 */
export function checkHireRequest(
  raw: HireRaw,
  ctx: HireContext,
): { input: HireRequestInput; errors: null } | { input: null; errors: HireErrors } {
  const errors: HireErrors = {};
  const fail = (field: string, text: string) => {
    errors[field] ??= { text, href: ctx.hrefs?.[field] ?? `#${field}` };
  };
  const text = (
    field: keyof HireRaw & string,
    value: string,
    label: string,
    max: number,
    required: string | null,
  ) => {
    if (value.length > max) fail(field, `${label} must be ${plural(max)} characters or fewer`);
    else if (CONTROL.test(value)) fail(field, `${label} must not contain control characters`);
    else if (required && !value) fail(field, required);
  };

  const hall = raw.hallId.length <= LIMITS.reference ? ctx.onlineHall(raw.hallId) : undefined;
  if (!hall) fail('hallId', 'Select the hall you want to hire');

  for (const [field, value, label] of [
    ['start', raw.start, 'the start'],
    ['end', raw.end, 'the end'],
  ] as const) {
    if (
      !LOCAL.test(value) ||
      !isValidIsoDate(value.slice(0, 10)) ||
      value.slice(11, 13) > '23' ||
      value.slice(14) > '59'
    )
      fail(field, `Enter ${label} of the event as a real date and time`);
    else if (!existsInLondon(value))
      fail(field, `That time does not exist in London: the clocks go forward then`);
  }
  if (!errors.start && raw.start.slice(0, 10) < ctx.earliestStart) {
    fail(
      'start',
      `The event must be on or after ${formatDate(ctx.earliestStart)}: the council needs 10 working days to check a booking`,
    );
  }
  const latest = addMonths(ctx.earliestStart, MONTHS_AHEAD);
  if (!errors.start && raw.start.slice(0, 10) > latest)
    fail(
      'start',
      `The event must be on or before ${formatDate(latest)}: requests are taken up to 2 years ahead`,
    );
  if (!errors.start && !errors.end && raw.end <= raw.start) fail('end', 'The event must end after it starts');
  if (!errors.start && !errors.end && raw.end.slice(0, 10) !== raw.start.slice(0, 10))
    fail('end', 'The event must end on the day it starts. For a longer booking, contact the venue');

  text('eventTitle', raw.eventTitle, 'Event name', LIMITS.name, 'Enter the name of the event');
  text('purpose', raw.purpose, 'What happens at the event', LIMITS.freeText, 'Say what happens at the event');
  let attendance: number | null = null;
  if (raw.expectedAttendance.length > 7 || (raw.expectedAttendance && !/^\d+$/.test(raw.expectedAttendance)))
    fail('expectedAttendance', 'Expected attendance must be a whole number, like 80');
  else if (!raw.expectedAttendance) fail('expectedAttendance', 'Enter how many people you expect');
  else {
    attendance = Number(raw.expectedAttendance);
    if (hall?.capacity !== null && hall?.capacity !== undefined && attendance > hall.capacity)
      fail('expectedAttendance', `${hall.name} holds up to ${plural(hall.capacity)} people`);
  }
  if (raw.openToPublic !== 'yes' && raw.openToPublic !== 'no')
    fail('openToPublic', 'Select whether the event is open to the public');

  text('hirerName', raw.hirerName, 'Your name', LIMITS.name, 'Enter your full name');
  if (raw.hirerEmail.length > LIMITS.email)
    fail('hirerEmail', `Email address must be ${LIMITS.email} characters or fewer`);
  else if (!raw.hirerEmail) fail('hirerEmail', 'Enter your email address');
  else if (!EMAIL.test(raw.hirerEmail))
    fail('hirerEmail', 'Enter an email address in the correct format, like name@example.com');
  if (raw.hirerPhone.length > LIMITS.phone)
    fail('hirerPhone', `Phone number must be ${LIMITS.phone} characters or fewer`);
  else if (raw.hirerPhone && !PHONE.test(raw.hirerPhone))
    fail('hirerPhone', 'Enter a phone number, like 01632 960 001 or +44 808 157 0192');
  text('organisation', raw.organisation, 'Organisation', LIMITS.name, null);
  for (const [field, label] of [
    ['charityNumber', 'Charity number'],
    ['companyNumber', 'Company number'],
  ] as const) {
    const value = raw[field];
    if (value.length > LIMITS.reference)
      fail(field, `${label} must be ${LIMITS.reference} characters or fewer`);
    else if (value && !NUMBER_REF.test(value))
      fail(field, `${label} must be letters and numbers only, like 1190001`);
  }
  const otherNames = raw.otherNames.map((n) => n.trim()).filter(Boolean);
  if (otherNames.length > MAX_OTHER_NAMES) fail('otherNames', `Give at most ${MAX_OTHER_NAMES} other names`);
  else if (otherNames.some((n) => n.length > LIMITS.name))
    fail('otherNames', `Each other name must be ${LIMITS.name} characters or fewer`);
  else if (otherNames.some((n) => CONTROL.test(n)))
    fail('otherNames', 'Other names must not contain control characters');

  if (raw.speakers.length > MAX_SPEAKERS) fail('speakers', `Name at most ${MAX_SPEAKERS} speakers`);
  raw.speakers.slice(0, MAX_SPEAKERS).forEach((s, i) => {
    const field = `speakers.${i}.name`;
    const n = i + 1;
    if (s.name.length > LIMITS.name)
      fail(field, `The name of speaker ${n} must be ${LIMITS.name} characters or fewer`);
    else if (CONTROL.test(s.name))
      fail(field, `The name of speaker ${n} must not contain control characters`);
    else if (!s.name && s.affiliation) fail(field, `Enter the name of speaker ${n}, or remove the speaker`);
    const aff = `speakers.${i}.affiliation`;
    if (s.affiliation.length > LIMITS.name)
      fail(aff, `The organisation of speaker ${n} must be ${LIMITS.name} characters or fewer`);
    else if (CONTROL.test(s.affiliation))
      fail(aff, `The organisation of speaker ${n} must not contain control characters`);
  });
  if (!raw.agreeTerms) fail('agreeTerms', 'You must agree to the terms of hire to send a request');

  if (hall && !errors.start && !errors.end && ctx.clashes(hall.id, raw.start, raw.end))
    fail('start', `${hall.name} is already booked at that time. Choose another time or another hall`);
  if (Object.keys(errors).length > 0) return { input: null, errors };
  return {
    input: {
      hallId: hall!.id,
      start: raw.start,
      end: raw.end,
      eventTitle: raw.eventTitle,
      purpose: raw.purpose,
      expectedAttendance: attendance,
      openToPublic: raw.openToPublic === 'yes',
      hirerName: raw.hirerName,
      hirerEmail: raw.hirerEmail.toLowerCase(),
      hirerPhone: raw.hirerPhone || null,
      organisation: raw.organisation || null,
      otherNames,
      charityNumber: raw.charityNumber || null,
      companyNumber: raw.companyNumber || null,
      speakers: raw.speakers
        .filter((s) => s.name)
        .map((s) => ({ name: s.name, affiliation: s.affiliation || null })),
    },
    errors: null,
  };
}

const s = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** A JSON body (POST /api/hire-requests) as the shared raw shape; a value of the wrong type reads as blank. */
export function rawFromJson(body: Record<string, unknown>): HireRaw {
  const speakers = Array.isArray(body.speakers) ? body.speakers : [];
  const otherNames = body.otherNames;
  const yesNo = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : s(v));
  return {
    hallId: s(body.hallId),
    start: s(body.start),
    end: s(body.end),
    eventTitle: s(body.eventTitle),
    purpose: s(body.purpose),
    expectedAttendance: s(body.expectedAttendance),
    openToPublic: yesNo(body.openToPublic),
    hirerName: s(body.hirerName),
    hirerEmail: s(body.hirerEmail),
    hirerPhone: s(body.hirerPhone),
    organisation: s(body.organisation),
    otherNames: Array.isArray(otherNames) ? otherNames.map(s) : s(otherNames).split(/\r?\n|;/),
    charityNumber: s(body.charityNumber),
    companyNumber: s(body.companyNumber),
    // One more than allowed is kept, so too many is an error rather than a silent cut.
    speakers: speakers.slice(0, MAX_SPEAKERS + 1).map((x) => {
      const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>;
      return { name: s(o.name), affiliation: s(o.affiliation) };
    }),
    agreeTerms: body.agreeTerms === true || body.agreeTerms === 'yes',
    website: s(body.website),
  };
}
