import { formatDateTime, londonDate } from '../../checks/londonDates.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import { AttemptThrottle, clientNetwork, type Refusal } from '../auth/attemptThrottle.js';
import type { SharedAttempts } from '../auth/sharedAttempts.js';

export interface ThrottleLimits {
  /** Failures within the window that lock the account or address. */
  failures: number;
  windowMinutes: number;
  lockMinutes: number;
  /** Most client addresses tracked at once; the oldest are forgotten beyond this (memory stays bounded). */
  maxAddresses: number;
}

export const defaultThrottleLimits: ThrottleLimits = {
  failures: 10,
  windowMinutes: 15,
  lockMinutes: 15,
  maxAddresses: 10_000,
};

export interface Lockout {
  kind: 'account' | 'address';
  until: Date;
  /** What the sign-in page says: when to try again, and who can help. */
  message: string;
}

/** "2:05pm" today, "24 November 2026 at 12:05am" on another day. */
export function whenText(until: Date, now: Date): string {
  const full = formatDateTime(until);
  return londonDate(until) === londonDate(now) ? full.replace(/^.* at /, '') : full;
}

/** A password check let through the throttle: settle it once the password has been verified. */
export interface PasswordCheck {
  /** A wrong password (or an unknown or deactivated account): counted; returns the lock if one starts. */
  failed(): Promise<Lockout | null>;
  /**
   * A right password: refused after all (returned) if the account or network was locked while it was
   * checked; otherwise the account's count of failures starts again.
   */
  succeeded(): Promise<Lockout | null>;
  /**
   * A right password for an account with a second factor still to come: refused (returned) if the
   * account or network was locked while it was checked; otherwise the check no longer counts, and the
   * account's failures stay as they are until the code is right (else a known password would let
   * someone guess codes without end).
   */
  passedFirstFactor(): Promise<Lockout | null>;
}

/**
 * Sign-in throttling (SPEC §10): at most `failures` password checks per account and per client network
 * (an IPv6 client by its /64) in the window, counting checks still in progress (server/auth/attemptThrottle.ts).
 * The account's failures and lock are also kept on the user (so a lock survives a restart, the Users page
 * shows it and a coordinator can lift it). The same throttle guards the current-password check on
 * /account/password and any other check of a secret the user knows.
 */
/** The shared per-network count's limits: the same failures in the same window. */
export const sharedLimits = (limits: ThrottleLimits) => ({
  max: limits.failures,
  windowMs: limits.windowMinutes * 60_000,
});

export function createSignInThrottle(
  store: Store,
  limits: ThrottleLimits = defaultThrottleLimits,
  /** On PostgreSQL: the network's checks counted for every instance together. */
  shared: SharedAttempts | null = null,
) {
  const windowMs = limits.windowMinutes * 60_000;
  const lockMs = limits.lockMinutes * 60_000;
  const now = () => store.now();
  const attempts = new AttemptThrottle(
    { max: limits.failures, windowMs, lockMs, maxKeys: limits.maxAddresses },
    () => now().getTime(),
  );
  const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
  const addressKey = (address: string) => `address:${clientNetwork(address)}`;

  function accountLockout(user: User | undefined, at: Date): Lockout | null {
    if (!user?.lockedUntil) return null;
    const until = new Date(user.lockedUntil);
    if (until.getTime() <= at.getTime()) return null;
    return accountMessage(until, at);
  }

  const accountMessage = (until: Date, at: Date): Lockout => ({
    kind: 'account',
    until,
    message: `This account is locked after too many failed sign-ins. Try again after ${whenText(until, at)}, or ask your Prevent coordinator to unlock it.`,
  });

  const addressMessage = (until: Date, at: Date): Lockout => ({
    kind: 'address',
    until,
    message: `There have been too many failed sign-ins from your network. Try again after ${whenText(until, at)}.`,
  });

  function lockoutOf(refusal: Refusal, at: Date): Lockout {
    // Full but not locked: attempts in progress fill it; the next one may go through in a moment.
    const until = new Date(Math.max(refusal.until, at.getTime() + 60_000));
    return refusal.key.startsWith('account:') ? accountMessage(until, at) : addressMessage(until, at);
  }

  /** The user as stored now (a lock may have been set or lifted since the request began). */
  const fresh = (user: User | undefined) => (user ? store.get('users', user.id) : undefined);

  const lockUpdate = (at: Date) => ({
    failedSignIns: [],
    lockedUntil: new Date(at.getTime() + lockMs).toISOString(),
  });
  const recentOf = (user: User, at: Date) =>
    user.failedSignIns.filter((t) => at.getTime() - Date.parse(t) < windowMs);

  /**
   * Counts a check on the account in the store, before it is made: one transaction, which sees every
   * instance's counts, so instances together check at most `failures` guesses in the window. A guess
   * beyond that (or the account locked meanwhile) locks it and is refused. Returns the lock, or null.
   */
  function countOnAccount(user: User, at: Date): Promise<Lockout | null> {
    return store.transact('sign-in', (tx) => {
      const current = store.get('users', user.id);
      if (!current) return null;
      const stored = accountLockout(current, at);
      if (stored) return stored;
      const recent = recentOf(current, at);
      if (recent.length >= limits.failures)
        return accountLockout(tx.update('users', user.id, lockUpdate(at)), at);
      tx.update('users', user.id, { failedSignIns: [...recent, at.toISOString()] });
      return null;
    });
  }

  /** More guesses than the limit came at once: the account is locked for every instance, so none in progress signs in. */
  async function lockOnOverflow(user: User, at: Date): Promise<void> {
    await store.transact('sign-in', (tx) => {
      const current = store.get('users', user.id);
      if (current && !accountLockout(current, at)) tx.update('users', user.id, lockUpdate(at));
    });
  }

  /**
   * A wrong guess, counted when it `began` (counted again if a right password or a coordinator cleared the
   * count meanwhile): the one that reaches the limit locks the account.
   */
  function recordAccountFailure(user: User, began: Date, at: Date): Promise<User | undefined> {
    return store.transact('sign-in', (tx) => {
      const current = store.get('users', user.id);
      if (!current || accountLockout(current, at)) return current;
      const recent = recentOf(current, at);
      const mine = began.toISOString();
      const uncounted = !recent.includes(mine);
      if (uncounted) recent.push(mine);
      if (recent.length >= limits.failures) return tx.update('users', user.id, lockUpdate(at));
      return uncounted ? tx.update('users', user.id, { failedSignIns: recent }) : current;
    });
  }

  /**
   * After a right answer, in one transaction (caught up with every instance): refused if the account was
   * locked while it was checked; otherwise its count starts again (`clear`) or this check is uncounted.
   */
  function settleRightOnAccount(user: User, began: Date, at: Date, clear: boolean): Promise<Lockout | null> {
    return store.transact('sign-in', (tx) => {
      const current = store.get('users', user.id);
      if (!current) return null;
      const stored = accountLockout(current, at);
      if (stored) return stored;
      if (clear) {
        if (current.failedSignIns.length > 0 || current.lockedUntil !== null)
          tx.update('users', user.id, { failedSignIns: [], lockedUntil: null });
        return null;
      }
      const mine = current.failedSignIns.indexOf(began.toISOString());
      if (mine >= 0)
        tx.update('users', user.id, { failedSignIns: current.failedSignIns.filter((_, i) => i !== mine) });
      return null;
    });
  }

  return {
    limits,

    /**
     * Before a password is checked: counts the check against the account (by email, known or not; a known
     * one in the store too, shared by every instance) and the client network, or refuses with the lock
     * that stops it.
     */
    async begin(
      email: string,
      user: User | undefined,
      address: string,
    ): Promise<{ ok: true; check: PasswordCheck } | { ok: false; lockout: Lockout }> {
      const began = now();
      const key = accountKey(email);
      const stored = accountLockout(fresh(user), began);
      if (stored) return { ok: false, lockout: stored };
      // Locked in memory but not on the user: a coordinator unlocked the account (or reset its password).
      if (user && attempts.lockedUntil(key) !== null) attempts.forget(key);
      const gate = attempts.begin([addressKey(address), key]);
      if (!gate.ok) {
        if (user && gate.key === key && !gate.locked) await lockOnOverflow(user, began);
        return { ok: false, lockout: lockoutOf(gate, began) };
      }
      const { attempt } = gate;
      // Counted for the network on every instance too: refused when its window is full there.
      const network = shared ? await shared.take(addressKey(address), began.getTime()) : null;
      if (network && !network.ok) {
        attempt.release();
        return { ok: false, lockout: addressMessage(new Date(network.until), began) };
      }
      /** A check that was not a wrong guess (a right answer, or refused before checking) counts for nobody. */
      const uncount = async () => {
        if (shared && network?.ok) await shared.release(network.id);
      };
      const counted = user ? await countOnAccount(user, began) : null;
      if (counted) {
        attempt.release();
        await uncount();
        return { ok: false, lockout: counted };
      }
      return {
        ok: true,
        check: {
          async failed() {
            const at = now();
            const locked = attempt.settle(false);
            const updated = user ? await recordAccountFailure(user, began, at) : undefined;
            if (locked.includes(addressKey(address))) {
              return addressMessage(new Date(attempts.lockedUntil(addressKey(address)) ?? at.getTime()), at);
            }
            const accountLock = accountLockout(updated, at);
            if (accountLock) return accountLock;
            if (locked.includes(key)) return accountMessage(new Date(at.getTime() + lockMs), at);
            const networkFull = shared ? await shared.fullUntil(addressKey(address), at.getTime()) : null;
            return networkFull === null ? null : addressMessage(new Date(networkFull), at);
          },
          async passedFirstFactor() {
            const at = now();
            const refusal = attempt.recheck();
            attempt.release();
            await uncount();
            const stored = user ? await settleRightOnAccount(user, began, at, false) : null;
            return stored ?? (refusal ? lockoutOf(refusal, at) : null);
          },
          async succeeded() {
            const at = now();
            const refusal = attempt.recheck();
            await uncount();
            if (refusal) {
              attempt.release();
              return lockoutOf(refusal, at);
            }
            const stored = user ? await settleRightOnAccount(user, began, at, true) : null;
            if (stored) {
              attempt.release();
              return stored;
            }
            attempt.settle(true);
            attempts.forget(key);
            return null;
          },
        },
      };
    },

    /** The client network's lock, if any: single sign-on is refused from a locked network (no password is checked). */
    async addressLockout(address: string): Promise<Lockout | null> {
      const at = now();
      const until =
        attempts.lockedUntil(addressKey(address)) ??
        (shared ? await shared.fullUntil(addressKey(address), at.getTime()) : null);
      return until === null ? null : addressMessage(new Date(until), at);
    },

    /** A refused single sign-on: counted against the client network only; returns the lock if one starts. */
    async recordAddressFailure(address: string): Promise<Lockout | null> {
      const at = now();
      const network = shared ? await shared.take(addressKey(address), at.getTime()) : null;
      if (network && !network.ok) return addressMessage(new Date(network.until), at);
      const gate = attempts.begin([addressKey(address)]);
      if (!gate.ok) return lockoutOf(gate, at);
      const locked = gate.attempt.settle(false);
      if (!locked.includes(addressKey(address))) return null;
      return addressMessage(new Date(attempts.lockedUntil(addressKey(address)) ?? at.getTime()), at);
    },

    isLocked: (user: User) => accountLockout(user, now()) !== null,

    /** Accounts and networks tracked in memory (bounded by maxAddresses). */
    trackedAddresses: () => attempts.size,
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
