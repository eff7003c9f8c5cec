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
  const locked = throttle.lockoutFor(account(), address);
  if (locked) return { ok: false, lockout: locked };
  const value = await check();
  if (value === null) return { ok: false, lockout: await throttle.recordFailure(account(), address) };
  const user = account();
  if (user) await throttle.recordSuccess(user);
  return { ok: true, value };
}
