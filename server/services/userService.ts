import { randomBytes } from 'node:crypto';
import { isEmailAddress, TEXT_LIMITS, tooLongMessage } from '../../checks/limits.js';
import { type Role, type User, roles } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import { versionToSaveOver } from '../forms/shownFields.js';
import { type FieldErrors, InputError } from '../errors.js';
import { hashPassword, oneTimePassword, passwordProblem, verifyPassword } from './passwords.js';

export interface NewUser {
  email: string;
  name: string;
  role: string;
  libraryIds?: string[];
}

/** A one-time password (new account, reset) works for this long; then the coordinator issues another. */
export const ONE_TIME_PASSWORD_HOURS = 72;
/** A new account's record: active, no sessions, no lockout, no calendar feed. */
export function newUserFields(input: {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  libraryIds?: string[];
  mustChangePassword: boolean;
}) {
  return {
    email: input.email.trim().toLowerCase(),
    name: input.name.trim(),
    role: input.role,
    passwordHash: input.passwordHash,
    active: true,
    libraryIds: input.libraryIds ?? [],
    mustChangePassword: input.mustChangePassword,
    sessionEpoch: 0,
    calendarTokenHash: null,
    failedSignIns: [],
    lockedUntil: null,
  };
}

/** What the user edit form shows of an account (its fields, libraries in a stable order). */
export function userFormShows(u: User): Record<string, unknown> {
  return { name: u.name, role: u.role, libraryIds: [...u.libraryIds].sort() };
}

export function createUserService(store: Store, opts: { passwordHashCost: number }) {
  // Made once at start-up with the configured cost, so refusing an unknown email takes as long as a known one.
  const dummyHash = hashPassword(randomBytes(16).toString('base64url'), opts.passwordHashCost);
  dummyHash.catch(() => {}); // awaited (and its failure seen) at the first unknown-email sign-in
  const oneTimeExpiry = () =>
    new Date(store.now().getTime() + ONE_TIME_PASSWORD_HOURS * 3_600_000).toISOString();
  const byEmail = (email: string) =>
    store.list('users').find((u) => u.email.toLowerCase() === email.toLowerCase());

  function validateNew(input: NewUser): FieldErrors {
    const errors: FieldErrors = {};
    if (!input.name?.trim()) errors.name = { text: 'Enter a name', href: '#name' };
    else if (input.name.trim().length > TEXT_LIMITS.name)
      errors.name = { text: tooLongMessage('Name', TEXT_LIMITS.name), href: '#name' };
    if (!input.email?.trim()) errors.email = { text: 'Enter an email address', href: '#email' };
    else if (!isEmailAddress(input.email.trim())) {
      errors.email = {
        text: 'Enter an email address in the correct format, like name@example.gov.uk',
        href: '#email',
      };
    } else if (byEmail(input.email.trim()))
      errors.email = { text: 'An account with this email address already exists', href: '#email' };
    if (!roles.includes(input.role as Role)) errors.role = { text: 'Select a role', href: '#role' };
    return errors;
  }

  /**
   * A library manager manages at least one library, and only libraries that exist. With no library on
   * the register yet there is no box to tick, so the error goes on the role.
   */
  function libraryProblem(role: string, libraryIds: string[]): FieldErrors {
    if (libraryIds.some((id) => !store.get('libraries', id)))
      return { libraryIds: { text: 'Select libraries from the list', href: '#libraryIds' } };
    if (role !== 'library-manager' || libraryIds.length > 0) return {};
    if (store.list('libraries').length === 0)
      return {
        role: {
          text: 'There are no libraries to manage yet: import the libraries first, then choose library manager',
          href: '#role',
        },
      };
    return { libraryIds: { text: 'Select at least one library for a library manager', href: '#libraryIds' } };
  }

  return {
    list: () => [...store.list('users')].sort((a, b) => a.name.localeCompare(b.name)),
    get: (id: string) => store.get('users', id),
    byEmail,
    /** Errors of a new account's fields (none: it can be created). */
    validateNew(input: NewUser): FieldErrors {
      const errors = validateNew(input);
      if (!errors.name && input.name.trim().length > 200)
        errors.name = { text: 'Name must be 200 characters or fewer', href: '#name' };
      if (!errors.email && input.email.trim().length > 254)
        errors.email = { text: 'Email address must be 254 characters or fewer', href: '#email' };
      Object.assign(errors, libraryProblem(input.role, input.libraryIds ?? []));
      return errors;
    },

    /**
     * A coordinator edits a user's name, role and libraries (libraries only for a library manager).
     * A changed role or set of libraries ends the user's sessions, so no page keeps what they lost.
     */
    async update(
      actor: string,
      id: string,
      input: { name: string; role: string; libraryIds: string[] },
      expectedVersion: number,
      /** The edit form's fingerprint of what it showed (userFormShows): changes to nothing shown pass. */
      shown?: string,
    ): Promise<User> {
      const errors: FieldErrors = {};
      const name = input.name.trim();
      if (!name) errors.name = { text: 'Enter a name', href: '#name' };
      else if (name.length > 200)
        errors.name = { text: 'Name must be 200 characters or fewer', href: '#name' };
      if (!roles.includes(input.role as Role)) errors.role = { text: 'Select a role', href: '#role' };
      const libraryIds = input.role === 'library-manager' ? [...new Set(input.libraryIds)] : [];
      if (!errors.role) Object.assign(errors, libraryProblem(input.role, libraryIds));
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => {
        const u = store.get('users', id);
        if (!u) throw new InputError({ id: { text: 'No such user', href: '#' } });
        const lostAccess = u.role !== input.role || u.libraryIds.some((l) => !libraryIds.includes(l));
        return tx.update(
          'users',
          id,
          {
            name,
            role: input.role as Role,
            libraryIds,
            sessionEpoch: u.sessionEpoch + (lostAccess ? 1 : 0),
          },
          versionToSaveOver(u, expectedVersion, shown, userFormShows(u)),
        );
      });
    },

    /** Creates an account; returns it with a one-time password to pass on (unless one is given). */
    async create(
      actor: string,
      input: NewUser,
      password?: string,
      /** More of the new record (an invitation's link), saved in the same change. */
      extra: Pick<Partial<User>, 'invitationTokenHash' | 'invitationExpiresAt'> = {},
    ): Promise<{ user: User; password: string }> {
      const errors = validateNew(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const pw = password ?? oneTimePassword();
      const problem = passwordProblem(pw);
      if (problem) throw new InputError({ password: { text: problem, href: '#password' } });
      const passwordHash = await hashPassword(pw, opts.passwordHashCost);
      const user = await store.transact(actor, (tx) => {
        // Checked again in the change, on memory caught up with every instance: the same address added
        // meanwhile (sent twice at once, through another instance, or while the password was hashed) is
        // refused, never given two accounts.
        const again = validateNew(input);
        if (Object.keys(again).length > 0) throw new InputError(again);
        return tx.insert('users', {
          ...newUserFields({
            ...input,
            role: input.role as Role,
            passwordHash,
            mustChangePassword: password === undefined,
          }),
          // A one-time password works for ONE_TIME_PASSWORD_HOURS (SPEC §10).
          oneTimePasswordExpiresAt: password === undefined ? oneTimeExpiry() : null,
          ...extra,
        });
      });
      return { user, password: pw };
    },

    async authenticate(email: string, password: string): Promise<User | null> {
      const user = byEmail(String(email ?? '').trim());
      // Verify against a dummy hash for unknown accounts so timing does not reveal which emails exist.
      const ok = await verifyPassword(String(password ?? ''), user?.passwordHash ?? (await dummyHash));
      return user && ok && user.active ? user : null;
    },

    /** A one-time password past its 72 hours: the right password, but it no longer signs in. */
    oneTimePasswordExpired: (u: User): boolean =>
      u.mustChangePassword &&
      typeof u.oneTimePasswordExpiresAt === 'string' &&
      Date.parse(u.oneTimePasswordExpiresAt) <= store.now().getTime(),

    /** Is this the user's current password? (The caller throttles: see signInThrottle.) */
    async checkPassword(id: string, password: string): Promise<boolean> {
      const u = store.get('users', id);
      return u !== undefined && (await verifyPassword(password, u.passwordHash));
    },

    async setActive(actor: string, id: string, active: boolean): Promise<User> {
      return store.transact(actor, (tx) => {
        const u = store.get('users', id);
        if (!u) throw new InputError({ id: { text: 'No such user', href: '#' } });
        // Deactivation ends every session and the calendar link with it.
        return tx.update('users', id, {
          active,
          sessionEpoch: u.sessionEpoch + (active ? 0 : 1),
          ...(active ? {} : { calendarTokenHash: null }),
        });
      });
    },

    async resetPassword(actor: string, id: string): Promise<{ user: User; password: string }> {
      const pw = oneTimePassword();
      const passwordHash = await hashPassword(pw, opts.passwordHashCost);
      const user = await store.transact(actor, (tx) => {
        const u = store.get('users', id);
        if (!u) throw new InputError({ id: { text: 'No such user', href: '#' } });
        return tx.update('users', id, {
          passwordHash,
          mustChangePassword: true,
          oneTimePasswordExpiresAt: oneTimeExpiry(),
          sessionEpoch: u.sessionEpoch + 1,
          calendarTokenHash: null,
          failedSignIns: [],
          lockedUntil: null,
        });
      });
      return { user, password: pw };
    },

    /** Checks the current password and the policy; the new hash ends every other session (epoch + 1). */
    async changePassword(actor: string, id: string, current: string, next: string): Promise<User> {
      const u = store.get('users', id);
      if (!u || !(await verifyPassword(current, u.passwordHash))) {
        throw new InputError({ current: { text: 'Your current password is wrong', href: '#current' } });
      }
      const problem = passwordProblem(next);
      if (problem) throw new InputError({ password: { text: problem, href: '#password' } });
      if (next === current) {
        throw new InputError({
          password: { text: 'Your new password must be different from your current one', href: '#password' },
        });
      }
      const passwordHash = await hashPassword(next, opts.passwordHashCost);
      return store.transact(actor, (tx) =>
        tx.update('users', id, {
          passwordHash,
          mustChangePassword: false,
          oneTimePasswordExpiresAt: null,
          sessionEpoch: store.get('users', id)!.sessionEpoch + 1,
          calendarTokenHash: null,
        }),
      );
    },

    /** "Sign out everywhere": a higher epoch ends every session signed in before it. */
    async signOutEverywhere(actor: string, id: string): Promise<User> {
      return store.transact(actor, (tx) => {
        const u = store.get('users', id);
        if (!u) throw new InputError({ id: { text: 'No such user', href: '#' } });
        return tx.update('users', id, { sessionEpoch: u.sessionEpoch + 1, calendarTokenHash: null });
      });
    },

    /** A coordinator lifts a sign-in lockout. */
    async unlock(actor: string, id: string): Promise<User> {
      return store.transact(actor, (tx) => {
        if (!store.get('users', id)) throw new InputError({ id: { text: 'No such user', href: '#' } });
        return tx.update('users', id, { failedSignIns: [], lockedUntil: null });
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
