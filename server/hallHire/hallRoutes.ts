import { type Response, Router } from 'express';
import { str } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { type FieldErrors, saveForm, notFound } from '../errors.js';
import { readVersion } from './bookingForms.js';

/** Halls, managed from the premises page. */
export function hallRoutes({ bookings, premises }: Pick<Services, 'bookings' | 'premises'>) {
  const router = Router();
  const staff = requireRole('coordinator', 'facilities');

  function renderHallForm(
    res: Response,
    opts: {
      premisesId: string;
      hallId?: string;
      values: Record<string, unknown>;
      errors?: FieldErrors;
      version?: number;
    },
    status = 200,
  ) {
    const p = premises.get(opts.premisesId);
    if (!p) throw notFound();
    const errors = opts.errors ?? {};
    res.status(status).render('pages/bookings/hallForm', {
      title: opts.hallId ? `Change hall at ${p.name}` : `Add a hall to ${p.name}`,
      p,
      values: opts.values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      action: opts.hallId ? `/halls/${opts.hallId}` : `/premises/${p.id}/halls`,
      version: opts.version ?? null,
      editing: Boolean(opts.hallId),
      backLink: { href: `/premises/${p.id}`, text: `Back to ${p.name}` },
    });
  }

  router.get('/premises/:id/halls/new', staff, (req, res) => {
    renderHallForm(res, { premisesId: String(req.params.id), values: {} });
  });

  router.post(
    '/premises/:id/halls',
    staff(async (req, res) => {
      const premisesId = String(req.params.id);
      const input = {
        name: str(req.body, 'hallName'),
        capacity: str(req.body, 'capacity'),
        bookableOnline: str(req.body, 'bookableOnline') === 'yes',
      };
      const saved = await saveForm(async () => {
        const hall = await bookings.addHall(req.user.email, premisesId, input);
        req.session.flash = { text: `${hall.name} was added` };
        res.redirect(303, `/premises/${premisesId}`);
      });
      if (!saved.ok) {
        renderHallForm(
          res,
          {
            premisesId,
            values: { ...input, bookableOnline: input.bookableOnline ? 'yes' : '' },
            errors: saved.errors,
          },
          400,
        );
      }
    }),
  );

  router.get('/halls/:id/edit', staff, (req, res) => {
    const hall = bookings.hall(String(req.params.id));
    if (!hall) throw notFound();
    renderHallForm(res, {
      premisesId: hall.premisesId,
      hallId: hall.id,
      values: {
        name: hall.name,
        capacity: hall.capacity ?? '',
        archived: hall.archived ? 'yes' : '',
        bookableOnline: hall.bookableOnline ? 'yes' : '',
      },
      version: hall.version,
    });
  });

  router.post(
    '/halls/:id',
    staff(async (req, res) => {
      const hall = bookings.hall(String(req.params.id));
      if (!hall) throw notFound();
      const input = {
        name: str(req.body, 'hallName'),
        capacity: str(req.body, 'capacity'),
        archived: str(req.body, 'archived') === 'yes',
        bookableOnline: str(req.body, 'bookableOnline') === 'yes',
      };
      const version = readVersion(req.body);
      const saved = await saveForm(async () => {
        await bookings.updateHall(req.user.email, hall.id, input, version);
        req.session.flash = { text: `${input.name} was updated` };
        res.redirect(303, `/premises/${hall.premisesId}`);
      });
      if (!saved.ok) {
        renderHallForm(
          res,
          {
            premisesId: hall.premisesId,
            hallId: hall.id,
            values: {
              ...input,
              archived: input.archived ? 'yes' : '',
              bookableOnline: input.bookableOnline ? 'yes' : '',
            },
            errors: saved.errors,
            version,
          },
          400,
        );
      }
    }),
  );

  return router;
}
