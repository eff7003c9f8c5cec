import { isValidIsoDate } from '../../checks/londonDates.js';
import type { FieldErrors } from '../errors.js';

export type Body = Record<string, unknown>;

/** A trimmed string field ('' when missing or not a string). */
export function str(body: Body | undefined, name: string): string {
  const v = body?.[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0].trim() : '';
  return typeof v === 'string' ? v.trim() : '';
}

export function strs(body: Body | undefined, name: string): string[] {
  const v = body?.[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** The GOV.UK date input's three fields: an ISO date, or an error message naming what is wrong. */
export function readDateInput(
  body: Body | undefined,
  prefix: string,
  label: string,
  required = true,
): { iso: string | null; parts: DateParts; error: string | null } {
  const parts = {
    day: str(body, `${prefix}-day`),
    month: str(body, `${prefix}-month`),
    year: str(body, `${prefix}-year`),
  };
  if (!parts.day && !parts.month && !parts.year) {
    return { iso: null, parts, error: required ? `Enter ${label}` : null };
  }
  if (!parts.day || !parts.month || !parts.year) {
    const missing = (['day', 'month', 'year'] as const).filter((k) => !parts[k]).join(' and ');
    return { iso: null, parts, error: `${capitalise(label)} must include a ${missing}` };
  }
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
    return { iso: null, parts, error: `${capitalise(label)} must be a real date` };
  }
  const iso = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
  if (!isValidIsoDate(iso)) return { iso: null, parts, error: `${capitalise(label)} must be a real date` };
  return { iso, parts, error: null };
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Errors in the order their fields come on the page, so the error summary reads down the form. `order`
 * names the fields; an entry ending in `*` stands for every field starting so (`speaker-*`), numbered
 * items in number order. Fields not named come last, as they were.
 */
export function inPageOrder(errors: FieldErrors, order: readonly string[]): FieldErrors {
  const matches = (field: string, key: string) =>
    field.endsWith('*') ? key.startsWith(field.slice(0, -1)) : field === key;
  const rank = (key: string) => {
    for (const [i, field] of order.entries()) if (matches(field, key)) return i;
    return order.length;
  };
  const itemNumber = (key: string) => Number(/\d+/.exec(key)?.[0] ?? 0);
  const sorted = Object.entries(errors)
    .map(([key, e], at) => ({ key, e, at }))
    .sort((a, b) => rank(a.key) - rank(b.key) || itemNumber(a.key) - itemNumber(b.key) || a.at - b.at);
  return Object.fromEntries(sorted.map(({ key, e }) => [key, e]));
}
