import { createHash } from 'node:crypto';

/**
 * What an edit form showed of a record, as a fingerprint carried in a hidden field (`shown`) beside its
 * version. A record's version also moves for changes no form shows (a sign-in's counters on a user), and
 * refusing a save for those would show the person a "changed since you opened it" page with nothing on it.
 */
export function shownFingerprint(shown: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(shown)).digest('base64url').slice(0, 22);
}

/**
 * The version to save over: the current one when nothing the form showed has changed since it was opened
 * (its fingerprint still matches), else the version it was opened at, so the store refuses the save and
 * the person sees what changed. A form without the fingerprint is checked on its version alone.
 */
export function versionToSaveOver(
  current: { version: number },
  openedVersion: number,
  shownWhenOpened: string | undefined,
  shownNow: Record<string, unknown>,
): number {
  if (current.version === openedVersion || !shownWhenOpened) return openedVersion;
  return shownFingerprint(shownNow) === shownWhenOpened ? current.version : openedVersion;
}
