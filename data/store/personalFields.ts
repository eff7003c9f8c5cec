import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SubjectKeys } from './subjectKeys.js';

type Rec = Record<string, unknown>;

/**
 * The personal fields of each collection that holds a data subject's personal data, and whose they are.
 * In the audit log these fields are sealed under the subject's key (see SubjectKeys); the rest of the
 * record (dates, venue, status, decisions) stays readable as evidence of what was done.
 */
export const PERSONAL_FIELDS: Readonly<
  Record<string, { fields: readonly string[]; subject: (record: Rec) => string | null }>
> = {
  hirers: {
    fields: ['name', 'otherNames', 'email', 'phone', 'address'],
    subject: (r) => (typeof r.id === 'string' ? `hirers/${r.id}` : null),
  },
  bookings: {
    fields: ['eventTitle', 'purpose', 'speakers', 'screenKeys'],
    subject: (r) => (typeof r.id === 'string' ? `bookings/${r.id}` : null),
  },
  bookingScreenings: {
    fields: ['matches'],
    subject: (r) => (typeof r.bookingId === 'string' ? `bookings/${r.bookingId}` : null),
  },
  // Where an online hall-hire request's emails go: erased with the booking's personal data.
  hireRequests: {
    fields: ['contactEmail'],
    subject: (r) => (typeof r.bookingId === 'string' ? `bookings/${r.bookingId}` : null),
  },
};

/** The property a sealed record carries in the log: `{ s: subject, v: base64(iv, tag, ciphertext) }`. */
export const SEALED = '$personal';

/** What the audit page and exports show for a field whose subject's key was destroyed. */
export const ERASED = 'erased';

export interface Sealed {
  s: string;
  v: string;
}

const isRecord = (v: unknown): v is Rec => !!v && typeof v === 'object' && !Array.isArray(v);

/** Whether this collection's log entries carry sealed fields. */
export function holdsPersonalData(collection: string): boolean {
  return Object.hasOwn(PERSONAL_FIELDS, collection);
}

/** The record with its personal fields sealed under its subject's key (made if it has none yet). */
export function sealRecord(collection: string, record: unknown, keys: SubjectKeys): unknown {
  const table = PERSONAL_FIELDS[collection];
  if (!table || !isRecord(record) || Object.hasOwn(record, SEALED)) return record;
  const subject = table.subject(record);
  if (!subject) return record;
  const picked: Rec = {};
  const rest: Rec = {};
  let any = false;
  for (const [k, v] of Object.entries(record)) {
    if (table.fields.includes(k)) {
      picked[k] = v;
      any = true;
    } else rest[k] = v;
  }
  if (!any) return record;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.keyFor(subject), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(picked), 'utf8'), cipher.final()]);
  const sealed: Sealed = { s: subject, v: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  rest[SEALED] = sealed;
  return rest;
}

/** `sealRecord` over a record's JSON: the text is left as it is for collections without personal data. */
export function sealJson(collection: string, json: string, keys: SubjectKeys): string {
  if (!holdsPersonalData(collection) || json === 'null') return json;
  const record = JSON.parse(json) as unknown;
  const sealed = sealRecord(collection, record, keys);
  return sealed === record ? json : JSON.stringify(sealed);
}

/** The sealed fields, or null when the subject's key was destroyed (or the text was altered). */
export function openSealed(sealed: Sealed, keys: SubjectKeys): Rec | null {
  const key = keys.get(sealed.s);
  if (!key) return null;
  const raw = Buffer.from(sealed.v, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const parsed = JSON.parse(text) as unknown;
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * A logged record as it was written, for people reading the log: sealed fields opened, or each shown as
 * "erased" when the subject's key is gone. `erased` says which.
 */
export function unsealForReading(
  collection: string,
  record: unknown,
  keys: SubjectKeys,
): { record: unknown; erased: boolean } {
  if (!isRecord(record) || !isRecord(record[SEALED])) return { record, erased: false };
  const { [SEALED]: sealed, ...rest } = record;
  const opened = openSealed(sealed as unknown as Sealed, keys);
  // The personal fields come first: what a person reading the log looks for (the name) leads.
  if (opened) return { record: { ...opened, ...rest }, erased: false };
  const fields = PERSONAL_FIELDS[collection]?.fields ?? [];
  return { record: { ...Object.fromEntries(fields.map((f) => [f, ERASED])), ...rest }, erased: true };
}

/**
 * A logged record for replay onto the database: sealed fields opened; when the subject's key is gone
 * (retention erased them), the fields are taken from the record as it stands, which retention blanked.
 */
export function unsealForReplay(
  collection: string,
  record: Rec,
  keys: SubjectKeys,
  current: Rec | undefined,
): Rec {
  if (!isRecord(record[SEALED])) return record;
  const { [SEALED]: sealed, ...rest } = record;
  const opened = openSealed(sealed as unknown as Sealed, keys);
  if (opened) return { ...rest, ...opened };
  const subject = (sealed as unknown as Sealed).s;
  if (!current) throw new Error(`The log holds erased personal data of ${subject} that cannot be replayed`);
  const fields = PERSONAL_FIELDS[collection]?.fields ?? [];
  const keptFields = Object.fromEntries(fields.filter((f) => f in current).map((f) => [f, current[f]]));
  return { ...rest, ...keptFields };
}
