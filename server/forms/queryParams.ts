import { HttpError } from '../errors.js';
import { isValidIsoDate } from '../../checks/londonDates.js';
import { capitalise, type DateParts, readDateInput, str } from './formHelpers.js';

/** A query string value that cannot be used: answered 400, naming the parameter (page or JSON). */
export class QueryParamError extends HttpError {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(400, message);
  }
}

/**
 * A date from the query string (`?as_of=2026-03-14`): `fallback` when absent or blank, else a real ISO
 * date, else a 400 that names the parameter. Never a 500, and never a value the route did not check.
 */
export function queryDate(query: unknown, name: string, fallback: string): string {
  const raw = (query as Record<string, unknown> | undefined)?.[name];
  if (raw === undefined || raw === '') return fallback;
  const value = str(query as Record<string, unknown>, name);
  if (typeof raw === 'string' && isValidIsoDate(value)) return value;
  throw new QueryParamError(name, `The ${name} parameter must be a real date like 2026-03-14`);
}

/** A GOV.UK date input sent in the query string that is not a date: the page shows it again with the error. */
export class DateInputQueryError extends QueryParamError {
  constructor(
    readonly prefix: string,
    readonly parts: DateParts,
    message: string,
  ) {
    super(prefix, message);
  }
}

/**
 * A date asked for in the query string as a GOV.UK date input (`asOf-day`, `asOf-month`, `asOf-year`),
 * or as one ISO date under the input's own name (`asOf=2026-03-14`), read by the one date reader
 * (`readDateInput`). `fallback` when none is sent; else the ISO date, or a DateInputQueryError (400)
 * keeping what was typed. Anything but an ISO date under the bare name (`asOf=07/12/2026`) is refused.
 */
export function queryDateInput(query: unknown, prefix: string, label: string, fallback: string): string {
  const q = (query ?? {}) as Record<string, unknown>;
  const partsSent = ['day', 'month', 'year'].some((p) => q[`${prefix}-${p}`] !== undefined);
  if (!partsSent) {
    if (q[prefix] === undefined || q[prefix] === '') return fallback;
    const value = str(q, prefix);
    if (typeof q[prefix] === 'string' && isValidIsoDate(value)) return value;
    const typed = { day: '', month: '', year: '' };
    throw new DateInputQueryError(prefix, typed, `${capitalise(label)} must be a real date`);
  }
  const read = readDateInput(q, prefix, label, false);
  if (read.error) throw new DateInputQueryError(prefix, read.parts, read.error);
  return read.iso ?? fallback;
}
