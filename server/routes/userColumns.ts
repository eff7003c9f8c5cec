import type { User } from '../../data/schemas/accountSchemas.js';
import type { ListSpec } from '../lists/list.js';
import { roleNames } from '../services/invitationService.js';

/** A user as the users list shows them: locked, invited, invitation expired. */
export interface UserRow extends User {
  lockedText: string | null;
  invited: boolean;
  invitationExpired: boolean;
}

export function userStatusText(u: UserRow): string {
  const status = !u.active
    ? 'Deactivated'
    : u.invitationExpired
      ? 'Invitation expired'
      : u.invited
        ? 'Invited'
        : 'Active';
  return [status, u.lockedText ? `Locked until ${u.lockedText}` : '', u.totpSecret ? 'Two-factor on' : '']
    .filter(Boolean)
    .join(', ');
}

/** The users list (/users): by name unless asked otherwise. */
export const USERS: ListSpec<UserRow> = {
  path: '/users',
  noun: { one: 'account', many: 'accounts' },
  csvFile: 'users.csv',
  defaultSort: { sort: 'name', dir: 'asc' },
  columns: [
    { key: 'name', label: 'Name', sort: (u) => u.name, csv: (u) => u.name },
    { key: 'email', label: 'Email', sort: (u) => u.email, csv: (u) => u.email },
    { key: 'role', label: 'Role', sort: (u) => roleNames[u.role], csv: (u) => roleNames[u.role] },
    { key: 'status', label: 'Status', sort: userStatusText, csv: userStatusText },
    { key: 'manage', label: 'Manage', tableOnly: true, csv: () => '' },
  ],
};
