import type { User } from '../../data/schemas/accountSchemas.js';
import type { Lockout, SignInThrottle } from '../services/signInThrottle.js';

export type Attempt<T> = { ok: true; value: T } | { ok: false; lockout: Lockout | null };

/**
 * A secret check (a security code, a recovery code) counted by the sign-in throttle exactly as a
 * password is: refused without checking while the account or address is locked, a failure counted
 * towards the same limits, a success clearing the account's count. The one place second-factor
 * checks meet the throttle, so a new throttle module replaces it here alone.
 * `account` reads the user afresh: counts recorded meanwhile must not be lost.
 */
export async function throttledAttempt<T>(
  throttle: SignInThrottle,
  account: () => User | undefined,
  address: string,
  check: () => Promise<T | null>,
): Promise<Attempt<T>> {
  const user = account();
  // Counted before the code is checked, like a password (codes sent at once cannot all slip through).
  const gate = await throttle.begin(user?.email ?? '', user, address);
  if (!gate.ok) return { ok: false, lockout: gate.lockout };
  const value = await check();
  if (value === null) return { ok: false, lockout: await gate.check.failed() };
  const lock = await gate.check.succeeded();
  if (lock) return { ok: false, lockout: lock };
  return { ok: true, value };
}
