const KINDS = [
  'premises',
  'review',
  'action',
  'school',
  'lead',
  'lead2',
  'training',
  'training2',
  'school-review',
  'library',
  'library-review',
  'hall',
  'hirer',
  'booking',
  'booking-review',
  'watchlist',
  'watchlist-entry',
] as const;

/**
 * A generated record's id, shaped like the UUIDs the store gives records (so lookups hash strings of the
 * real length), unique per kind and number and the same on every run.
 */
export function benchId(kind: (typeof KINDS)[number], n: number): string {
  const k = KINDS.indexOf(kind).toString(16).padStart(8, '0');
  return `${k}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * A list filled as the store fills its collections when it loads its file: records pass through JSON (in
 * batches, so the generator's own objects die young), so every string is a flat one parsed from JSON.
 * Strings built by concatenation are ropes, which made the generated data slower to work on than real data.
 */
export function loadedList<T>(batch = 10_000) {
  const out: T[] = [];
  let pending: T[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    for (const r of JSON.parse(JSON.stringify(pending)) as T[]) out.push(r);
    pending = [];
  };
  return {
    push(record: T): void {
      pending.push(record);
      if (pending.length >= batch) flush();
    },
    done(): T[] {
      flush();
      return out;
    },
  };
}

/** As loadedList, for records already written as JSON text (the quickest way to make a million). */
export function loadedJsonList<T>(batch = 10_000) {
  const out: T[] = [];
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    for (const r of JSON.parse(`[${pending.join(',')}]`) as T[]) out.push(r);
    pending = [];
  };
  return {
    push(json: string): void {
      pending.push(json);
      if (pending.length >= batch) flush();
    },
    done(): T[] {
      flush();
      return out;
    },
  };
}
