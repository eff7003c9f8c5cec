import { byFirstSegment } from '../routes/pathGuard.js';
import { areaReaders } from '../../checks/permissions.js';
import { type NextFunction, type Request, type Response, Router } from 'express';
import { statusText } from '../../checks/bookingRules.js';
import type { FlagRule } from '../../checks/flags/flagTypes.js';
import { type Booking, bookingStatuses } from '../../data/schemas/hallHireSchemas.js';
import { type DateParts, inPageOrder, str } from '../forms/formHelpers.js';
import { shownFingerprint } from '../forms/shownFields.js';
import { hrefOf, listPage, readQuery, sendListCsv, sortRows } from '../lists/list.js';
import { createListCache } from '../lists/listCache.js';
import { filterText } from '../lists/listQuery.js';
import { escapeHtml } from '../escapeHtml.js';
import { createPageCache } from '../middleware/setUpViews.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { type FieldErrors, saveForm, notFound } from '../errors.js';
import { ArchivedBookingError } from './bookingArchive.js';
import {
  BOOKING_PAGE_ORDER,
  changedList,
  type ListChange,
  listChange,
  MAX_OTHER_NAMES,
  MAX_SPEAKERS,
  readBookingForm,
  readVersion,
} from './bookingForms.js';

import { bookingOr404 } from './bookingOr404.js';
import {
  archivedBookingPage,
  bookingFormValues,
  bookingPage,
  statusColour,
  whenText,
} from './bookingPresenters.js';
import type { SpeakerInput } from './bookingValidation.js';
import { BOOKINGS, type BookingRow, flagsText, hirerText, whereText } from './bookingListPresenters.js';
import { bookingFormShows } from './bookingService.js';
import { decisionRoutes } from './decisionRoutes.js';
import { hallRoutes } from './hallRoutes.js';
import { hirerRoutes } from './hirerRoutes.js';

const BLANK_SPEAKER: SpeakerInput = { name: '', aliases: '', affiliation: '' };

/** The booking form's repeating lists after an "Add another" or "Remove". */
function withListChange(speakers: SpeakerInput[], otherNameRows: string[], change: ListChange) {
  return change.list === 'speaker'
    ? { speakers: changedList(speakers, change, BLANK_SPEAKER, MAX_SPEAKERS), otherNameRows }
    : { speakers, otherNameRows: changedList(otherNameRows, change, '', MAX_OTHER_NAMES) };
}

/** Hall hire: halls, bookings, decisions and hirers. */
export function bookingRoutes(services: Services) {
  const { bookings, premises, flags } = services;
  const cachedList = createListCache(() => services.store.revision);
  const sendPage = createPageCache({ enabled: services.config.production });
  const router = Router();
  const staff = requireRole(...areaReaders.bookings);

  router.use(byFirstSegment(hallRoutes(services)));

  router.get(
    '/bookings',
    staff((req, res) => {
      const today = flags.today();
      const notices: string[] = [];
      const filter = {
        status: bookingStatuses.includes(str(req.query, 'status') as never) ? str(req.query, 'status') : '',
        q: filterText(req.query, 'q', notices),
        premisesId: str(req.query, 'premises'),
        building: filterText(req.query, 'building', notices),
        when: ['upcoming', 'past', 'all'].includes(str(req.query, 'when'))
          ? str(req.query, 'when')
          : 'upcoming',
        mine: str(req.query, 'mine') === 'yes' ? 'yes' : '',
        archived: str(req.query, 'archived') === 'yes' ? 'yes' : '',
        origin: str(req.query, 'origin') === 'online' ? 'online' : '',
      };
      const spec =
        filter.when === 'past'
          ? { ...BOOKINGS, defaultSort: { sort: 'when', dir: 'desc' as const } }
          : BOOKINGS;
      const query = readQuery(req.query, spec);
      query.notices.push(...notices);
      const listKey = `bookings ${req.user.id} ${today} ${JSON.stringify(filter)} ${query.sort} ${query.dir}`;
      const sortedRows = () =>
        cachedList(listKey, () => {
          const flagged = new Map<string, FlagRule[]>();
          for (const f of flags.forUser(req.user, today)) {
            if (f.subject.type === 'booking')
              flagged.set(f.subject.id, [...(flagged.get(f.subject.id) ?? []), f.rule]);
          }
          const rows = bookings
            .list(filter, req.user, today)
            .map((r): BookingRow => ({ ...r, flags: flagged.get(r.booking.id) ?? [] }));
          return sortRows(rows, spec.columns, query);
        });
      if (query.csv) return sendListCsv(res, spec, sortedRows());
      // Kept whole until the data changes, as the dashboard is: paging through a long list stays cheap.
      const pageKey = `${listKey} ${query.page} ${query.notices.join(' ')}`;
      return sendPage(res, 'pages/bookings/list', 'Bookings', pageKey, services.store.revision, () => {
        const { premisesId, ...rest } = filter;
        const list = listPage(spec, sortedRows(), query, { ...rest, premises: premisesId });
        return {
          filter,
          list,
          rows: list.rows.map((r) => ({
            ...r,
            whenText: whenText(r.booking),
            statusText: statusText[r.booking.status],
            statusColour: statusColour[r.booking.status],
            whereText: whereText(r),
            hirerText: hirerText(r),
            flagsText: flagsText(r),
          })),
          statuses: bookingStatuses.map((s) => ({ value: s, text: statusText[s] })),
          onlyAt: filter.premisesId ? (premises.get(filter.premisesId)?.name ?? 'an unknown building') : null,
          allBuildingsHref: hrefOf(spec.path, rest, {}),
          escapeHtml,
          escapeAttr: escapeHtml,
        };
      });
    }),
  );

  function renderBookingForm(
    res: Response,
    opts: {
      booking?: Booking;
      values: Record<string, unknown>;
      speakers: SpeakerInput[];
      /** The other names as rows (add-another); from `values.otherNames` when not given. */
      otherNameRows?: string[];
      startParts: DateParts | string;
      endParts: DateParts | string;
      errors?: FieldErrors;
      version?: number;
      /** The version of the hirer the form was opened with (its hirer section saves onto that hirer). */
      hirerVersion?: number;
      /** The fingerprint of what the form showed of the booking when opened (see bookingFormShows). */
      shown?: string;
      /** The booking's status when the form was opened: a conflict page can then show a decision made since. */
      openedStatus?: string;
    },
    status = 200,
  ) {
    const errors = inPageOrder(opts.errors ?? {}, BOOKING_PAGE_ORDER);
    // GOV.UK add-another: the speakers entered, or one blank row to start.
    const speakers = opts.speakers.length > 0 ? [...opts.speakers] : [BLANK_SPEAKER];
    const named = opts.otherNameRows ?? String(opts.values.otherNames ?? '').split('\n');
    const otherNameRows = named.length > 0 ? named : [''];
    res.status(status).render('pages/bookings/form', {
      title: opts.booking ? `Change booking ${opts.booking.ref}` : 'Add a booking',
      booking: opts.booking ?? null,
      values: opts.values,
      speakers,
      canAddSpeaker: speakers.length < MAX_SPEAKERS,
      otherNameRows,
      canAddOtherName: otherNameRows.length < MAX_OTHER_NAMES,
      startParts: opts.startParts,
      endParts: opts.endParts,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      hallChoices: bookings.hallChoices(),
      action: opts.booking ? `/bookings/${opts.booking.id}` : '/bookings',
      version: opts.version ?? null,
      hirerVersion: Number.isInteger(opts.hirerVersion) ? opts.hirerVersion : null,
      shown: opts.shown ?? null,
      openedStatus: opts.openedStatus ?? null,
      backLink: opts.booking
        ? { href: `/bookings/${opts.booking.id}`, text: `Back to booking ${opts.booking.ref}` }
        : { href: '/bookings', text: 'Back to bookings' },
    });
  }

  router.get(
    '/bookings/new',
    staff((req, res) => {
      renderBookingForm(res, {
        values: {
          bookingOfficerEmail: req.user.email,
          hallId: str(req.query, 'hall'),
          ref: bookings.nextRef(),
        },
        speakers: [],
        startParts: '',
        endParts: '',
      });
    }),
  );

  router.post(
    '/bookings',
    staff(async (req, res) => {
      const { input, startParts, endParts, otherNameRows } = readBookingForm(req.body);
      const change = listChange(req.body);
      if (change) {
        return renderBookingForm(res, {
          values: input as never,
          ...withListChange(input.speakers, otherNameRows, change),
          startParts,
          endParts,
        });
      }
      const saved = await saveForm(async () => {
        const b = await bookings.create(req.user, input);
        req.session.flash = {
          text: `Booking ${b.ref} was added. It is provisional until its checks are done and a decision is recorded`,
        };
        res.redirect(303, `/bookings/${b.id}`);
      });
      if (!saved.ok) {
        renderBookingForm(
          res,
          {
            values: input as never,
            speakers: input.speakers,
            otherNameRows,
            startParts,
            endParts,
            errors: saved.errors,
          },
          400,
        );
      }
    }),
  );

  router.get(
    '/bookings/:id',
    staff((req, res) => {
      const b = bookings.get(String(req.params.id));
      if (b) return res.render('pages/bookings/show', bookingPage(services, b, req.user));
      const old = bookings.archived.find(String(req.params.id));
      if (!old) throw notFound();
      res.render('pages/bookings/archived', archivedBookingPage(services, old));
    }),
  );

  router.get(
    '/bookings/:id/edit',
    staff((req, res) => {
      const b = bookingOr404(bookings, req.params.id);
      bookings.assertMay(req.user, 'edit', b);
      if (b.personalDataRemoved) throw notFound();
      renderBookingForm(res, {
        booking: b,
        ...bookingFormValues(bookings, b),
        version: b.version,
        hirerVersion: bookings.hirer(b.hirerId)?.version,
        shown: shownFingerprint(bookingFormShows(b)),
        openedStatus: b.status,
      });
    }),
  );

  router.post(
    '/bookings/:id',
    staff(async (req, res) => {
      const b = bookingOr404(bookings, req.params.id);
      // The service asks checks/permissions.ts (booking state × role) before anything is read or saved.
      const { input, startParts, endParts, otherNameRows } = readBookingForm(req.body);
      const version = readVersion(req.body);
      const hirerVersion = readVersion(req.body, 'hirerVersion');
      const shown = str(req.body, 'shown') || undefined;
      const openedStatus = str(req.body, 'status') || undefined;
      const change = listChange(req.body);
      if (change) {
        bookings.assertMay(req.user, 'edit', b);
        return renderBookingForm(res, {
          booking: b,
          values: input as never,
          ...withListChange(input.speakers, otherNameRows, change),
          startParts,
          endParts,
          version,
          hirerVersion,
          shown,
          openedStatus,
        });
      }
      const saved = await saveForm(async () => {
        const { reset } = await bookings.update(req.user, b.id, input, version, hirerVersion, shown);
        req.session.flash = {
          text: reset
            ? `Booking ${input.ref} was updated. The names on it changed, so it is provisional until its checks are done again`
            : `Booking ${input.ref} was updated`,
        };
        res.redirect(303, `/bookings/${b.id}`);
      });
      if (!saved.ok) {
        renderBookingForm(
          res,
          {
            booking: b,
            values: input as never,
            speakers: input.speakers,
            otherNameRows,
            startParts,
            endParts,
            errors: saved.errors,
            version,
            hirerVersion,
            shown,
            openedStatus,
          },
          400,
        );
      }
    }),
  );

  router.post(
    '/bookings/:id/screen',
    staff(async (req, res) => {
      const b = bookingOr404(bookings, req.params.id);
      const s = await bookings.screen(req.user, b.id);
      req.session.flash = {
        text: `Screened against ${s.lists.length} ${s.lists.length === 1 ? 'list' : 'lists'}: ${s.matches.length === 0 ? 'no matches' : `${s.matches.length} ${s.matches.length === 1 ? 'match' : 'matches'}`}`,
      };
      res.redirect(303, `/bookings/${b.id}#screening`);
    }),
  );

  router.use(decisionRoutes(services));
  router.use(hirerRoutes(services));

  // A change asked of an archived booking: refused, saying why, with the way back to it.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof ArchivedBookingError)) return next(err);
    res.status(409).render('pages/bookings/archivedRefused', {
      title: 'This booking is archived',
      message: err.message,
      b: err.booking,
    });
  });

  return router;
}
