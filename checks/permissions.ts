import type { Role } from '../data/schemas/accountSchemas.js';
import type { BookingStatus } from '../data/schemas/hallHireSchemas.js';

/**
 * Who may do what to a booking, in which state (SPEC §10). Pure: routes, services and the route-policy
 * test all ask here, so "who may act on a booking in which state" is written down once.
 */

/** Everything one can do to a booking (or to the hirer and names on it). */
export const bookingActions = [
  'view',
  /** Record a decision (approve, refuse, refer, cancel). */
  'decide',
  /** Change the booking: hall, dates, event, hirer details on the booking form, speakers. */
  'edit',
  /** Change the hirer record (/hirers/ID), which changes the names on every booking of that hirer. */
  'edit-hirer',
  /** Start, save or submit the booking's due-diligence review, or add or remove its evidence. */
  'review',
  /** Screen its names against the watch list now (adds a record; changes no decision). */
  'screen',
] as const;
export type BookingAction = (typeof bookingActions)[number];

/**
 * The states permissions depend on. `coordinator-decided`: a coordinator recorded a decision on the
 * booking (whatever its status now); `referred`: waiting for the coordinator.
 */
export type BookingState = 'open' | 'referred' | 'coordinator-decided';

/** What a booking's state is read from: its status and who recorded each of its decisions. */
export interface BookingFacts {
  status: BookingStatus;
  /** The roles of everyone who recorded a decision on the booking (any order, repeats allowed). */
  decidedByRoles: readonly string[];
}

export type Permission = { allowed: true } | { allowed: false; status: 403 | 404; reason: string };

const ALLOWED: Permission = { allowed: true };
const HALL_HIRE_STAFF: ReadonlySet<Role> = new Set(['coordinator', 'facilities']);

const NOT_YOUR_AREA =
  'Bookings are managed by facilities staff and the Prevent coordinator. Ask your Prevent coordinator if you need this.';
const REFERRED =
  'This booking was referred to the Prevent coordinator. Only the coordinator can decide it. Until they do, only they can change the booking, its hirer or the names on it, or work on its checks.';
const COORDINATOR_DECIDED =
  'The Prevent coordinator recorded a decision on this booking. Only the coordinator can decide it again, or change the booking, its hirer or the names on it, or work on its checks.';

export function bookingState(facts: BookingFacts): BookingState {
  if (facts.decidedByRoles.includes('coordinator')) return 'coordinator-decided';
  if (facts.status === 'referred') return 'referred';
  return 'open';
}

/** May `user` do `action` to a booking with these facts? If not: the status to answer and why, in plain words. */
export function bookingPermission(
  user: { role: Role },
  action: BookingAction,
  facts: BookingFacts,
): Permission {
  if (!HALL_HIRE_STAFF.has(user.role)) return { allowed: false, status: 403, reason: NOT_YOUR_AREA };
  if (user.role === 'coordinator' || action === 'view' || action === 'screen') return ALLOWED;
  const state = bookingState(facts);
  if (state === 'referred') return { allowed: false, status: 403, reason: REFERRED };
  if (state === 'coordinator-decided') return { allowed: false, status: 403, reason: COORDINATOR_DECIDED };
  return ALLOWED;
}

/**
 * A hirer is shared by all their bookings: changing the hirer changes the names on each. So a hirer
 * may be changed only by someone who may edit every one of their bookings.
 */
export function hirerPermission(user: { role: Role }, bookings: readonly BookingFacts[]): Permission {
  if (!HALL_HIRE_STAFF.has(user.role)) return { allowed: false, status: 403, reason: NOT_YOUR_AREA };
  for (const facts of bookings) {
    const p = bookingPermission(user, 'edit-hirer', facts);
    if (!p.allowed) {
      return {
        allowed: false,
        status: 403,
        reason: `${p.reason} This hirer has such a booking, so only the coordinator can change the hirer’s details.`,
      };
    }
  }
  return ALLOWED;
}

export const mayActOnBooking = (user: { role: Role }, action: BookingAction, facts: BookingFacts): boolean =>
  bookingPermission(user, action, facts).allowed;

const EVERY_ROLE: readonly Role[] = ['coordinator', 'facilities', 'library-manager', 'education', 'viewer'];

/**
 * Who may open each area's main page. The navigation shows an area to exactly these roles, and each
 * area's routes guard their main page with the same list, so what a person is offered and what opens
 * for them cannot drift apart (the navigation test requests every area as every role).
 */
export const areaReaders = {
  dashboard: EVERY_ROLE,
  premises: ['coordinator', 'facilities'],
  bookings: ['coordinator', 'facilities'],
  watchlist: ['coordinator'],
  libraries: ['coordinator', 'library-manager'],
  schools: ['coordinator', 'education'],
  training: ['coordinator', 'viewer'],
  plan: ['coordinator', 'viewer'],
  report: ['coordinator', 'viewer'],
  imports: ['coordinator', 'facilities', 'education'],
  users: ['coordinator'],
  audit: ['coordinator'],
  tokens: ['coordinator'],
  reminders: ['coordinator'],
} as const satisfies Record<string, readonly Role[]>;
export type Area = keyof typeof areaReaders;

/** May someone with this role open the area's main page? */
export function mayOpenArea(role: Role, area: Area): boolean {
  return (areaReaders[area] as readonly Role[]).includes(role);
}
