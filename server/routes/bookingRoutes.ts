import { type NextFunction, type Request, type Response, Router } from 'express';
import { leadTimeText, roleText, statusText } from '../../checks/bookingRules.js';
import { addDays, formatDate, formatDateTime, londonLocalToInstant } from '../../checks/londonDates.js';
import { getTemplate } from '../../checks/templates/index.js';
import { bookingStatuses, decisionValues } from '../../data/schemas/hallHireSchemas.js';
import type { Booking } from '../../data/schemas/hallHireSchemas.js';
import { type Body, type DateParts, readDateInput, str } from '../forms/formHelpers.js';
import { forbidden, notFound, requireRole } from '../middleware/setUpAuthentication.js';
import { type ArchivedBooking, ArchivedBookingError } from '../services/bookingArchive.js';
import type { BookingInput, SpeakerInput } from '../services/bookingService.js';
import type { Services } from '../services/createServices.js';
import { type FieldErrors, InputError } from '../services/userService.js';
import { conditionsSheetPage } from '../hallHire/conditionsSheetPresenter.js';
import { evidenceRows } from './reviewPage.js';
import { STALE_LIST_DAYS } from './watchlistRoutes.js';

const PAGE_SIZE = 50;
const ANSWER_TEXT = { yes: 'Yes', no: 'No', na: 'Not applicable' } as const;
/** Blank speaker rows offered on the form after those already entered. */
const BLANK_SPEAKERS = 3;
const MAX_SPEAKERS = 50;

export const decisionText: Record<string, string> = {
  approved: 'Approved',
  'approved-with-conditions': 'Approved with conditions',
  referred: 'Referred to the coordinator',
  refused: 'Refused',
  cancelled: 'Cancelled',
};

const statusColour: Record<string, string> = {
  provisional: 'grey',
  'checks-complete': 'blue',
  approved: 'green',
  'approved-with-conditions': 'turquoise',
  referred: 'orange',
  refused: 'red',
  cancelled: 'grey',
};

const HIRER_FIELDS = [
  'hirerName',
  'organisation',
  'otherNames',
  'charityNumber',
  'companyNumber',
  'hirerEmail',
  'hirerPhone',
  'hirerAddress',
] as const;

function readSpeakers(body: Body): SpeakerInput[] {
  const speakers: SpeakerInput[] = [];
  for (let i = 0; i < MAX_SPEAKERS; i++) {
    if (!(`speaker-${i}-name` in (body ?? {}))) break;
    speakers.push({
      name: str(body, `speaker-${i}-name`),
      aliases: str(body, `speaker-${i}-aliases`),
      affiliation: str(body, `speaker-${i}-affiliation`),
    });
  }
  return speakers;
}

/** The booking form as posted, with the date fields' own problems; the end date defaults to the start date. */
function readBookingForm(body: Body): { input: BookingInput; startParts: DateParts; endParts: DateParts } {
  const start = readDateInput(body, 'start', 'the date of the event');
  const end = readDateInput(body, 'end', 'the date the booking ends', false);
  const readErrors: FieldErrors = {};
  if (start.error) readErrors['start-day'] = { text: start.error, href: '#start-day' };
  if (end.error) readErrors['end-day'] = { text: end.error, href: '#end-day' };
  const input: BookingInput = {
    ref: str(body, 'ref'),
    hallId: str(body, 'hallId'),
    startDate: start.iso,
    startTime: str(body, 'startTime'),
    endDate: end.iso ?? (end.error ? null : start.iso),
    endTime: str(body, 'endTime'),
    eventTitle: str(body, 'eventTitle'),
    purpose: str(body, 'purpose'),
    expectedAttendance: str(body, 'expectedAttendance'),
    openToPublic: str(body, 'openToPublic'),
    ...(Object.fromEntries(HIRER_FIELDS.map((f) => [f, str(body, f)])) as Pick<
      BookingInput,
      (typeof HIRER_FIELDS)[number]
    >),
    speakers: readSpeakers(body),
    bookingOfficerEmail: str(body, 'bookingOfficerEmail'),
    readErrors,
  };
  return { input, startParts: start.parts, endParts: end.parts };
}

export function bookingRoutes({
  bookings,
  premises,
  reviews,
  flags,
  store,
  hirerExport,
  evidence,
}: Services) {
  const router = Router();
  const staff = requireRole('coordinator', 'facilities');

  /** A live booking; an archived one is refused with a page saying why it cannot be changed. */
  const bookingOr404 = (id: unknown): Booking => {
    const b = bookings.get(String(id));
    if (b) return b;
    const old = bookings.archived.find(String(id));
    if (old) throw new ArchivedBookingError(old.booking);
    throw notFound();
  };

  const hallLabel = (hallId: string) => {
    const hall = bookings.hall(hallId);
    const p = bookings.premisesOf(hall);
    return hall && p ? `${p.name} — ${hall.name}` : 'Unknown hall';
  };

  const whenText = (b: Booking) => {
    const day = b.start.slice(0, 10);
    const endDay = b.end.slice(0, 10);
    return day === endDay
      ? `${formatDate(day)}, ${b.start.slice(11)} to ${b.end.slice(11)}`
      : `${formatDate(day)} ${b.start.slice(11)} to ${formatDate(endDay)} ${b.end.slice(11)}`;
  };

  // Halls, managed from the premises page.

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

  router.post('/premises/:id/halls', staff, async (req, res) => {
    const premisesId = String(req.params.id);
    const input = { name: str(req.body, 'hallName'), capacity: str(req.body, 'capacity') };
    try {
      const hall = await bookings.addHall(req.user!.email, premisesId, input);
      req.session.flash = { text: `${hall.name} was added` };
      res.redirect(303, `/premises/${premisesId}`);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      renderHallForm(res, { premisesId, values: input, errors: err.errors }, 400);
    }
  });

  router.get('/halls/:id/edit', staff, (req, res) => {
    const hall = bookings.hall(String(req.params.id));
    if (!hall) throw notFound();
    renderHallForm(res, {
      premisesId: hall.premisesId,
      hallId: hall.id,
      values: { name: hall.name, capacity: hall.capacity ?? '', archived: hall.archived ? 'yes' : '' },
      version: hall.version,
    });
  });

  router.post('/halls/:id', staff, async (req, res) => {
    const hall = bookings.hall(String(req.params.id));
    if (!hall) throw notFound();
    const input = {
      name: str(req.body, 'hallName'),
      capacity: str(req.body, 'capacity'),
      archived: str(req.body, 'archived') === 'yes',
    };
    const version = Number.parseInt(str(req.body, 'version'), 10);
    try {
      await bookings.updateHall(req.user!.email, hall.id, input, version);
      req.session.flash = { text: `${input.name} was updated` };
      res.redirect(303, `/premises/${hall.premisesId}`);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      renderHallForm(
        res,
        {
          premisesId: hall.premisesId,
          hallId: hall.id,
          values: { ...input, archived: input.archived ? 'yes' : '' },
          errors: err.errors,
          version,
        },
        400,
      );
    }
  });

  // Bookings.

  router.get('/bookings', staff, (req, res) => {
    const today = flags.today();
    const filter = {
      status: bookingStatuses.includes(str(req.query, 'status') as never) ? str(req.query, 'status') : '',
      q: str(req.query, 'q'),
      premisesId: str(req.query, 'premises'),
      when: ['upcoming', 'past', 'all'].includes(str(req.query, 'when'))
        ? str(req.query, 'when')
        : 'upcoming',
      mine: str(req.query, 'mine') === 'yes' ? 'yes' : '',
      archived: str(req.query, 'archived') === 'yes' ? 'yes' : '',
    };
    const rows = bookings.list(filter, req.user!, today);
    const flagged = new Map<string, string[]>();
    for (const f of flags.forUser(req.user!, today)) {
      if (f.subject.type === 'booking')
        flagged.set(f.subject.id, [...(flagged.get(f.subject.id) ?? []), f.rule]);
    }
    const page = Math.max(1, Number.parseInt(str(req.query, 'page') || '1', 10) || 1);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    const query = (p: number) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...filter, premises: filter.premisesId })) {
        if (v && k !== 'premisesId') q.set(k, v);
      }
      q.set('page', String(p));
      return `/bookings?${q}`;
    };
    res.render('pages/bookings/list', {
      title: 'Bookings',
      filter,
      total: rows.length,
      rows: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => ({
        ...r,
        whenText: whenText(r.booking),
        statusText: statusText[r.booking.status],
        statusColour: statusColour[r.booking.status],
        flags: flagged.get(r.booking.id) ?? [],
        archived: r.archived,
      })),
      statuses: bookingStatuses.map((s) => ({ value: s, text: statusText[s] })),
      premisesChoices: premises.list().map((p) => ({ value: p.id, text: p.name })),
      pagination: {
        previous: page > 1 ? { href: query(page - 1) } : null,
        next: page < pages ? { href: query(page + 1) } : null,
      },
      page,
      pages,
    });
  });

  function renderBookingForm(
    res: Response,
    opts: {
      booking?: Booking;
      values: Record<string, unknown>;
      speakers: SpeakerInput[];
      startParts: DateParts | string;
      endParts: DateParts | string;
      errors?: FieldErrors;
      version?: number;
    },
    status = 200,
  ) {
    const errors = opts.errors ?? {};
    const speakers = [...opts.speakers];
    const blanks = speakers.filter((s) => !s.name && !s.aliases && !s.affiliation).length;
    for (let i = blanks; i < BLANK_SPEAKERS; i++) speakers.push({ name: '', aliases: '', affiliation: '' });
    res.status(status).render('pages/bookings/form', {
      title: opts.booking ? `Change booking ${opts.booking.ref}` : 'Add a booking',
      booking: opts.booking ?? null,
      values: opts.values,
      speakers,
      startParts: opts.startParts,
      endParts: opts.endParts,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      hallChoices: bookings.hallChoices(),
      action: opts.booking ? `/bookings/${opts.booking.id}` : '/bookings',
      version: opts.version ?? null,
      backLink: opts.booking
        ? { href: `/bookings/${opts.booking.id}`, text: `Back to booking ${opts.booking.ref}` }
        : { href: '/bookings', text: 'Back to bookings' },
    });
  }

  router.get('/bookings/new', staff, (req, res) => {
    renderBookingForm(res, {
      values: { bookingOfficerEmail: req.user!.email, hallId: str(req.query, 'hall') },
      speakers: [],
      startParts: '',
      endParts: '',
    });
  });

  router.post('/bookings', staff, async (req, res) => {
    const { input, startParts, endParts } = readBookingForm(req.body);
    try {
      const b = await bookings.create(req.user!, input);
      req.session.flash = {
        text: `Booking ${b.ref} was added. It is provisional until its checks are done and a decision is recorded`,
      };
      res.redirect(303, `/bookings/${b.id}`);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      renderBookingForm(
        res,
        { values: input as never, speakers: input.speakers, startParts, endParts, errors: err.errors },
        400,
      );
    }
  });

  router.get('/bookings/:id', staff, (req, res) => {
    if (!bookings.get(String(req.params.id))) {
      const old = bookings.archived.find(String(req.params.id));
      if (!old) throw notFound();
      return renderArchived(res, old);
    }
    const b = bookingOr404(req.params.id);
    const hall = bookings.hall(b.hallId);
    const hirer = bookings.hirer(b.hirerId);
    const history = reviews.history('booking', b.id);
    const checks = bookings.checksReview(b);
    const draft = history.find((r) => r.status === 'draft') ?? null;
    const latestCheck = history.find((r) => r.status === 'submitted') ?? null;
    const decisions = bookings.decisionsOf(b.id);
    const current = decisions.find((d) => d.id === b.decisionId) ?? null;
    const matches = bookings.liveMatches(b);
    const today = flags.today();
    const started = londonLocalToInstant(b.start).getTime() <= store.now().getTime();
    const recent = latestCheck ? undefined : bookings.hirersRecentCheck(b);
    res.render('pages/bookings/show', {
      title: `Booking ${b.ref}`,
      b,
      hall,
      premises: bookings.premisesOf(hall),
      hirer,
      whenText: whenText(b),
      statusText: statusText[b.status],
      statusColour: statusColour[b.status],
      leadText: started ? 'The event has started' : leadTimeText(today, b.start.slice(0, 10)),
      checks: checks
        ? {
            ...checks,
            completedText: formatDate(checks.completedOn),
            criticalNos: bookings.criticalNos(checks),
          }
        : null,
      latestCheck,
      draft,
      recentHirerCheck: recent
        ? {
            ...recent,
            completedText: formatDate(recent.completedOn),
            ref: bookings.get(recent.subjectId)?.ref ?? '',
          }
        : null,
      matches: matches.map((m) => ({
        ...m,
        roleText: roleText[m.role],
        cleared: b.clearedEntryIds.includes(m.entry.id),
        asOfText: formatDate(m.asOf),
      })),
      lists: bookings.listVersions().map((l) => ({
        ...l,
        asOfText: formatDate(l.asOf),
        stale: l.asOf < addDays(today, -STALE_LIST_DAYS),
      })),
      screenings: bookings.screeningsOf(b.id).map((s) => ({ ...s, atText: formatDateTime(s.at) })),
      current,
      decisions: decisions.map((d) => ({
        ...d,
        atText: formatDateTime(d.decidedAt),
        decisionText: decisionText[d.decision],
      })),
      decisionText,
      mayDecide: bookings.mayDecide(b, req.user!),
      mayEdit: b.status !== 'referred' || req.user!.role === 'coordinator',
      hirerHistory: bookings.historyOf(b).map((h) => ({
        ...h,
        whenText: formatDate(h.booking.start.slice(0, 10)),
        statusText: statusText[h.booking.status],
        venue: h.premises && h.hall ? `${h.premises.name} — ${h.hall.name}` : 'Unknown hall',
      })),
      flags: flags
        .forUser(req.user!, today)
        .filter((f) => f.subject.type === 'booking' && f.subject.id === b.id),
      formatDate,
      backLink: { href: '/bookings', text: 'Back to bookings' },
    });
  });

  function formValues(b: Booking) {
    const hirer = bookings.hirer(b.hirerId);
    return {
      values: {
        ref: b.ref,
        hallId: b.hallId,
        startTime: b.start.slice(11),
        endTime: b.end.slice(11),
        eventTitle: b.eventTitle ?? '',
        purpose: b.purpose ?? '',
        expectedAttendance: b.expectedAttendance ?? '',
        openToPublic: b.openToPublic === null ? '' : b.openToPublic ? 'yes' : 'no',
        hirerName: hirer?.name ?? '',
        organisation: hirer?.organisation ?? '',
        otherNames: (hirer?.otherNames ?? []).join('\n'),
        charityNumber: hirer?.charityNumber ?? '',
        companyNumber: hirer?.companyNumber ?? '',
        hirerEmail: hirer?.email ?? '',
        hirerPhone: hirer?.phone ?? '',
        hirerAddress: hirer?.address ?? '',
        bookingOfficerEmail: b.bookingOfficerEmail ?? '',
      },
      speakers: b.speakers.map((s) => ({
        name: s.name,
        aliases: s.aliases.join('; '),
        affiliation: s.affiliation ?? '',
      })),
      startParts: b.start.slice(0, 10),
      endParts: b.end.slice(0, 10),
    };
  }

  const mayEdit = (b: Booking, role: string) => b.status !== 'referred' || role === 'coordinator';

  router.get('/bookings/:id/edit', staff, (req, res) => {
    const b = bookingOr404(req.params.id);
    if (!mayEdit(b, req.user!.role)) throw forbidden();
    if (b.personalDataRemoved) throw notFound();
    renderBookingForm(res, { booking: b, ...formValues(b), version: b.version });
  });

  router.post('/bookings/:id', staff, async (req, res) => {
    const b = bookingOr404(req.params.id);
    if (!mayEdit(b, req.user!.role)) throw forbidden();
    const { input, startParts, endParts } = readBookingForm(req.body);
    const version = Number.parseInt(str(req.body, 'version'), 10);
    try {
      const { reset } = await bookings.update(req.user!, b.id, input, version);
      req.session.flash = {
        text: reset
          ? `Booking ${input.ref} was updated. The names on it changed, so it is provisional until its checks are done again`
          : `Booking ${input.ref} was updated`,
      };
      res.redirect(303, `/bookings/${b.id}`);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      renderBookingForm(
        res,
        {
          booking: b,
          values: input as never,
          speakers: input.speakers,
          startParts,
          endParts,
          errors: err.errors,
          version,
        },
        400,
      );
    }
  });

  router.post('/bookings/:id/screen', staff, async (req, res) => {
    const b = bookingOr404(req.params.id);
    const s = await bookings.screen(req.user!, b.id);
    req.session.flash = {
      text: `Screened against ${s.lists.length} ${s.lists.length === 1 ? 'list' : 'lists'}: ${s.matches.length === 0 ? 'no matches' : `${s.matches.length} ${s.matches.length === 1 ? 'match' : 'matches'}`}`,
    };
    res.redirect(303, `/bookings/${b.id}#screening`);
  });

  function renderDecisionForm(
    res: Response,
    b: Booking,
    user: Express.Request['user'],
    values: Record<string, unknown>,
    errors: FieldErrors = {},
  ) {
    const ctx = bookings.decisionContext(b, user!);
    const coordinator = user!.role === 'coordinator';
    res.status(Object.keys(errors).length ? 400 : 200).render('pages/bookings/decision', {
      title: `Decide booking ${b.ref}`,
      b,
      hirer: bookings.hirer(b.hirerId),
      hallText: hallLabel(b.hallId),
      whenText: whenText(b),
      statusText: statusText[b.status],
      ctx,
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

  router.get('/bookings/:id/decision', staff, (req, res) => {
    const b = bookingOr404(req.params.id);
    if (!bookings.mayDecide(b, req.user!)) throw forbidden();
    renderDecisionForm(res, b, req.user, { version: b.version });
  });

  router.post('/bookings/:id/decision', staff, async (req, res) => {
    const b = bookingOr404(req.params.id);
    if (!bookings.mayDecide(b, req.user!)) throw forbidden();
    const values = {
      decision: str(req.body, 'decision'),
      rationale: str(req.body, 'rationale'),
      conditions: str(req.body, 'conditions'),
      expression: str(req.body, 'expression'),
      equality: str(req.body, 'equality'),
      alternatives: str(req.body, 'alternatives'),
      version: Number.parseInt(str(req.body, 'version'), 10),
    };
    try {
      const d = await bookings.decide(req.user!, b.id, {
        decision: values.decision,
        rationale: values.rationale,
        conditions: values.conditions
          .split(/\r?\n/)
          .map((c) => c.replace(/^\s*[-*•]\s*/, '').trim())
          .filter(Boolean),
        balancing: {
          expression: values.expression,
          equality: values.equality,
          alternatives: values.alternatives,
        },
        version: values.version,
      });
      req.session.flash = { text: `Decision recorded: ${decisionText[d.decision]}` };
      res.redirect(303, `/bookings/${b.id}`);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      renderDecisionForm(res, b, req.user, values, err.errors);
    }
  });

  router.get('/bookings/:id/conditions', staff, (req, res) => {
    const old = bookings.get(String(req.params.id))
      ? undefined
      : bookings.archived.find(String(req.params.id));
    const b = old?.booking ?? bookingOr404(req.params.id);
    const d = b.decisionId
      ? (old?.decisions.find((x) => x.id === b.decisionId) ?? store.get('bookingDecisions', b.decisionId))
      : undefined;
    const { view, locals } = conditionsSheetPage({
      booking: b,
      decision: d ?? null,
      hirer: bookings.hirer(b.hirerId),
      hallText: hallLabel(b.hallId),
      whenText: whenText(b),
    });
    res.render(view, locals);
  });

  /** An archived booking: read-only, everything that moved with it shown on the page. */
  function renderArchived(res: Response, old: ArchivedBooking) {
    const b = old.booking;
    const hall = bookings.hall(b.hallId);
    const current = old.decisions.find((d) => d.id === b.decisionId) ?? null;
    res.render('pages/bookings/archived', {
      title: `Booking ${b.ref} (archived)`,
      b,
      year: old.year,
      hall,
      premises: bookings.premisesOf(hall),
      hirer: bookings.hirer(b.hirerId),
      whenText: whenText(b),
      statusText: statusText[b.status],
      statusColour: statusColour[b.status],
      checks: old.reviews
        .filter((r) => r.status === 'submitted')
        .map((r) => {
          let questions: { id: string; text: string }[] = [];
          try {
            questions = getTemplate(r.templateId, r.templateVersion).questions;
          } catch {
            // A template this version no longer knows: the answers are shown by question id.
          }
          const text = new Map(questions.map((q) => [q.id, q.text]));
          const ids = questions.length ? questions.map((q) => q.id) : Object.keys(r.answers);
          return {
            ...r,
            completedText: formatDate(r.completedOn),
            answers: ids
              .filter((id) => r.answers[id])
              .map((id) => ({
                id,
                text: text.get(id) ?? id,
                answer: r.answers[id].answer ? ANSWER_TEXT[r.answers[id].answer] : 'Not answered',
                note: [r.answers[id].reason, r.answers[id].note].filter(Boolean).join(' — '),
              })),
            actions: old.actions.filter((a) => a.reviewId === r.id),
            evidence: evidenceRows(evidence.ofReview(r.id)),
          };
        }),
      screenings: old.screenings.map((s) => ({ ...s, atText: formatDateTime(s.at) })),
      current,
      decisions: old.decisions.map((d) => ({
        ...d,
        atText: formatDateTime(d.decidedAt),
        decisionText: decisionText[d.decision],
      })),
      decisionText,
      hirerHistory: bookings.historyOf(b).map((h) => ({
        ...h,
        whenText: formatDate(h.booking.start.slice(0, 10)),
        statusText: statusText[h.booking.status],
        venue: h.premises && h.hall ? `${h.premises.name} — ${h.hall.name}` : 'Unknown hall',
      })),
      formatDate,
      backLink: { href: '/bookings?archived=yes&when=past', text: 'Back to bookings' },
    });
  }

  // Hirers.

  router.get('/hirers/:id', staff, (req, res) => {
    const hirer = bookings.hirer(String(req.params.id));
    if (!hirer) throw notFound();
    // Live bookings, then those moved to the archive files (decided, more than a year past).
    const old = bookings.archived.ofHirers(new Set([hirer.id]));
    const oldDecisions = old.length ? bookings.archived.decisionsById() : undefined;
    const rows = [
      ...bookings.bookingsOfHirer(hirer.id).map((b) => ({
        b,
        d: b.decisionId ? store.get('bookingDecisions', b.decisionId) : undefined,
        archived: false,
      })),
      ...old.map((b) => ({
        b,
        d: b.decisionId ? oldDecisions?.get(b.decisionId) : undefined,
        archived: true,
      })),
    ].sort((x, y) => y.b.start.localeCompare(x.b.start));
    res.render('pages/bookings/hirer', {
      title: hirer.personalDataRemoved ? 'Hirer (details removed)' : hirer.name,
      hirer,
      mayExport: req.user!.role === 'coordinator',
      rows: rows.map(({ b, d, archived }) => ({
        b,
        d,
        archived,
        venue: hallLabel(b.hallId),
        whenText: formatDate(b.start.slice(0, 10)),
        statusText: statusText[b.status],
      })),
      backLink: { href: '/bookings', text: 'Back to bookings' },
    });
  });

  // Everything held about one hirer, as a JSON download (coordinator only); the export is audited.
  router.get('/hirers/:id/export', requireRole('coordinator'), async (req, res) => {
    const data = await hirerExport.exportHirer(String(req.params.id), req.user!.email);
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
  });

  function renderHirerForm(
    res: Response,
    hirerId: string,
    values: Record<string, unknown>,
    version: number,
    errors: FieldErrors = {},
  ) {
    res.status(Object.keys(errors).length ? 400 : 200).render('pages/bookings/hirerForm', {
      title: 'Change hirer details',
      hirerId,
      values,
      version,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      backLink: { href: `/hirers/${hirerId}`, text: 'Back to the hirer' },
    });
  }

  router.get('/hirers/:id/edit', staff, (req, res) => {
    const h = bookings.hirer(String(req.params.id));
    if (!h || h.personalDataRemoved) throw notFound();
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
  });

  router.post('/hirers/:id', staff, async (req, res) => {
    const h = bookings.hirer(String(req.params.id));
    if (!h || h.personalDataRemoved) throw notFound();
    const input = Object.fromEntries(HIRER_FIELDS.map((f) => [f, str(req.body, f)])) as Pick<
      BookingInput,
      (typeof HIRER_FIELDS)[number]
    >;
    const version = Number.parseInt(str(req.body, 'version'), 10);
    try {
      const { reset } = await bookings.updateHirer(req.user!, h.id, input, version);
      req.session.flash = {
        text: reset.length
          ? `The hirer’s details were updated. Their names changed, so these bookings need their checks again: ${reset.join(', ')}`
          : 'The hirer’s details were updated',
      };
      res.redirect(303, `/hirers/${h.id}`);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      renderHirerForm(res, h.id, input, version, err.errors);
    }
  });

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
