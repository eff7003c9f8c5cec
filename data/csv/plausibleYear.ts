/**
 * Years a date in an import can plausibly have, by what it dates. A four-digit year is not enough: 0000,
 * 1900 or 9999 in a booking or a training record is a typing or export error, and taking it would put a
 * booking nine thousand years out or a record beyond every due date. Schools and libraries can be old.
 */
export const PLAUSIBLE_YEARS = {
  /** A hall booking's start and end. */
  event: { from: 2000, to: 2099, what: 'a booking' },
  /** When someone completed training, or a name was listed. */
  record: { from: 1990, to: 2099, what: 'this record' },
  /** When a school or library opened, closed or became statutory. */
  establishment: { from: 1800, to: 2099, what: 'a school or library' },
} as const;

/** Why `year` is not plausible for what it dates (to report with its row and column), or null. */
export function implausibleYear(year: number, kind: keyof typeof PLAUSIBLE_YEARS): string | null {
  const range = PLAUSIBLE_YEARS[kind];
  if (year >= range.from && year <= range.to) return null;
  return `the year ${String(year).padStart(4, '0')} is not plausible for ${range.what}: give a year from ${range.from} to ${range.to}`;
}
