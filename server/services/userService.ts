import { randomBytes } from 'node:crypto';
import { isEmailAddress, TEXT_LIMITS, tooLongMessage } from '../../checks/limits.js';
import { type Role, type User, roles } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import { type FieldErrors, InputError } from '../errors.js';
import { hashPassword, oneTimePassword, passwordProblem, verifyPassword } from './passwords.js';

// InputError and FieldErrors live in server/errors.ts; exported here too while branches that import them
// from this file are merged.
export { type FieldErrors, InputError } from '../errors.js';

export interface NewUser {
  email: string;
  name: string;
  role: string;
  libraryIds?: string[];
}

/** A one-time password (new account, reset) works for this long; then the coordinator issues another. */
export const ONE_TIME_PASSWORD_HOURS = 72;

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

  return {
    list: () => [...store.list('users')].sort((a, b) => a.name.localeCompare(b.name)),
    get: (id: string) => store.get('users', id),
    byEmail,

    /** Creates an account; returns it with a one-time password to pass on (unless one is given). */
    async create(
      actor: string,
      input: NewUser,
      password?: string,
    ): Promise<{ user: User; password: string }> {
      const errors = validateNew(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const pw = password ?? oneTimePassword();
      const problem = passwordProblem(pw);
      if (problem) throw new InputError({ password: { text: problem, href: '#password' } });
      const passwordHash = await hashPassword(pw, opts.passwordHashCost);
      const user = await store.transact(actor, (tx) =>
        tx.insert('users', {
          email: input.email.trim().toLowerCase(),
          name: input.name.trim(),
          role: input.role as Role,
          passwordHash,
          active: true,
          libraryIds: input.libraryIds ?? [],
          mustChangePassword: password === undefined,
          oneTimePasswordExpiresAt: password === undefined ? oneTimeExpiry() : null,
          sessionEpoch: 0,
          calendarTokenHash: null,
          failedSignIns: [],
          lockedUntil: null,
        }),
      );
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
