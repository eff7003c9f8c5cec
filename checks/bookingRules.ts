import {
  type BookingStatus,
  type DecisionValue,
  decisionValues,
  type ScreenRole,
  type Speaker,
  type WatchlistEntryRecord,
  type WatchlistRecord,
} from '../data/schemas/hallHireSchemas.js';
import { addDays, formatDate } from './londonDates.js';
import {
  buildWatchlistIndex,
  matchName,
  normaliseName,
  type Watchlist,
  type WatchlistIndex,
} from './nameMatching.js';
import { workingDaysUntil } from './workingDays.js';

/** The lead time of SPEC §4: an undecided booking is flagged within 10 working days, critical within 2. */
export const LEAD_TIME_WORKING_DAYS = 10;
export const CRITICAL_WORKING_DAYS = 2;

const DECIDED: ReadonlySet<BookingStatus> = new Set([
  'approved',
  'approved-with-conditions',
  'refused',
  'cancelled',
]);

/** Approved (with or without conditions), refused or cancelled. Provisional, checks-complete and referred wait. */
export function isDecided(status: BookingStatus): boolean {
  return DECIDED.has(status);
}

export const statusText: Record<BookingStatus, string> = {
  provisional: 'Provisional',
  'checks-complete': 'Checks complete',
  approved: 'Approved',
  'approved-with-conditions': 'Approved with conditions',
  referred: 'Referred to the coordinator',
  refused: 'Refused',
  cancelled: 'Cancelled',
};

export const roleText: Record<ScreenRole, string> = {
  hirer: 'hirer',
  organisation: 'organisation',
  'other-name': 'other name of the hirer',
  speaker: 'speaker',
  'speaker-alias': 'speaker’s alias',
};

export interface ScreenName {
  role: ScreenRole;
  name: string;
}

/** Every name on a booking that is screened against the watch list. */
export function namesToScreen(
  hirer: { name: string; organisation: string | null; otherNames: readonly string[] },
  speakers: readonly Speaker[],
): ScreenName[] {
  const names: ScreenName[] = [{ role: 'hirer', name: hirer.name }];
  if (hirer.organisation) names.push({ role: 'organisation', name: hirer.organisation });
  for (const n of hirer.otherNames) names.push({ role: 'other-name', name: n });
  for (const s of speakers) {
    names.push({ role: 'speaker', name: s.name });
    for (const a of s.aliases) names.push({ role: 'speaker-alias', name: a });
  }
  return names;
}

/** The stored lookup keys of a booking's names: each distinct key once, with the first role it came from. */
export function screenKeysOf(names: readonly ScreenName[]): { key: string; role: ScreenRole }[] {
  const seen = new Set<string>();
  const out: { key: string; role: ScreenRole }[] = [];
  for (const n of names) {
    const key = normaliseName(n.name);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push({ key, role: n.role });
  }
  return out;
}

/** Watch lists as stored, shaped for name matching. Entries are grouped in one pass. */
export function watchlistsForMatching(
  lists: readonly WatchlistRecord[],
  entries: readonly WatchlistEntryRecord[],
): Watchlist<WatchlistEntryRecord>[] {
  const byList = new Map<string, WatchlistEntryRecord[]>();
  for (const l of lists) byList.set(l.id, []);
  for (const e of entries) byList.get(e.listId)?.push(e);
  return lists.map((l) => ({ id: l.id, source: l.source, asOf: l.asOf, entries: byList.get(l.id) ?? [] }));
}

export function watchlistIndexOf(
  lists: readonly WatchlistRecord[],
  entries: readonly WatchlistEntryRecord[],
): WatchlistIndex<WatchlistEntryRecord> {
  return buildWatchlistIndex(watchlistsForMatching(lists, entries));
}

export interface BookingMatch {
  role: ScreenRole;
  name: string;
  entry: WatchlistEntryRecord;
  listId: string;
  source: string;
  asOf: string;
  matchedText: string;
  via: 'name' | 'alias';
  reason: string;
}

/** Screens each name; a name matching one entry under two spellings is reported once. */
export function screenNames(
  index: WatchlistIndex<WatchlistEntryRecord>,
  names: readonly ScreenName[],
): BookingMatch[] {
  const out: BookingMatch[] = [];
  const seen = new Set<string>();
  for (const n of names) {
    for (const m of matchName(index, n.name)) {
      const key = `${n.role}\u0000${n.name}\u0000${m.entry.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        role: n.role,
        name: n.name,
        entry: m.entry,
        listId: m.listId,
        source: m.source,
        asOf: m.asOf,
        matchedText: m.matchedText,
        via: m.via,
        reason: m.reason,
      });
    }
  }
  return out;
}

/**
 * The first date that is more than `n` working days after `asOf`: an event day before it is at most `n`
 * working days away. Worked out once per flags run so each booking is a string comparison.
 */
export function firstDayBeyond(asOf: string, n: number): string {
  let day = addDays(asOf, n);
  while (workingDaysUntil(asOf, day) <= n) day = addDays(day, 1);
  return day;
}

export interface DecisionInput {
  decision: string;
  rationale: string;
  conditions: string[];
  balancing: { expression: string; equality: string; alternatives: string };
}

export interface DecisionContext {
  status: BookingStatus;
  isCoordinator: boolean;
  /** A submitted due-diligence check is in force (not cleared by a later change of names). */
  checksComplete: boolean;
  /** The outcome of that check. */
  checksOutcome: 'compliant' | 'partially-compliant' | 'non-compliant' | null;
  /** Critical questions answered "no" in that check, e.g. ["H10"]. */
  criticalNos: string[];
  /** Watch-list matches no coordinator has decided on yet. */
  openMatches: number;
}

export interface FieldProblem {
  field: string;
  message: string;
}

const NEEDS_BALANCING: ReadonlySet<string> = new Set(['approved-with-conditions', 'refused']);

/** Whether a decision must record the balancing of rights and duties (refusals and conditions). */
export const needsBalancing = (decision: string) => NEEDS_BALANCING.has(decision);

/** Who may record a decision on a booking in this status: a referred one waits for a coordinator. */
export function mayDecide(status: BookingStatus, isCoordinator: boolean): boolean {
  return isCoordinator || status !== 'referred';
}

/**
 * Why `decision` may not be recorded in this context, in plain words, or null when it may. Approving
 * needs complete checks; a non-coordinator cannot approve over a critical "no" or an open watch-list
 * match (they refer it); a coordinator decides rather than refers.
 */
export function decisionRefusal(decision: string, ctx: DecisionContext): string | null {
  const approving = decision === 'approved' || decision === 'approved-with-conditions';
  if (!(decisionValues as readonly string[]).includes(decision)) return 'Select a decision';
  if (decision === 'referred' && ctx.isCoordinator)
    return 'You are the coordinator: decide the booking rather than referring it';
  if (approving && !ctx.checksComplete)
    return 'You cannot approve this booking yet: its due-diligence checks (H1 to H14) are not complete. Submit the checklist first, or refer or refuse the booking';
  if (approving && ctx.checksOutcome === 'non-compliant' && !ctx.isCoordinator) {
    const one = ctx.criticalNos.length === 1;
    return `You cannot approve this booking: its checks answered “no” to critical ${one ? 'question' : 'questions'} ${ctx.criticalNos.join(', ')}. Put ${one ? 'it' : 'them'} right and submit a new check, or refer the booking to the coordinator`;
  }
  if (approving && ctx.openMatches > 0 && !ctx.isCoordinator)
    return 'You cannot approve this booking: a name on it matches the watch list. Refer it to the coordinator, or refuse it';
  return null;
}

/** Every decision, and whether this person may choose it here: the form offers only those allowed. */
export function decisionChoices(ctx: DecisionContext): { value: DecisionValue; refusal: string | null }[] {
  return decisionValues.map((value) => ({ value, refusal: decisionRefusal(value, ctx) }));
}

/**
 * What stops a decision being recorded: the choice itself (decisionRefusal); the reasons; conditions
 * only on an approval with conditions; refusals and conditions need the balancing of rights and duties
 * written down.
 */
export function decisionProblems(input: DecisionInput, ctx: DecisionContext): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const decision = input.decision as DecisionValue;
  const refusal = decisionRefusal(decision, ctx);
  if (refusal) problems.push({ field: 'decision', message: refusal });
  if (!input.rationale.trim()) {
    problems.push({ field: 'rationale', message: 'Give the reasons for the decision' });
  }
  if (decision === 'approved-with-conditions' && input.conditions.length === 0) {
    problems.push({ field: 'conditions', message: 'List at least one condition, one on each line' });
  }
  if (decision !== 'approved-with-conditions' && input.conditions.length > 0) {
    problems.push({
      field: 'conditions',
      message:
        'Only an approval with conditions has conditions: choose that decision or remove the conditions',
    });
  }
  if (NEEDS_BALANCING.has(decision)) {
    const b = input.balancing;
    if (!b.expression.trim())
      problems.push({
        field: 'expression',
        message: 'Say how freedom of expression and assembly was weighed',
      });
    if (!b.equality.trim())
      problems.push({ field: 'equality', message: 'Say how the Equality Act duties were considered' });
    if (!b.alternatives.trim())
      problems.push({ field: 'alternatives', message: 'Say which less restrictive options were weighed' });
  }
  return problems;
}

/**
 * A booking's due-diligence outcome in words, as a tag. The checklist's answers alone never read
 * "Compliant" while a watch-list match waits for the coordinator: the booking is not cleared until then.
 */
export function checksOutcomeTag(
  outcome: DecisionContext['checksOutcome'],
  openMatches: number,
): { text: string; colour: string } {
  if (openMatches > 0)
    return {
      text:
        outcome === 'non-compliant'
          ? 'Non-compliant, and a watch-list match to resolve'
          : 'Watch-list match to resolve',
      colour: outcome === 'non-compliant' ? 'red' : 'orange',
    };
  if (outcome === 'compliant') return { text: 'Compliant', colour: 'green' };
  if (outcome === 'partially-compliant') return { text: 'Partially compliant', colour: 'yellow' };
  if (outcome === 'non-compliant') return { text: 'Non-compliant', colour: 'red' };
  return { text: 'Not assessed', colour: 'grey' };
}

/** "the event is on 14 March 2026 (3 working days away)", or that it is today or has started. */
export function leadTimeText(asOf: string, eventDay: string): string {
  if (eventDay < asOf) return `the event started on ${formatDate(eventDay)}`;
  if (eventDay === asOf) return `the event is today (${formatDate(eventDay)})`;
  const n = workingDaysUntil(asOf, eventDay);
  return `the event is on ${formatDate(eventDay)} (${n} working ${n === 1 ? 'day' : 'days'} away)`;
}
