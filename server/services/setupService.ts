import { type FieldErrors, InputError } from '../errors.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import type { Config } from '../config.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { newUserFields, type UserService } from './userService.js';

const hashOf = (token: string) => createHash('sha256').update(token).digest();

export interface FirstCoordinator {
  name: string;
  email: string;
  password: string;
  confirm: string;
}

/**
 * First run (SPEC §12): on a database with no accounts the server makes one single-use setup link at
 * start; its page creates the first coordinator. The link lives in this process only (its hash, never
 * written anywhere), so a restart makes a new one, and it is gone once any account exists.
 */
export function createSetupService(store: Store, config: Config, users: UserService) {
  let tokenHash: Buffer | null = null;
  const noAccounts = () => store.list('users').length === 0;

  const valid = (token: string): boolean => {
    if (!tokenHash || !noAccounts() || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return false;
    return timingSafeEqual(hashOf(token), tokenHash);
  };

  return {
    /** A new setup link when the database has no account (printed at start), else null. */
    startLink(): string | null {
      if (!noAccounts()) return null;
      const token = randomBytes(32).toString('base64url');
      tokenHash = hashOf(token);
      return `${config.baseUrl}/setup/${token}`;
    },

    valid,

    /** Creates the first coordinator with their own password; the link is used up. */
    async complete(token: string, input: FirstCoordinator): Promise<User> {
      if (!valid(token)) throw new SetupClosedError();
      const errors: FieldErrors = users.validateNew({
        name: input.name,
        email: input.email,
        role: 'coordinator',
      });
      const problem = passwordProblem(input.password);
      if (!input.password) errors.password = { text: 'Enter a password', href: '#password' };
      else if (problem) errors.password = { text: problem, href: '#password' };
      else if (input.password !== input.confirm)
        errors.confirm = { text: 'The passwords do not match', href: '#confirm' };
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const passwordHash = await hashPassword(input.password, config.passwordHashCost);
      const user = await store.transact(input.email.trim().toLowerCase(), (tx) => {
        // Checked again after hashing: two tabs submitting at once make one coordinator, not two.
        if (!valid(token)) throw new SetupClosedError();
        return tx.insert(
          'users',
          newUserFields({ ...input, role: 'coordinator', passwordHash, mustChangePassword: false }),
        );
      });
      tokenHash = null;
      return user;
    },
  };
}

/** The setup link was used, or an account exists: the page is gone (404). */
export class SetupClosedError extends Error {
  constructor() {
    super('Page not found');
  }
}

export type SetupService = ReturnType<typeof createSetupService>;
