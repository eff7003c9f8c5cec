import { needsBalancing } from '../../checks/bookingRules.js';
import { type Body, type DateParts, readDateInput, str } from '../forms/formHelpers.js';
import type { FieldErrors } from '../errors.js';
import type { BookingInput, HirerInput, SpeakerInput } from './bookingValidation.js';
import type { DecisionForm } from './decisionService.js';

/** The most speakers one booking form holds (the form offers no "Add another" beyond it). */
export const MAX_SPEAKERS = 50;

const HIRER_FIELDS = [
  'hirerName',
  'organisation',
  'otherNames',
  'charityNumber',
  'companyNumber',
  'hirerEmail',
  'hirerPhone',
  'hirerAddress',
] as const;

/**
 * The hirer's fields as posted, from the booking form or the hirer's own form. Other names come one a
 * field from the booking form's add-another list (`otherName-0`…), or one a line from a textarea.
 */
export function readHirerForm(body: Body): HirerInput {
  const input = Object.fromEntries(HIRER_FIELDS.map((f) => [f, str(body, f)])) as HirerInput;
  return {
    ...input,
    otherNames: readOtherNameRows(body)
      .map((n) => n.trim())
      .filter(Boolean)
      .join('\n'),
  };
}

function readSpeakers(body: Body): SpeakerInput[] {
  const speakers: SpeakerInput[] = [];
  for (let i = 0; i < MAX_SPEAKERS; i++) {
    if (!(`speaker-${i}-name` in (body ?? {}))) break;
    speakers.push({
      name: str(body, `speaker-${i}-name`),
      aliases: str(body, `speaker-${i}-aliases`),
      affiliation: str(body, `speaker-${i}-affiliation`),
    });
  }
  return speakers;
}

/** The booking form's fields in page order, for an error summary that reads down the form. */
export const BOOKING_PAGE_ORDER = [
  'ref',
  'hallId',
  'start-day',
  'startTime',
  'end-day',
  'endTime',
  'eventTitle',
  'purpose',
  'expectedAttendance',
  'openToPublic',
  ...HIRER_FIELDS.flatMap((f) => (f === 'otherNames' ? [f, 'otherName-*'] : [f])),
  'speaker-*',
  'bookingOfficerEmail',
] as const;

/** The most other names of a hirer one booking form holds. */
export const MAX_OTHER_NAMES = 20;

/** A repeating part of the booking form changed with "Add another" or "Remove" (no save). */
export type ListChange =
  | { list: 'speaker' | 'otherName'; add: true }
  | { list: 'speaker' | 'otherName'; remove: number };

/**
 * "Add another speaker", "Add another name" or a "Remove" pressed on the booking form (GOV.UK
 * add-another without JavaScript): the form is shown again with one more blank row, or without that
 * one; nothing is saved.
 */
export function listChange(body: Body): ListChange | null {
  for (const list of ['speaker', 'otherName'] as const) {
    const Name = list === 'speaker' ? 'Speaker' : 'OtherName';
    if (str(body, `add${Name}`)) return { list, add: true };
    const remove = str(body, `remove${Name}`);
    if (/^\d{1,2}$/.test(remove)) return { list, remove: Number(remove) };
  }
  return null;
}

/** A list after "Add another" (one more blank row) or "Remove" (that row gone): at least one row, at most `max`. */
export function changedList<T>(rows: readonly T[], change: ListChange, blank: T, max: number): T[] {
  const out = 'add' in change ? [...rows, blank] : rows.filter((_, i) => i !== change.remove);
  return out.length === 0 ? [blank] : out.slice(0, max);
}

/** The hirer's other names as the booking form lists them, one a row (blank rows kept, for add-another). */
export function readOtherNameRows(body: Body): string[] {
  if (!('otherName-0' in (body ?? {}))) return str(body, 'otherNames').split(/\r?\n/);
  const rows: string[] = [];
  for (let i = 0; i < MAX_OTHER_NAMES && `otherName-${i}` in body; i++)
    rows.push(str(body, `otherName-${i}`));
  return rows;
}

/** The booking form as posted, with the date fields' own problems; the end date defaults to the start date. */
export function readBookingForm(body: Body): {
  input: BookingInput;
  startParts: DateParts;
  endParts: DateParts;
  /** The other names as listed on the form, blank rows kept. */
  otherNameRows: string[];
} {
  const start = readDateInput(body, 'start', 'the date of the event');
  const end = readDateInput(body, 'end', 'the date the booking ends', false);
  const readErrors: FieldErrors = {};
  if (start.error) readErrors['start-day'] = { text: start.error, href: '#start-day' };
  if (end.error) readErrors['end-day'] = { text: end.error, href: '#end-day' };
  const input: BookingInput = {
    ref: str(body, 'ref'),
    hallId: str(body, 'hallId'),
    startDate: start.iso,
    startTime: str(body, 'startTime'),
    endDate: end.iso ?? (end.error ? null : start.iso),
    endTime: str(body, 'endTime'),
    eventTitle: str(body, 'eventTitle'),
    purpose: str(body, 'purpose'),
    expectedAttendance: str(body, 'expectedAttendance'),
    openToPublic: str(body, 'openToPublic'),
    ...readHirerForm(body),
    speakers: readSpeakers(body),
    bookingOfficerEmail: str(body, 'bookingOfficerEmail'),
    readErrors,
  };
  return { input, startParts: start.parts, endParts: end.parts, otherNameRows: readOtherNameRows(body) };
}

/** The balancing boxes, asked inside each decision that needs them (conditional reveal). */
export const BALANCING_FIELDS = ['expression', 'equality', 'alternatives'] as const;
export type BalancingField = (typeof BALANCING_FIELDS)[number];

/** A balancing box's form name under `decision` (`refused-expression`): each decision reveals its own. */
export const balancingName = (decision: string, field: BalancingField) => `${decision}-${field}`;

/**
 * The decision form as posted: `values` to show again (every box, whatever was chosen), and `input` to
 * decide with: conditions (one per line) and balancing read only from the chosen decision's own boxes, so
 * text left in a box the person then hid counts for nothing.
 */
export function readDecisionForm(body: Body): { values: Record<string, unknown>; input: DecisionForm } {
  const decision = str(body, 'decision');
  const values: Record<string, unknown> = {
    decision,
    rationale: str(body, 'rationale'),
    conditions: str(body, 'conditions'),
    reasonForHirer: str(body, 'reasonForHirer'),
    version: Number.parseInt(str(body, 'version'), 10),
  };
  for (const d of BALANCING_DECISIONS)
    for (const f of BALANCING_FIELDS) values[balancingName(d, f)] = str(body, balancingName(d, f));
  // A client posting the plain names (`expression`) is read as before.
  const own = (f: BalancingField) =>
    needsBalancing(decision) ? str(body, balancingName(decision, f)) || str(body, f) : '';
  const conditions = decision === 'approved-with-conditions' ? str(body, 'conditions') : '';
  const input: DecisionForm = {
    decision,
    rationale: str(body, 'rationale'),
    conditions: conditions
      .split(/\r?\n/)
      .map((c) => c.replace(/^\s*[-*•]\s*/, '').trim())
      .filter(Boolean),
    balancing: {
      expression: own('expression'),
      equality: own('equality'),
      alternatives: own('alternatives'),
    },
    version: Number.parseInt(str(body, 'version'), 10),
    reasonForHirer: str(body, 'reasonForHirer'),
  };
  return { values, input };
}

const BALANCING_DECISIONS = ['approved-with-conditions', 'refused'] as const;

/** The version a form was opened at (a hidden field), for refusing a change made since. */
export const readVersion = (body: Body, field = 'version') => Number.parseInt(str(body, field), 10);
