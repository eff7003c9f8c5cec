import { type Response, Router } from 'express';
import { roleText, statusText } from '../../checks/bookingRules.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import { type Booking, decisionValues } from '../../data/schemas/hallHireSchemas.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { type FieldErrors, saveForm } from '../errors.js';
import { readDecisionForm } from './bookingForms.js';
import { bookingOr404 } from './bookingOr404.js';
import { conditionsSheetPage } from './conditionsSheetPresenter.js';
import { decisionText, hallLabel, whenText } from './bookingPresenters.js';

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
    const coordinator = user.role === 'coordinator';
    res.status(Object.keys(errors).length ? 400 : 200).render('pages/bookings/decision', {
      title: `Decide booking ${b.ref}`,
      b,
      hirer: bookings.hirer(b.hirerId),
      hallText: hallLabel(bookings, b.hallId),
      whenText: whenText(b),
      statusText: statusText[b.status],
      ctx: bookings.decisionContext(b, user),
      items: decisionValues
        .filter((d) => !(coordinator && d === 'referred'))
        .map((d) => ({ value: d, text: decisionText[d] })),
      matches: bookings.openMatches(b).map((m) => ({ ...m, roleText: roleText[m.role] })),
      values,
      errors,
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
