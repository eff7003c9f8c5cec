import type { ZodError } from 'zod';

/** Problems with a form's fields, keyed by field, in the GOV.UK error summary's shape. */
export type FieldErrors = Record<string, { text: string; href: string }>;

/** Refused input (400): the form is shown again with these errors; nothing was changed. */
export class InputError extends Error {
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors)[0]?.text ?? 'Invalid input');
  }
}

/** A request answered with a status and a plain message (403, 404, 409…). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const forbidden = () => new HttpError(403, 'You do not have access to this page');
export const notFound = () => new HttpError(404, 'Page not found');
/** A change refused because of the record's state, not the input (e.g. already decided). */
export const conflict = (message: string) => new HttpError(409, message);

/** What a form's save came to: done, or refused with the errors to show on the form again. */
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/**
 * Runs a form's save. Refused input comes back as its field errors, for the route to show the form again
 * with status 400; any other error is thrown on to the one error handler.
 */
export async function saveForm<T>(save: () => Promise<T> | T): Promise<FormResult<T>> {
  try {
    return { ok: true, value: await save() };
  } catch (err) {
    if (err instanceof InputError) return { ok: false, errors: err.errors };
    throw err;
  }
}

/**
 * The one mapping from a zod form schema's problems to GOV.UK field errors: the first message for each
 * field, linked to the input of the same name (or to `hrefs[field]` when the input is named otherwise).
 */
export function fieldErrorsOf(error: ZodError, hrefs: Record<string, string> = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= { text: issue.message, href: hrefs[field] ?? `#${field}` };
  }
  return errors;
}
