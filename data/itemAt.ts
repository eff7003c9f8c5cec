/**
 * The item at an index the code has already bounded (a loop counter below the length, a column found in the
 * header). Under `noUncheckedIndexedAccess` such a read is typed as possibly missing; this says it cannot be,
 * and throws a clear error if that ever proves wrong rather than carrying an undefined along.
 */
export function itemAt<T>(items: ArrayLike<T>, index: number): T {
  const item = items[index];
  if (item === undefined) {
    throw new Error(`Internal error: expected an item at index ${index} of ${items.length}, found none.`);
  }
  return item;
}
