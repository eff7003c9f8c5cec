/**
 * Filtered, sorted rows kept for the data revision they were made from, so paging through a list (or
 * downloading it) sorts once rather than on every page. Any change to the store bumps the revision and
 * empties the cache, so it is never stale; at most `max` lists are kept (the oldest made goes first).
 *
 *   const cached = createListCache(() => store.revision);
 *   const sorted = cached(`bookings ${user.id} ${today} ${JSON.stringify(filter)} ${sort} ${dir}`, () => …);
 */
export function createListCache(revision: () => number, max = 32) {
  let at = Number.NaN;
  const lists = new Map<string, readonly unknown[]>();
  return function cached<R>(key: string, make: () => readonly R[]): readonly R[] {
    const now = revision();
    if (now !== at) {
      lists.clear();
      at = now;
    }
    const hit = lists.get(key);
    if (hit) return hit as readonly R[];
    const rows = make();
    if (lists.size >= max) {
      const oldest = lists.keys().next();
      if (!oldest.done) lists.delete(oldest.value);
    }
    lists.set(key, rows);
    return rows;
  };
}

export type ListCache = ReturnType<typeof createListCache>;
