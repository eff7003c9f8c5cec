import type { Flag } from '../checks/flags/flagTypes.js';
import { formatDate } from '../checks/londonDates.js';
import type { Action } from '../data/schemas/reviewSchemas.js';
import type { ReminderItem } from './reminderPlan.js';

/** What the server knows about a subject: where it lives in the app and who owns it. */
export interface SubjectDescription {
  /** Empty when not known here (the flag's own name and ref are used). */
  name: string;
  ref: string;
  href: string | null;
  /** Owner addresses (any case); empty when nobody is named. */
  ownerEmails: string[];
  /** Heading to group under, when not the usual one for the subject type. */
  area?: string;
}

export type DescribeSubject = (type: string, id: string) => SubjectDescription | undefined;

/** Heading per subject type; an action is grouped with the kind of subject it is about. */
const ACTIONS_AREA = 'Actions';

export const areaNames: Record<string, string> = {
  premises: 'Premises',
  booking: 'Hall hire',
  library: 'Libraries',
  school: 'Schools',
  department: 'Training',
  plan: 'Action plan',
  action: ACTIONS_AREA,
};

const OVERDUE_RULE = /-overdue$/;

/**
 * Findings the coordinators hear of at once, beside the owners, not only after 14 days overdue: a failed
 * filter test means harmful content reachable on a public computer now.
 */
const COORDINATORS_AT_ONCE: ReadonlySet<string> = new Set(['filter-test-failed']);

function titleOf(name: string, ref: string): string {
  return ref && ref !== name ? `${name} (${ref})` : name;
}

/**
 * The reminder items as of a date: every flag with a due date, or overdue without one, and every open
 * review action (due or not yet). A flag about an action that is not a review action (an action-plan
 * activity) is described like any other subject. Flags about the same subject and date are one item (e.g. "review due" and
 * "last review non-compliant"). `describe` comes from the server's subject registry; `isActive(email)`
 * drops addresses of deactivated accounts, so their items fall back to the coordinators.
 */
export function collectReminderItems(
  flags: readonly Flag[],
  actions: readonly Action[],
  describe: DescribeSubject,
  isInactive: (email: string) => boolean = () => false,
): ReminderItem[] {
  const items = new Map<string, ReminderItem>();
  const owners = (emails: readonly (string | null | undefined)[]) => [
    ...new Set(
      emails
        .filter((e): e is string => typeof e === 'string' && e.trim() !== '')
        .map((e) => e.trim().toLowerCase())
        .filter((e) => !isInactive(e)),
    ),
  ];

  const actionItem = (a: Action): ReminderItem => {
    const parent = describe(a.subjectType, a.subjectId);
    const own = owners([a.ownerEmail]);
    return {
      key: `action:${a.id}:${a.dueOn}`,
      area: areaNames[a.subjectType] ?? ACTIONS_AREA,

      title: parent?.name ? `${a.description} — ${titleOf(parent.name, parent.ref)}` : a.description,
      details: [],
      dueOn: a.dueOn,
      overdueUndated: false,
      href: a.reviewId ? `/reviews/${a.reviewId}` : (parent?.href ?? null),
      owners: own.length > 0 ? own : owners(parent?.ownerEmails ?? []),
    };
  };

  const actionById = new Map(actions.map((a) => [a.id, a]));
  for (const f of flags) {
    const undatedOverdue = f.dueOn === null && OVERDUE_RULE.test(f.rule);
    if (f.dueOn === null && !undatedOverdue) continue;
    const a = f.subject.type === 'action' ? actionById.get(f.subject.id) : undefined;
    if (a) {
      const item = actionItem(a);
      const existing = items.get(item.key);
      if (existing) {
        if (!existing.details.includes(f.message)) existing.details.push(f.message);
      } else items.set(item.key, { ...item, details: [f.message] });
      continue;
    }
    const key = `${f.subject.type}:${f.subject.id}:${f.dueOn ?? 'undated'}`;
    const existing = items.get(key);
    if (existing) {
      if (!existing.details.includes(f.message)) existing.details.push(f.message);
      if (COORDINATORS_AT_ONCE.has(f.rule)) existing.alsoCoordinators = true;
      continue;
    }
    const d = describe(f.subject.type, f.subject.id);
    items.set(key, {
      key,
      area: d?.area ?? areaNames[f.subject.type] ?? f.subject.type,
      title: d?.name ? titleOf(d.name, d.ref) : titleOf(f.subject.name, f.subject.ref),
      details: [f.message],
      dueOn: f.dueOn,
      overdueUndated: undatedOverdue,
      href: d?.href ?? null,
      owners: owners(d?.ownerEmails ?? []),
      ...(COORDINATORS_AT_ONCE.has(f.rule) ? { alsoCoordinators: true } : {}),
    });
  }

  for (const a of actions) {
    if (a.status !== 'open') continue;
    const item = actionItem(a);
    if (items.has(item.key)) continue;
    items.set(item.key, { ...item, details: [`Action due by ${formatDate(a.dueOn)}`] });
  }
  return [...items.values()];
}
