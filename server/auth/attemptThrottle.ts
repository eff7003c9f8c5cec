import { itemAt } from '../../data/itemAt.js';
/**
 * Throttling of guesses (passwords, one-time codes) that concurrency cannot beat: an attempt is counted
 * when it BEGINS, before the secret is checked, so 30 guesses sent at once are 30 attempts, not 30 checks
 * against a count of zero. Each key (an account, a client network) may have at most `max` attempts in
 * progress or failed within the window; the failure that reaches `max` locks the key for `lockMs`.
 *
 * Use: `const gate = throttle.begin([accountKey, addressKey])`; refused → answer 429 with `gate.until`;
 * otherwise check the secret, then `gate.attempt.settle(false)` on a wrong one, or on a right one first
 * `gate.attempt.recheck()` (a lock that started meanwhile still refuses) and then `settle(true)`.
 */

export interface AttemptLimits {
  /** Attempts (in progress or failed) per key within the window; the failure that reaches it locks the key. */
  max: number;
  windowMs: number;
  lockMs: number;
  /** Most keys held at once; the least recently used is forgotten beyond this, so memory stays bounded. */
  maxKeys: number;
}

export interface Refusal {
  /** The key that refused (the first locked or full one, in the order given). */
  key: string;
  /** When to try again (epoch ms). */
  until: number;
  /** True when the key is locked; false when it is only full of attempts still in progress or recent. */
  locked: boolean;
}

export type Gate = { ok: true; attempt: Attempt } | ({ ok: false } & Refusal);

interface KeyState {
  failures: number[];
  pending: number;
  lockedUntil: number;
}

/** One guess being checked: counted against each of its keys until it is settled. */
export interface Attempt {
  /** After a right answer: a lock that started on any key while this was checked still refuses it. */
  recheck(): Refusal | null;
  /** Settles once: a failure counts against every key (and may lock them); returns the keys it locked. */
  settle(success: boolean): string[];
  /** Settles without counting either way (the check could not be made). */
  release(): void;
}

export class AttemptThrottle {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    readonly limits: AttemptLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts an attempt on every key, or refuses (counting nothing) when any key is locked or full. */
  begin(keys: readonly string[]): Gate {
    const at = this.now();
    const states = keys.map((key) => this.state(key, at));
    for (let i = 0; i < keys.length; i++) {
      const refusal = this.refusalOf(itemAt(keys, i), itemAt(states, i), at);
      if (refusal) return { ok: false, ...refusal };
    }
    for (const s of states) s.pending++;
    return { ok: true, attempt: this.attemptOn(keys, states) };
  }

  /** When the key's lock ends (epoch ms), or null when it is not locked. */
  lockedUntil(key: string): number | null {
    const s = this.keys.get(key);
    return s && s.lockedUntil > this.now() ? s.lockedUntil : null;
  }

  /** Failures and lock of a key forgotten (e.g. a coordinator unlocked the account); attempts in progress still count. */
  forget(key: string): void {
    const s = this.keys.get(key);
    if (!s) return;
    s.failures = [];
    s.lockedUntil = 0;
    if (s.pending === 0) this.keys.delete(key);
  }

  /** Attempts in progress plus recent failures on a key (for tests and diagnostics). */
  count(key: string): number {
    const s = this.keys.get(key);
    if (!s) return 0;
    const at = this.now();
    return s.pending + s.failures.filter((t) => at - t < this.limits.windowMs).length;
  }

  get size(): number {
    return this.keys.size;
  }

  private state(key: string, at: number): KeyState {
    let s = this.keys.get(key);
    if (s) this.keys.delete(key);
    else s = { failures: [], pending: 0, lockedUntil: 0 };
    // Re-inserting keeps the map in least-recently-used order, so the oldest is dropped first.
    this.keys.set(key, s);
    if (this.keys.size > this.limits.maxKeys) this.keys.delete(this.keys.keys().next().value!);
    const since = at - this.limits.windowMs;
    const oldest = s.failures[0];
    if (oldest !== undefined && oldest <= since) s.failures = s.failures.filter((t) => t > since);
    return s;
  }

  private refusalOf(key: string, s: KeyState, at: number): Refusal | null {
    if (s.lockedUntil > at) return { key, until: s.lockedUntil, locked: true };
    if (s.failures.length + s.pending < this.limits.max) return null;
    // Full: a slot frees when the oldest failure leaves the window (or an attempt in progress ends).
    return {
      key,
      until: (s.failures[0] ?? at) + (s.failures.length ? this.limits.windowMs : 0),
      locked: false,
    };
  }

  private attemptOn(keys: readonly string[], states: KeyState[]): Attempt {
    let settled = false;
    const finish = () => {
      if (settled) return false;
      settled = true;
      for (const s of states) s.pending = Math.max(0, s.pending - 1);
      return true;
    };
    return {
      recheck: () => {
        const at = this.now();
        for (let i = 0; i < keys.length; i++) {
          if (itemAt(states, i).lockedUntil > at)
            return { key: itemAt(keys, i), until: itemAt(states, i).lockedUntil, locked: true };
        }
        return null;
      },
      settle: (success) => {
        if (!finish() || success) return [];
        const at = this.now();
        const locked: string[] = [];
        for (let i = 0; i < keys.length; i++) {
          const s = itemAt(states, i);
          s.failures.push(at);
          if (s.failures.length >= this.limits.max) {
            s.lockedUntil = at + this.limits.lockMs;
            s.failures = [];
            locked.push(itemAt(keys, i));
          }
        }
        return locked;
      },
      release: () => {
        finish();
      },
    };
  }
}

/**
 * The part of a client address that throttling counts: an IPv4 address whole (IPv4-mapped IPv6 too), an
 * IPv6 address by its /64 (one household or host is given a whole /64, so counting single addresses
 * would let it rotate through 2^64 of them).
 */
export function clientNetwork(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  const v4 = mapped?.[1];
  if (v4) return v4;
  if (!a.includes(':')) return a;
  const [head, tail = ''] = (a.split('%')[0] ?? '').split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}
