import { isEmailAddress, TEXT_LIMITS, type TextKind } from '../data/schemas/textLimits.js';

/**
 * Field limits (SPEC §10): one table saying how long each form field, JSON property and CSV cell may be.
 * Longer input is refused with the field's error, never truncated. Forms, JSON bodies
 * (server/middleware/setUpInputLimits.ts) and the CSV readers (data/csv/parseTable.ts) all read it.
 */
export { isEmailAddress, TEXT_LIMITS, type TextKind };

/** The same table under the names the public hire forms use (server/public/hireForms.ts). */
export const LIMITS = TEXT_LIMITS;
export type LimitKind = TextKind;

/** Form fields whose kind their name does not give away (see `fieldKind` for the rules by name). */
export const FIELD_KINDS: Readonly<Record<string, TextKind>> = {
  organisation: 'name',
  hallName: 'name',
  role: 'name',
  ref: 'reference',
  reference: 'reference',
  urn: 'reference',
  uprn: 'reference',
  charityNumber: 'reference',
  companyNumber: 'reference',
  postcode: 'reference',
  password: 'password',
  current: 'password',
  confirm: 'password',
  startTime: 'short',
  endTime: 'short',
  capacity: 'short',
  expectedAttendance: 'short',
  version: 'short',
};

/** The kind of a form field or JSON property, by its name: the table first, then the naming habits. */
export function fieldKind(field: string): TextKind {
  const known = FIELD_KINDS[field];
  if (known) return known;
  if (/email/i.test(field)) return 'email';
  if (/phone/i.test(field)) return 'phone';
  if (/-(day|month|year)$/.test(field)) return 'short';
  if (/(^|-)names?$/i.test(field) || /[a-z]Name$/.test(field)) return 'name';
  if (/(^|[a-z])Ref$/.test(field)) return 'reference';
  return 'freeText';
}

export const fieldLimit = (field: string): number => TEXT_LIMITS[fieldKind(field)];

export interface TooLong {
  field: string;
  limit: number;
}

/**
 * Every field of a parsed form or JSON body longer than its limit (each value of a repeated field, and
 * strings nested in JSON objects and arrays, under the top-level name). One pass over the body.
 */
export function tooLongFields(body: unknown): TooLong[] {
  const out: TooLong[] = [];
  if (!body || typeof body !== 'object') return out;
  const visit = (field: string, value: unknown, limit: number, depth: number): boolean => {
    if (typeof value === 'string') return value.length > limit;
    if (depth > 8 || !value || typeof value !== 'object') return false;
    for (const v of Object.values(value as Record<string, unknown>))
      if (visit(field, v, limit, depth + 1)) return true;
    return false;
  };
  for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
    const limit = fieldLimit(field);
    if (visit(field, value, limit, 0)) out.push({ field, limit });
  }
  return out;
}

/** "Email address must be 254 characters or fewer" — the GOV.UK wording for a too-long field. */
export function tooLongMessage(label: string, limit: number): string {
  return `${label} must be ${limit.toLocaleString('en-GB')} characters or fewer`;
}

/** The message for `value` in a field of `kind`, or null when it fits. */
export function lengthProblem(label: string, value: string, kind: TextKind): string | null {
  const limit = TEXT_LIMITS[kind];
  return value.length > limit ? tooLongMessage(label, limit) : null;
}

/** Caps for name matching (checks/nameMatching.ts): a name longer than a field can hold is refused first. */
export const NAME_MATCH_LIMITS = { chars: TEXT_LIMITS.freeText, words: 100 } as const;
