import { HttpError } from '../errors.js';
import { isValidIsoDate } from '../../checks/londonDates.js';
import { str } from './formHelpers.js';

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
