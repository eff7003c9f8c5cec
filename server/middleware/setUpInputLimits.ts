import { itemAt } from '../../data/itemAt.js';
import type { NextFunction, Request, Response } from 'express';
import { tooLongFields, tooLongMessage } from '../../checks/limits.js';
import { fieldLabels, humanise } from '../forms/fieldLabels.js';

/**
 * A field's label when every form that has the field labels it alike; else (the same name on forms
 * of different things, like "name") its name in words, so the message never names another form's field.
 */
function labelOf(field: string): string {
  const labels = new Set<string>();
  for (const byField of Object.values(fieldLabels)) if (byField[field]) labels.add(byField[field]);
  const [only] = labels;
  return labels.size === 1 && only ? only : humanise(field);
}

/** The page the form was on, when it was on this site (never a link elsewhere). */
function sameSitePath(req: Request): string | null {
  try {
    const from = new URL(req.get('referer') ?? '');
    return from.host === req.get('host') ? `${from.pathname}${from.search}` : null;
  } catch {
    return null;
  }
}

/**
 * Every form field and JSON property is bounded (checks/limits.ts, SPEC §10): a request with a longer
 * value is refused here, before any route reads it, with the field named — a GOV.UK error page, or JSON
 * for /api/*. Nothing is saved and no work is done on the value, so a hostile field costs one pass.
 * Paths in `checkedByRoute` answer with their own form (the sign-in page shows its own field errors).
 */
export function setUpInputLimits(opts: { checkedByRoute?: readonly string[] } = {}) {
  const own = new Set(opts.checkedByRoute ?? []);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.body || own.has(req.path)) return next();
    const tooLong = tooLongFields(req.body);
    if (tooLong.length === 0) return next();
    const errors = tooLong.map(({ field, limit }) => ({
      field,
      text: tooLongMessage(labelOf(field), limit),
    }));
    if (req.originalUrl.startsWith('/api/')) {
      return res.status(400).json({ error: itemAt(errors, 0).text, fields: errors.map((e) => e.field) });
    }
    res.status(400).render('pages/errors/inputTooLong', {
      title: 'There is a problem',
      errors: errors.map((e) => ({ text: e.text })),
      backHref: sameSitePath(req),
    });
  };
}
