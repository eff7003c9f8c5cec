import { isValidIsoDate } from '../../checks/londonDates.js';

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
