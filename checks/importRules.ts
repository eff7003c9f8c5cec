import type { Role } from '../data/schemas/accountSchemas.js';
import { type ImportKind, importKinds } from '../data/schemas/importSchemas.js';

/**
 * Who may import what (SPEC §12): coordinators every kind; the education team the schools register and
 * training records; facilities premises and bookings. Everyone else none.
 */
const KINDS_BY_ROLE: Record<Role, readonly ImportKind[]> = {
  coordinator: importKinds,
  education: ['schools', 'training'],
  facilities: ['premises', 'bookings'],
  'library-manager': [],
  viewer: [],
};

export function importKindsFor(role: Role): readonly ImportKind[] {
  return KINDS_BY_ROLE[role];
}

export function mayImport(role: Role, kind: ImportKind): boolean {
  return KINDS_BY_ROLE[role].includes(kind);
}

/** Plain words for each kind, as the import pages and history show it. */
export const importKindLabels: Record<ImportKind, string> = {
  schools: 'Schools (DfE Get Information about Schools download)',
  libraries: 'Libraries (Arts Council England or Libraries Hacked dataset)',
  premises: 'Premises register',
  bookings: 'Hall bookings',
  watchlist: 'Watch list (simple list or OFSI consolidated list)',
  training: 'Staff training records',
};

/** Short names for the history table and headings. */
export const importKindNames: Record<ImportKind, string> = {
  schools: 'Schools',
  libraries: 'Libraries',
  premises: 'Premises',
  bookings: 'Bookings',
  watchlist: 'Watch list',
  training: 'Staff training',
};
