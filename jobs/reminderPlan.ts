import { daysBetween } from '../checks/londonDates.js';

/**
 * Which reminder emails to send: pure. Given the items that have a due date, their owners, the "as of"
 * date, what was already sent and the coordinators, it returns one digest per recipient (only what is new
 * to them) and, when one is due, the weekly summary to each coordinator.
 */

/** Something a person must do by a date: a review, an action, a booking's checks… */
export interface ReminderItem {
  /** Stable identity: the subject and the due date, so a new due date (the next cycle) is a new item. */
  key: string;
  /** Heading it is grouped under, e.g. "Premises". */
  area: string;
  /** What it is about, e.g. "Riverside Community Centre (NB-002)". */
  title: string;
  /** What is due or wrong, one line each (e.g. the flag messages). */
  details: string[];
  /** ISO date; null for something overdue with no date (never reviewed). */
  dueOn: string | null;
  /** Overdue although undated (e.g. a subject never reviewed). */
  overdueUndated: boolean;
  /** Path in the app (joined to BASE_URL in emails), or null. */
  href: string | null;
  /** Lower-case email addresses; empty → the coordinators. */
  owners: string[];
  /** The coordinators hear of it from the first reminder too, not only once escalated. */
  alsoCoordinators?: boolean;
}

/** The window an item is in: due within 30, 7 or 1 days, or overdue. */
export type WindowStage = 'due-30' | 'due-7' | 'due-1' | 'overdue';
/** Escalation to the coordinators of an item overdue by more than 14 days. */
export type Stage = WindowStage | 'escalation' | 'weekly';

export const ESCALATE_AFTER_DAYS = 14;

export const stageNames: Record<Stage, string> = {
  'due-30': 'Due within 30 days',
  'due-7': 'Due within 7 days',
  'due-1': 'Due today or tomorrow',
  overdue: 'Overdue',
  escalation: 'Overdue by more than 14 days',
  weekly: 'Weekly summary',
};

/** The window of an item as of a date, or null when it is not due within 30 days. */
export function windowStage(
  item: Pick<ReminderItem, 'dueOn' | 'overdueUndated'>,
  asOf: string,
): WindowStage | null {
  if (item.dueOn === null) return item.overdueUndated ? 'overdue' : null;
  const days = daysBetween(asOf, item.dueOn);
  if (days < 0) return 'overdue';
  if (days <= 1) return 'due-1';
  if (days <= 7) return 'due-7';
  if (days <= 30) return 'due-30';
  return null;
}

/** Days overdue as of a date (0 when not overdue or undated). */
export function daysOverdue(item: Pick<ReminderItem, 'dueOn'>, asOf: string): number {
  return item.dueOn === null ? 0 : Math.max(0, daysBetween(item.dueOn, asOf));
}

export function isEscalated(item: Pick<ReminderItem, 'dueOn'>, asOf: string): boolean {
  return daysOverdue(item, asOf) > ESCALATE_AFTER_DAYS;
}

/** The people an item's reminders go to: its owners, else the coordinators (and both when it says so). */
export function ownersOrCoordinators(item: ReminderItem, coordinators: readonly string[]): string[] {
  if (item.owners.length === 0) return [...coordinators];
  return item.alsoCoordinators ? [...new Set([...item.owners, ...coordinators])] : item.owners;
}

/** Everyone who hears about an item: the owners (or coordinators) and, once escalated, the coordinators. */
export function recipientsOf(item: ReminderItem, asOf: string, coordinators: readonly string[]): string[] {
  const out = new Set(ownersOrCoordinators(item, coordinators));
  if (isEscalated(item, asOf)) for (const c of coordinators) out.add(c);
  return [...out];
}

/** What was sent: exactly once per item, stage and recipient. */
export interface SentReminders {
  has(itemKey: string, stage: Stage, to: string): boolean;
}

/** One line of an email: an item, the stage it is at, and whether it reached this person by escalation. */
export interface PlannedEntry {
  item: ReminderItem;
  stage: WindowStage | 'escalation';
  /** The reminder keys this line marks as sent (an item can be both newly overdue and escalated). */
  stages: Stage[];
  escalated: boolean;
}

export interface AreaSection {
  area: string;
  entries: PlannedEntry[];
}

export interface DigestPlan {
  kind: 'digest';
  to: string;
  sections: AreaSection[];
  /** Every (item, stage) this email delivers, for the sent log. */
  reminders: { itemKey: string; stage: Stage; title: string }[];
}

export interface SummaryPlan {
  kind: 'weekly-summary';
  to: string;
  /** e.g. "weekly-summary:2026-03-02", the date of the scheduled summary it is. */
  key: string;
  sections: AreaSection[];
  reminders: { itemKey: string; stage: Stage; title: string }[];
}

export type EmailPlan = DigestPlan | SummaryPlan;

export interface PlanInput {
  items: readonly ReminderItem[];
  asOf: string;
  sent: SentReminders;
  coordinators: readonly string[];
  /** The weekly summary due now (its key), or null when none is due. */
  weeklySummary: { key: string } | null;
}

const STAGE_ORDER: Record<PlannedEntry['stage'], number> = {
  escalation: 0,
  overdue: 1,
  'due-1': 2,
  'due-7': 3,
  'due-30': 4,
};

function sortEntries(entries: PlannedEntry[]): PlannedEntry[] {
  return entries.sort(
    (a, b) =>
      STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] ||
      (a.item.dueOn ?? '').localeCompare(b.item.dueOn ?? '') ||
      a.item.title.localeCompare(b.item.title),
  );
}

/** Entries grouped by area, areas in alphabetical order, most urgent first within each. */
export function groupByArea(entries: PlannedEntry[]): AreaSection[] {
  const byArea = new Map<string, PlannedEntry[]>();
  for (const e of entries) {
    const list = byArea.get(e.item.area);
    if (list) list.push(e);
    else byArea.set(e.item.area, [e]);
  }
  return [...byArea.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([area, list]) => ({ area, entries: sortEntries(list) }));
}

/** The emails to send now. Deterministic: recipients in alphabetical order, digests before summaries. */
export function planReminders({ items, asOf, sent, coordinators, weeklySummary }: PlanInput): EmailPlan[] {
  const coords = [...new Set(coordinators.map((c) => c.toLowerCase()))].sort();
  // recipient → item key → entry
  const perRecipient = new Map<string, Map<string, PlannedEntry>>();
  const add = (to: string, item: ReminderItem, stage: WindowStage | 'escalation') => {
    if (sent.has(item.key, stage, to)) return;
    let entries = perRecipient.get(to);
    if (!entries) {
      entries = new Map();
      perRecipient.set(to, entries);
    }
    const existing = entries.get(item.key);
    if (!existing) {
      entries.set(item.key, { item, stage, stages: [stage], escalated: stage === 'escalation' });
      return;
    }
    existing.stages.push(stage);
    if (stage === 'escalation') {
      existing.stage = 'escalation';
      existing.escalated = true;
    }
  };

  const current: { item: ReminderItem; stage: WindowStage }[] = [];
  for (const item of items) {
    const stage = windowStage(item, asOf);
    if (!stage) continue;
    current.push({ item, stage });
    for (const to of ownersOrCoordinators(item, coords)) add(to.toLowerCase(), item, stage);
    if (isEscalated(item, asOf)) for (const c of coords) add(c, item, 'escalation');
  }

  const plans: EmailPlan[] = [];
  for (const to of [...perRecipient.keys()].sort()) {
    const entries = [...perRecipient.get(to)!.values()];
    plans.push({
      kind: 'digest',
      to,
      sections: groupByArea(entries),
      reminders: entries.flatMap((e) =>
        e.stages.map((stage) => ({ itemKey: e.item.key, stage, title: e.item.title })),
      ),
    });
  }

  if (weeklySummary) {
    const entries: PlannedEntry[] = current.map(({ item, stage }) => {
      const escalated = isEscalated(item, asOf);
      return { item, stage: escalated ? 'escalation' : stage, stages: [], escalated };
    });
    for (const to of coords) {
      if (sent.has(weeklySummary.key, 'weekly', to)) continue;
      plans.push({
        kind: 'weekly-summary',
        to,
        key: weeklySummary.key,
        sections: groupByArea([...entries]),
        reminders: [{ itemKey: weeklySummary.key, stage: 'weekly', title: 'Weekly summary' }],
      });
    }
  }
  return plans;
}
