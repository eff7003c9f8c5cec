import type { TrainingType } from '../data/schemas/schoolSchemas.js';

/** SPEC §4 default; SPOC_PHASES configures it. */
export const DEFAULT_SPOC_PHASES = ['Secondary', 'Middle deemed secondary', 'All-through', '16 plus'];

/** GIAS statuses of a school that is running. "Proposed to open" and "Closed" are not. */
const SCOPE_STATUSES = new Set(['open', 'open, but proposed to close']);

/** GIAS has written "All through" and "All-through" over the years; compare names without case, spaces or hyphens. */
export function phaseKey(phase: string): string {
  return phase
    .toLowerCase()
    .replace(/[\s-]+/g, ' ')
    .trim();
}

/** A matcher built once per import or run, not per school. */
export function spocScope(
  phases: readonly string[],
): (status: string | null, phase: string | null) => boolean {
  const wanted = new Set(phases.map(phaseKey));
  return (status, phase) =>
    status !== null &&
    phase !== null &&
    SCOPE_STATUSES.has(status.trim().toLowerCase()) &&
    wanted.has(phaseKey(phase));
}

/** Training that counts as Prevent training for `spoc-training-expired` (DSL safeguarding and "other" do not). */
export const PREVENT_TRAINING: ReadonlySet<TrainingType> = new Set<TrainingType>([
  'prevent-awareness-elearning',
  'prevent-referrals',
  'channel-awareness',
  'wrap',
  'council-session',
]);

/** Prevent training is refreshed every 2 years (KCSIE Annex C). */
export const PREVENT_TRAINING_MONTHS = 24;
/** Contact details are confirmed at least once a year (SPEC §4). */
export const CONTACT_CONFIRM_MONTHS = 12;

/** A lead is current from their start date (if any) until the day before their end date. */
export function isCurrentLead(lead: { startOn: string | null; endOn: string | null }, asOf: string): boolean {
  return (lead.startOn === null || lead.startOn <= asOf) && (lead.endOn === null || lead.endOn > asOf);
}
