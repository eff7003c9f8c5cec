import { type Area, mayOpenArea } from '../checks/permissions.js';
import type { Role } from '../data/schemas/accountSchemas.js';

export interface NavItem {
  href: string;
  text: string;
  current: boolean;
}

/** The navigation of one page: the top row (groups), and the pages of the group the page is in. */
export interface Navigation {
  items: NavItem[];
  /** The current group's pages, when it has more than one for this person; else empty. */
  section: { label: string; items: NavItem[] } | null;
}

interface NavPage {
  href: string;
  text: string;
  area: Area;
}

interface NavGroup {
  label: string;
  pages: NavPage[];
}

/**
 * The service navigation, grouped so that it fits one row at 1280 px: each group links to its first
 * page this person may open, and a page in a group shows the group's pages under the header. Who sees
 * an area is `areaReaders` in checks/permissions.ts, the list the area's routes are guarded by.
 */
export const navGroups: NavGroup[] = [
  {
    label: 'Dashboard',
    pages: [
      { href: '/', text: 'Dashboard', area: 'dashboard' },
      { href: '/my-actions', text: 'My actions', area: 'myActions' },
    ],
  },
  {
    label: 'Compliance',
    pages: [
      { href: '/premises', text: 'Premises', area: 'premises' },
      { href: '/libraries', text: 'Libraries', area: 'libraries' },
      { href: '/schools', text: 'Schools', area: 'schools' },
      { href: '/report', text: 'Report', area: 'report' },
      { href: '/plan', text: 'Action plan', area: 'plan' },
    ],
  },
  {
    label: 'Hall hire',
    pages: [
      { href: '/bookings', text: 'Bookings', area: 'bookings' },
      { href: '/watchlist', text: 'Watch list', area: 'watchlist' },
    ],
  },
  {
    label: 'People',
    pages: [
      { href: '/training', text: 'Training', area: 'training' },
      { href: '/users', text: 'Users', area: 'users' },
    ],
  },
  {
    label: 'Admin',
    pages: [
      { href: '/imports', text: 'Imports', area: 'imports' },
      { href: '/reminders', text: 'Reminders', area: 'reminders' },
      { href: '/audit', text: 'Audit log', area: 'audit' },
      { href: '/tokens', text: 'API tokens', area: 'tokens' },
    ],
  },
];

const isCurrent = (href: string, path: string) =>
  href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);

/** Every page the navigation offers this role (in navigation order). */
export function navPagesFor(role: Role): NavPage[] {
  return navGroups.flatMap((g) => g.pages.filter((p) => mayOpenArea(role, p.area)));
}

const everyPage = navGroups.flatMap((g) => g.pages);
/** Navigations made, by role and current page: a few dozen at most, each frozen, as pages only read them. */
const made = new Map<string, Navigation>();

/** The navigation for a role on a page (the same object for every page under one navigation entry). */
export function navFor(role: Role | undefined, path: string): Navigation {
  if (!role) return NO_NAVIGATION;
  const current = everyPage.find((p) => isCurrent(p.href, path))?.href ?? '';
  const key = `${role} ${current}`;
  let nav = made.get(key);
  if (!nav) {
    nav = deepFreeze(buildNav(role, path));
    made.set(key, nav);
  }
  return nav;
}

const NO_NAVIGATION: Navigation = deepFreeze({ items: [], section: null });

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function buildNav(role: Role, path: string): Navigation {
  const items: NavItem[] = [];
  let section: Navigation['section'] = null;
  for (const group of navGroups) {
    const pages = group.pages.filter((p) => mayOpenArea(role, p.area));
    const first = pages[0];
    if (!first) continue;
    const subItems = pages.map((p) => ({ href: p.href, text: p.text, current: isCurrent(p.href, path) }));
    const current = subItems.some((p) => p.current);
    // A group with one page for this person is named by that page ("Bookings", not "Hall hire").
    items.push({ href: first.href, text: pages.length === 1 ? first.text : group.label, current });
    if (current && pages.length > 1) section = { label: group.label, items: subItems };
  }
  return { items, section };
}
