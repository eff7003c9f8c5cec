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

/** The hirer's fields as posted, from the booking form or the hirer's own form. */
export function readHirerForm(body: Body): HirerInput {
  return Object.fromEntries(HIRER_FIELDS.map((f) => [f, str(body, f)])) as HirerInput;
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
  ...HIRER_FIELDS,
  'speaker-*',
  'bookingOfficerEmail',
] as const;

/**
 * "Add another speaker" or "Remove speaker N" pressed on the booking form (GOV.UK add-another without
 * JavaScript): the form is shown again with one more blank speaker, or without that one; nothing is saved.
 */
export function speakerListChange(body: Body): { add: true } | { remove: number } | null {
  if (str(body, 'addSpeaker')) return { add: true };
  const remove = str(body, 'removeSpeaker');
  return /^\d{1,2}$/.test(remove) ? { remove: Number(remove) } : null;
}

/** The speakers after that change, at least one row, at most MAX_SPEAKERS. */
export function changedSpeakers(
  speakers: readonly SpeakerInput[],
  change: { add: true } | { remove: number },
): SpeakerInput[] {
  const out =
    'add' in change
      ? [...speakers, { name: '', aliases: '', affiliation: '' }]
      : speakers.filter((_, i) => i !== change.remove);
  return out.length === 0 ? [{ name: '', aliases: '', affiliation: '' }] : out.slice(0, MAX_SPEAKERS);
}

/** The booking form as posted, with the date fields' own problems; the end date defaults to the start date. */
export function readBookingForm(body: Body): {
  input: BookingInput;
  startParts: DateParts;
  endParts: DateParts;
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
  return { input, startParts: start.parts, endParts: end.parts };
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
export const readVersion = (body: Body) => Number.parseInt(str(body, 'version'), 10);
