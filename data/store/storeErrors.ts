import { type CollectionName, collectionSchemas, type RecordOf } from '../dbSchema.js';

export class NotFoundError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`No ${collection} record with id ${id}`);
  }
}

/** Saving over a newer version of a record: the caller shows "changed since you opened it". */
export class ConflictError extends Error {
  constructor(
    readonly collection: string,
    readonly current: unknown,
    readonly expectedVersion: number,
    /** The form field that carries the version this record was opened at (another record's form may carry it). */
    readonly versionField = 'version',
  ) {
    super(`The ${collection} record changed since it was opened (version ${expectedVersion} expected)`);
  }
}

/** A save that names no version (or not a whole number) of the record it was opened at: bad input, not a conflict. */
export class MissingVersionError extends Error {
  constructor(readonly collection: string) {
    super(
      'The form was sent without the version of the record it was opened at, so nothing was saved. Reload the page and make your changes again.',
    );
  }
}

/** Refuses a save over another version than the one opened: MissingVersionError, or ConflictError when it changed. */
export function checkVersion(
  collection: string,
  current: { version: number },
  expectedVersion: number,
): void {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 1) throw new MissingVersionError(collection);
  if (current.version !== expectedVersion) throw new ConflictError(collection, current, expectedVersion);
}

export class ValidationError extends Error {
  constructor(
    readonly collection: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Invalid ${collection} record: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/**
 * The disk refused a write (full, read-only, failing): saving is paused until it can write again. Nothing
 * acknowledged is lost; the change asked for was not made. Pages answer 503 "saving is paused".
 */
export class SavingPausedError extends Error {
  constructor(readonly reason: string) {
    super(
      `Saving is paused because ${reason}. Nothing already saved is lost; this change was not saved. It resumes by itself once the disk can be written again.`,
    );
  }
}

/** A record checked against its collection's schema (its parsed value), or ValidationError. */
export function validateRecord<C extends CollectionName>(collection: C, value: unknown): RecordOf<C> {
  const parsed = collectionSchemas[collection].safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(
      collection,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return parsed.data as RecordOf<C>;
}
