import type { Role } from '../data/schemas/accountSchemas.js';

export interface NavItem {
  href: string;
  text: string;
  current: boolean;
}

interface NavEntry {
  href: string;
  text: string;
  roles: readonly Role[];
}

/** The service navigation: each user sees only the areas their role may use. Areas add theirs here. */
export const navEntries: NavEntry[] = [
  {
    href: '/',
    text: 'Dashboard',
    roles: ['coordinator', 'facilities', 'library-manager', 'education', 'viewer'],
  },
  {
    href: '/my-actions',
    text: 'My actions',
    roles: ['coordinator', 'facilities', 'library-manager', 'education', 'viewer'],
  },
  { href: '/premises', text: 'Premises', roles: ['coordinator', 'facilities'] },
  { href: '/bookings', text: 'Bookings', roles: ['coordinator', 'facilities'] },
  { href: '/watchlist', text: 'Watch list', roles: ['coordinator'] },
  { href: '/libraries', text: 'Libraries', roles: ['coordinator', 'library-manager'] },
  { href: '/schools', text: 'Schools', roles: ['coordinator', 'education'] },
  { href: '/training', text: 'Training', roles: ['coordinator'] },
  { href: '/plan', text: 'Action plan', roles: ['coordinator'] },
  { href: '/report', text: 'Report', roles: ['coordinator', 'viewer'] },
  { href: '/imports', text: 'Imports', roles: ['coordinator', 'facilities', 'education'] },
  { href: '/users', text: 'Users', roles: ['coordinator'] },
  { href: '/audit', text: 'Audit log', roles: ['coordinator'] },
  { href: '/tokens', text: 'API tokens', roles: ['coordinator'] },
  { href: '/reminders', text: 'Reminders', roles: ['coordinator'] },
];

export function navFor(role: Role | undefined, path: string): NavItem[] {
  if (!role) return [];
  return navEntries
    .filter((e) => e.roles.includes(role))
    .map((e) => ({
      href: e.href,
      text: e.text,
      current: e.href === '/' ? path === '/' : path === e.href || path.startsWith(`${e.href}/`),
    }));
}
