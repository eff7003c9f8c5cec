import { collectionSchemas } from '../dbSchema.js';

/**
 * Each record's JSON as last written to the log, reused to write the database file: a snapshot costs a
 * concatenation, not a serialisation of every record.
 */
export class RecordJson {
  private readonly json = new WeakMap<object, string>();

  set(record: object, json: string): void {
    this.json.set(record, json);
  }

  /** Forgets a record's JSON (its change was undone): it is serialised afresh when next needed. */
  forget(record: object): void {
    this.json.delete(record);
  }

  /** A record's JSON as last committed. */
  of(record: object, remember = false): string {
    let text = this.json.get(record);
    if (text === undefined) {
      text = JSON.stringify(record);
      if (remember) this.json.set(record, text);
    }
    return text;
  }

  /** The database as JSON, records from their JSON as last logged. */
  serialize(data: object): string {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(data)) {
      if (value === undefined) continue;
      if (Array.isArray(value) && key in collectionSchemas) {
        const items = new Array<string>(value.length);
        for (let i = 0; i < value.length; i++) items[i] = this.of(value[i], true);
        parts.push(`${JSON.stringify(key)}:[${items.join(',')}]`);
      } else {
        parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
      }
    }
    return `{${parts.join(',')}}`;
  }
}
