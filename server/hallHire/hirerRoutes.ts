import { type Response, Router } from 'express';
import { listPage, readQuery, sendListCsv, sortRows } from '../lists/list.js';
import { filterText } from '../lists/listQuery.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { type FieldErrors, saveForm, notFound } from '../errors.js';
import {
  changedList,
  listChange,
  MAX_OTHER_NAMES,
  readHirerForm,
  readOtherNameRows,
  readVersion,
} from './bookingForms.js';
import { hirerBookingRows } from './bookingPresenters.js';
import {
  HIRERS,
  type HirerRow,
  hirerNameText,
  hirerWords,
  lastEventText,
  numbersText,
} from './hirerListPresenters.js';

/** A hirer's page, their details form and (coordinator only) everything held about them as JSON. */
export function hirerRoutes({
  bookings,
  store,
  hirerExport,
}: Pick<Services, 'bookings' | 'store' | 'hirerExport'>) {
  const router = Router();
  const staff = requireRole('coordinator', 'facilities');

  router.get(
    '/hirers',
    staff((req, res) => {
      const query = readQuery(req.query, HIRERS);
      const words = filterText(req.query, 'q', query.notices).toLowerCase();
      const counts = new Map<string, number>();
      for (const b of store.list('bookings')) counts.set(b.hirerId, (counts.get(b.hirerId) ?? 0) + 1);
      const rows = store
        .list('hirers')
        .filter((h) => !words || hirerWords(h).includes(words))
        .map((h): HirerRow => ({ hirer: h, bookings: counts.get(h.id) ?? 0 }));
      const sorted = sortRows(rows, HIRERS.columns, query);
      if (query.csv) return sendListCsv(res, HIRERS, sorted);
      const list = listPage(HIRERS, sorted, query, { q: words });
      res.render('pages/bookings/hirers', {
        title: 'Hirers',
        q: words,
        list,
        rows: list.rows.map((r) => ({
          ...r,
          nameText: hirerNameText(r),
          numbersText: numbersText(r),
          lastEventText: lastEventText(r),
        })),
        backLink: { href: '/bookings', text: 'Back to bookings' },
      });
    }),
  );

  router.get(
    '/hirers/:id',
    staff((req, res) => {
      const hirer = bookings.hirer(String(req.params.id));
      if (!hirer) throw notFound();
      res.render('pages/bookings/hirer', {
        title: hirer.personalDataRemoved ? 'Hirer (details removed)' : hirer.name,
        hirer,
        mayExport: req.user.role === 'coordinator',
        // The change link only for whoever may change the hirer; otherwise the reason (SPEC §10).
        editPermission: bookings.hirerPermissionFor(req.user, hirer.id),
        rows: hirerBookingRows({ bookings, store }, hirer.id),
        backLink: { href: '/bookings', text: 'Back to bookings' },
      });
    }),
  );

  // Everything held about one hirer, as a JSON download (coordinator only); the export is audited.
  router.get(
    '/hirers/:id/export',
    requireRole('coordinator')(async (req, res) => {
      const data = await hirerExport.exportHirer(String(req.params.id), req.user.email);
      if (!data) throw notFound();
      const day = data.exportedAt.slice(0, 10);
      res
        .status(200)
        .type('application/json; charset=utf-8')
        .set(
          'Content-Disposition',
          `attachment; filename="hirer-${data.hirer.id.replace(/[^A-Za-z0-9-]/g, '')}-${day}.json"`,
        )
        .set('Cache-Control', 'no-store')
        .send(`${JSON.stringify(data, null, 2)}\n`);
    }),
  );

  function renderHirerForm(
    res: Response,
    hirerId: string,
    values: Record<string, unknown>,
    version: number,
    errors: FieldErrors = {},
    /** The other names as rows (add-another); from `values.otherNames` when not given. */
    otherNameRows?: string[],
  ) {
    const rows = otherNameRows ?? String(values.otherNames ?? '').split('\n');
    res.status(Object.keys(errors).length ? 400 : 200).render('pages/bookings/hirerForm', {
      title: 'Change hirer details',
      hirerId,
      values,
      otherNameRows: rows.length > 0 ? rows : [''],
      canAddOtherName: rows.length < MAX_OTHER_NAMES,
      version,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      backLink: { href: `/hirers/${hirerId}`, text: 'Back to the hirer' },
    });
  }

  router.get(
    '/hirers/:id/edit',
    staff((req, res) => {
      const h = bookings.hirer(String(req.params.id));
      if (!h || h.personalDataRemoved) throw notFound();
      bookings.assertMayEditHirer(req.user, h.id);
      renderHirerForm(
        res,
        h.id,
        {
          hirerName: h.name,
          organisation: h.organisation ?? '',
          otherNames: h.otherNames.join('\n'),
          charityNumber: h.charityNumber ?? '',
          companyNumber: h.companyNumber ?? '',
          hirerEmail: h.email ?? '',
          hirerPhone: h.phone ?? '',
          hirerAddress: h.address ?? '',
        },
        h.version,
      );
    }),
  );

  router.post(
    '/hirers/:id',
    staff(async (req, res) => {
      const h = bookings.hirer(String(req.params.id));
      if (!h || h.personalDataRemoved) throw notFound();
      const input = readHirerForm(req.body);
      const version = readVersion(req.body);
      const rows = readOtherNameRows(req.body);
      const change = listChange(req.body);
      if (change?.list === 'otherName') {
        bookings.assertMayEditHirer(req.user, h.id);
        const changed = changedList(rows, change, '', MAX_OTHER_NAMES);
        return renderHirerForm(res, h.id, input, version, {}, changed);
      }
      const saved = await saveForm(async () => {
        const { reset } = await bookings.updateHirer(req.user, h.id, input, version);
        req.session.flash = {
          text: reset.length
            ? `The hirer’s details were updated. Their names changed, so these bookings need their checks again: ${reset.join(', ')}`
            : 'The hirer’s details were updated',
        };
        res.redirect(303, `/hirers/${h.id}`);
      });
      if (!saved.ok) {
        renderHirerForm(res, h.id, input, version, saved.errors, rows);
      }
    }),
  );

  return router;
}
