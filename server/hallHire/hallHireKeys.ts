import { normaliseName } from '../../checks/nameMatching.js';

/** How a hirer is recognised across bookings: the person's name and the organisation, normalised. */
export function hirerKey(name: string, organisation: string | null): string {
  const person = normaliseName(name) || name.trim().toLowerCase();
  const org = organisation ? normaliseName(organisation) || organisation.trim().toLowerCase() : '';
  return `${person}|${org}`;
}

/** Halls are matched on their name within one premises, ignoring case and spacing. */
export function hallKey(premisesId: string, name: string): string {
  return `${premisesId}|${name.trim().replace(/\s+/g, ' ').toLowerCase()}`;
}

/** Speakers are matched on their name, ignoring case and spacing, to keep aliases added in the app. */
export function speakerKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
