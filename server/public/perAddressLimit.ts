import { isIPv6 } from 'node:net';

/**
 * The key a client address is counted under: an IPv6 client by its /64 (one household or host can hold
 * a whole /64), an IPv4 client by its address.
 */
export function addressKey(address: string): string {
  const bare = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (!isIPv6(bare)) return bare;
  const [head, tail = ''] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = bare.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * At most `limit` uses per client address in a sliding window, in memory. Memory stays bounded: at most
 * `maxAddresses` addresses are tracked, the least recently used forgotten first.
 */
export function createPerAddressLimit(opts: {
  limit: number;
  windowMs: number;
  now: () => number;
  maxAddresses?: number;
}) {
  const max = opts.maxAddresses ?? 10_000;
  const uses = new Map<string, number[]>();

  function recent(key: string): number[] {
    const at = opts.now();
    const kept = (uses.get(key) ?? []).filter((t) => at - t < opts.windowMs);
    uses.delete(key);
    if (kept.length > 0) uses.set(key, kept);
    return kept;
  }

  return {
    /** When the address may use it again (ms since epoch), or null when it may now. */
    blockedUntil(address: string): number | null {
      const kept = recent(addressKey(address));
      const oldest = kept[0];
      return oldest !== undefined && kept.length >= opts.limit ? oldest + opts.windowMs : null;
    },
    /** Counts one use. */
    record(address: string): void {
      const key = addressKey(address);
      const kept = recent(key);
      kept.push(opts.now());
      uses.set(key, kept);
      if (uses.size > max) uses.delete(uses.keys().next().value!);
    },
    tracked: () => uses.size,
  };
}
