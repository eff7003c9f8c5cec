import { formatDateTime, londonDate } from '../../checks/londonDates.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';

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

interface AddressState {
  failures: number[];
  lockedUntil: number;
}

/** "2:05pm" today, "24 November 2026 at 12:05am" on another day. */
export function whenText(until: Date, now: Date): string {
  const full = formatDateTime(until);
  return londonDate(until) === londonDate(now) ? full.replace(/^.* at /, '') : full;
}

/**
 * Sign-in throttling: too many failures in the window lock the account (recorded on the user, so it
 * survives a restart and a coordinator can unlock it) and, separately, the client address (in memory).
 * A locked account or address cannot sign in even with the right password until the lock ends.
 */
export function createSignInThrottle(store: Store, limits: ThrottleLimits = defaultThrottleLimits) {
  const addresses = new Map<string, AddressState>();
  const windowMs = limits.windowMinutes * 60_000;
  const lockMs = limits.lockMinutes * 60_000;
  const now = () => store.now();

  function accountLockout(user: User | undefined, at: Date): Lockout | null {
    if (!user?.lockedUntil) return null;
    const until = new Date(user.lockedUntil);
    if (until.getTime() <= at.getTime()) return null;
    return {
      kind: 'account',
      until,
      message: `This account is locked after too many failed sign-ins. Try again after ${whenText(until, at)}, or ask your Prevent coordinator to unlock it.`,
    };
  }

  function addressLockout(address: string, at: Date): Lockout | null {
    const state = addresses.get(address);
    if (!state || state.lockedUntil <= at.getTime()) return null;
    const until = new Date(state.lockedUntil);
    return {
      kind: 'address',
      until,
      message: `There have been too many failed sign-ins from your network. Try again after ${whenText(until, at)}.`,
    };
  }

  function addressFailure(address: string, at: number): boolean {
    let state = addresses.get(address);
    if (state) addresses.delete(address);
    else state = { failures: [], lockedUntil: 0 };
    // Re-inserting keeps the map in least-recently-failed order, so the oldest is dropped first.
    addresses.set(address, state);
    if (addresses.size > limits.maxAddresses) addresses.delete(addresses.keys().next().value!);
    state.failures = state.failures.filter((t) => at - t < windowMs);
    state.failures.push(at);
    if (state.failures.length >= limits.failures) {
      state.lockedUntil = at + lockMs;
      state.failures = [];
      return true;
    }
    return false;
  }

  return {
    limits,

    /** Before the password is checked: is this account or this address locked? */
    lockoutFor(user: User | undefined, address: string): Lockout | null {
      const at = now();
      return addressLockout(address, at) ?? accountLockout(user, at);
    },

    /** After a wrong password (or an unknown or deactivated account): counts it; returns the lock if one starts. */
    async recordFailure(user: User | undefined, address: string): Promise<Lockout | null> {
      const at = now();
      const addressLocked = addressFailure(address, at.getTime());
      let updated: User | undefined;
      if (user) {
        updated = await store.transact('sign-in', (tx) => {
          const current = store.get('users', user.id)!;
          const recent = current.failedSignIns.filter((t) => at.getTime() - Date.parse(t) < windowMs);
          recent.push(at.toISOString());
          return recent.length >= limits.failures
            ? tx.update('users', user.id, {
                failedSignIns: [],
                lockedUntil: new Date(at.getTime() + lockMs).toISOString(),
              })
            : tx.update('users', user.id, { failedSignIns: recent });
        });
      }
      return (addressLocked ? addressLockout(address, at) : null) ?? accountLockout(updated, at);
    },

    /** After a good sign-in: the account's count starts again (the address's does not, so one good account cannot reset it). */
    async recordSuccess(user: User): Promise<void> {
      if (user.failedSignIns.length === 0 && user.lockedUntil === null) return;
      await store.transact('sign-in', (tx) =>
        tx.update('users', user.id, { failedSignIns: [], lockedUntil: null }),
      );
    },

    isLocked: (user: User) => accountLockout(user, now()) !== null,

    /** For tests and the Users page. */
    trackedAddresses: () => addresses.size,
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
