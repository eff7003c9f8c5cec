import { isIPv6 } from 'node:net';

/** An IPv6 client is counted by its /64 (one household or office gets a whole /64); IPv4 by its address. */
export function clientKey(address: string): string {
  const plain = address.replace(/^::ffff:(?=\d+\.)/, '');
  if (!isIPv6(plain)) return plain;
  const [head, tail = ''] = plain.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}

/**
 * At most `limit` hits per client address in a sliding `windowMs`, for pages anyone can reach. Memory is
 * bounded: past `maxAddresses` the address seen least recently is forgotten.
 */
export function createAddressThrottle(opts: { limit: number; windowMs: number; maxAddresses?: number }) {
  const max = opts.maxAddresses ?? 10_000;
  const hits = new Map<string, number[]>();
  return {
    /** Counts a hit; false when the address is over its limit (the hit is not counted then). */
    allow(address: string, now: number): boolean {
      const key = clientKey(address);
      const recent = (hits.get(key) ?? []).filter((t) => now - t < opts.windowMs);
      hits.delete(key);
      if (recent.length >= opts.limit) {
        hits.set(key, recent);
        return false;
      }
      recent.push(now);
      hits.set(key, recent);
      if (hits.size > max) hits.delete(hits.keys().next().value!);
      return true;
    },
    tracked: () => hits.size,
  };
}
