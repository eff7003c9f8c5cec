import { type Response, Router } from 'express';
import { decisionChoices, needsBalancing, roleText, statusText } from '../../checks/bookingRules.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Booking } from '../../data/schemas/hallHireSchemas.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { type FieldErrors, saveForm } from '../errors.js';
import { BALANCING_FIELDS, type BalancingField, balancingName, readDecisionForm } from './bookingForms.js';
import { bookingOr404 } from './bookingOr404.js';
import { conditionsSheetPage } from './conditionsSheetPresenter.js';
import { decisionText, hallLabel, whenText } from './bookingPresenters.js';

/** The order the decision form's fields come in, so the error summary follows the page. */
const PAGE_ORDER = ['decision', 'conditions', ...BALANCING_FIELDS, 'rationale', 'reasonForHirer'];

/** The errors in page order, a balancing box's error pointing at the box of the chosen decision. */
function pageOrder(errors: FieldErrors, decision: string): FieldErrors {
  const out: FieldErrors = {};
  const keys = [...PAGE_ORDER, ...Object.keys(errors).filter((k) => !PAGE_ORDER.includes(k))];
  for (const key of keys) {
    const e = errors[key];
    if (!e) continue;
    const balancing = (BALANCING_FIELDS as readonly string[]).includes(key) && needsBalancing(decision);
    const id = balancing ? balancingName(decision, key as BalancingField) : key;
    out[id] = { text: e.text, href: `#${id}` };
  }
  return out;
}

/** "Approved and Approved with conditions are not offered: why", one sentence per distinct reason. */
function notOfferedText(refused: { value: string; refusal: string | null }[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const c of refused) {
    if (!c.refusal) continue;
    byReason.set(c.refusal, [...(byReason.get(c.refusal) ?? []), decisionText[c.value] ?? c.value]);
  }
  return [...byReason].map(([reason, names]) => {
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
    return `${list} ${names.length > 1 ? 'are' : 'is'} not offered. ${reason}.`;
  });
}

/** Deciding a booking, and the conditions sheet of its decision. */
export function decisionRoutes({ bookings, store }: Pick<Services, 'bookings' | 'store'>) {
  const router = Router();
  const staff = requireRole('coordinator', 'facilities');

  function renderDecisionForm(
    res: Response,
    b: Booking,
    user: User,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
  ) {
    const ctx = bookings.decisionContext(b, user);
    const choices = decisionChoices(ctx);
    const decision = String(values.decision ?? '');
    const shown = pageOrder(errors, decision);
    res.status(Object.keys(errors).length ? 400 : 200).render('pages/bookings/decision', {
      title: `Decide booking ${b.ref}`,
      b,
      hirer: bookings.hirer(b.hirerId),
      hallText: hallLabel(bookings, b.hallId),
      whenText: whenText(b),
      statusText: statusText[b.status],
      ctx,
      items: choices
        .filter((c) => c.refusal === null)
        .map((c) => ({ value: c.value, text: decisionText[c.value], balancing: needsBalancing(c.value) })),
      // Choices the rules forbid here are not offered; the page says why (a coordinator is never
      // offered "refer", which needs no explaining).
      notOffered: notOfferedText(choices.filter((c) => c.refusal !== null && c.value !== 'referred')),
      balancingName,
      matches: bookings.openMatches(b).map((m) => ({ ...m, roleText: roleText[m.role] })),
      values,
      errors: shown,
      hasErrors: Object.keys(errors).length > 0,
      backLink: { href: `/bookings/${b.id}`, text: `Back to booking ${b.ref}` },
    });
  }

  router.get(
    '/bookings/:id/decision',
    staff((req, res) => {
      const b = bookingOr404(bookings, req.params.id);
      bookings.assertMay(req.user, 'decide', b);
      renderDecisionForm(res, b, req.user, { version: b.version });
    }),
  );

  router.post(
    '/bookings/:id/decision',
    staff(async (req, res) => {
      const b = bookingOr404(bookings, req.params.id);
      // The service refuses (403) who may not decide, after recognising the same page sent twice.
      const { values, input } = readDecisionForm(req.body);
      const saved = await saveForm(async () => {
        const d = await bookings.decide(req.user, b.id, input);
        req.session.flash = { text: `Decision recorded: ${decisionText[d.decision]}` };
        res.redirect(303, `/bookings/${b.id}`);
      });
      if (!saved.ok) {
        renderDecisionForm(res, b, req.user, values, saved.errors);
      }
    }),
  );

  router.get('/bookings/:id/conditions', staff, (req, res) => {
    const old = bookings.get(String(req.params.id))
      ? undefined
      : bookings.archived.find(String(req.params.id));
    const b = old?.booking ?? bookingOr404(bookings, req.params.id);
    const d = b.decisionId
      ? (old?.decisions.find((x) => x.id === b.decisionId) ?? store.get('bookingDecisions', b.decisionId))
      : undefined;
    const { view, locals } = conditionsSheetPage({
      booking: b,
      decision: d ?? null,
      hirer: bookings.hirer(b.hirerId),
      hallText: hallLabel(bookings, b.hallId),
      whenText: whenText(b),
    });
    res.render(view, locals);
  });

  return router;
}
