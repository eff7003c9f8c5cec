import type { Role, User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import type { ReminderItem } from '../../jobs/reminderPlan.js';
import { mayOpenArea } from '../../checks/permissions.js';
import { navGroups } from '../navigation.js';

/** One open thing the signed-in person owns (issue 21, "My actions"). */
export interface MyItem {
  /** The area it belongs to, e.g. "Premises", "Hall hire", "Action plan". */
  area: string;
  /** What it is about, e.g. "Riverside Community Centre (NB-002)". */
  title: string;
  /** What is due or wrong, one line each. */
  details: string[];
  /** ISO date; null when due now without a date (never reviewed). */
  dueOn: string | null;
  overdue: boolean;
  /** Its page, when the person's role may open it; else null (the item is theirs all the same). */
  href: string | null;
}

const UNDECIDED = new Set(['provisional', 'checks-complete']);

/** May this role open `href`? The navigation's page for the area says which area it is in. */
export function roleMayOpen(role: Role, href: string): boolean {
  const path = href.split(/[?#]/)[0] ?? href;
  const page = navGroups
    .flatMap((g) => g.pages)
    .filter((p) => p.href !== '/' && (path === p.href || path.startsWith(`${p.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return page ? mayOpenArea(role, page.area) : true;
}

/**
 * Everything a person owns that is open, across areas, soonest first: the reminder items they are the
 * owner of (reviews due, open review actions, late plan activities, booking checks; items nobody owns are
 * the coordinators'), their open action-plan activities, and the undecided bookings they are the booking
 * officer for (a referred booking awaits the coordinators). One pass over each collection.
 */
export function createMyActionsService(store: Store, reminderItems: (asOf: string) => ReminderItem[]) {
  return {
    forUser(user: User, today: string): MyItem[] {
      const me = user.email.toLowerCase();
      const coordinator = user.role === 'coordinator';
      const items: MyItem[] = [];
      const seen = new Set<string>();
      const add = (item: MyItem, key: string) => {
        if (seen.has(key)) return;
        seen.add(key);
        items.push({ ...item, href: item.href && roleMayOpen(user.role, item.href) ? item.href : null });
      };
      for (const r of reminderItems(today)) {
        const mine =
          r.owners.includes(me) || (coordinator && (r.owners.length === 0 || r.alsoCoordinators === true));
        if (!mine) continue;
        const overdue = r.overdueUndated || (r.dueOn !== null && r.dueOn < today);
        add(
          { area: r.area, title: r.title, details: r.details, dueOn: r.dueOn, overdue, href: r.href },
          r.href ?? r.key,
        );
      }
      for (const a of store.list('planActivities')) {
        if (a.ownerEmail?.toLowerCase() !== me || a.rag === 'complete' || a.completedOn) continue;
        add(
          {
            area: 'Action plan',
            title: a.description,
            details: [`Activity owned by ${a.owner}`],
            dueOn: a.dueOn,
            overdue: a.dueOn < today,
            href: `/plan#activity-${a.id}`,
          },
          `/plan#activity-${a.id}`,
        );
      }
      for (const b of store.list('bookings')) {
        const awaiting =
          (UNDECIDED.has(b.status) && b.bookingOfficerEmail?.toLowerCase() === me) ||
          (b.status === 'referred' && coordinator);
        if (!awaiting) continue;
        const day = b.start.slice(0, 10);
        if (day < today) continue; // the event is over: nothing left to decide
        add(
          {
            area: 'Hall hire',
            title: b.eventTitle ? `${b.ref}: ${b.eventTitle}` : b.ref,
            details: [
              b.status === 'referred'
                ? 'Referred to the coordinator: a decision is needed before the event'
                : 'A decision is needed before the event',
            ],
            dueOn: day,
            overdue: false,
            href: `/bookings/${b.id}`,
          },
          `/bookings/${b.id}`,
        );
      }
      return items;
    },
  };
}

export type MyActionsService = ReturnType<typeof createMyActionsService>;
