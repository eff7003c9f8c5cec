interface Batch<T> {
  items: T[];
  done: Promise<void>;
}

/**
 * Groups appends to the log: items queued while one group is written go out together in the next, one
 * group at a time. An item can close its group (`closes`), so the group after it waits for it to finish.
 */
export class AppendQueue<T> {
  private open: Batch<T> | null = null;
  /** Settles when the last group queued so far is written (or has failed). */
  last: Promise<void> = Promise.resolve();

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  /** Whether no group is waiting for more items. */
  get idle(): boolean {
    return this.open === null;
  }

  push(item: T, closes = false): Promise<void> {
    let batch = this.open;
    if (!batch) {
      const items: T[] = [];
      const started = this.last.catch(() => {});
      const done = started.then(() => {
        if (this.open === created) this.open = null;
        return this.write(items);
      });
      const created: Batch<T> = { items, done };
      batch = created;
      this.open = batch;
      this.last = done;
    }
    batch.items.push(item);
    if (closes) this.open = null;
    return batch.done;
  }
}
