import { createHash, randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { formatDate, formatDateTime } from '../../checks/londonDates.js';
import { readDateInput, str } from '../forms/formHelpers.js';
import type { Services } from '../services/createServices.js';
import { createPublicCsrf } from './hireCsrf.js';
import { checkHireRequest, type HireErrors, type HireRaw, MAX_SPEAKERS, rawFromJson } from './hireForms.js';
import { createPerAddressLimit } from './perAddressLimit.js';
import { renderPublic } from './renderPublic.js';

/** Requests one client address may make in an hour (SPEC §13). */
export const HIRE_REQUESTS_PER_HOUR = 5;
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const SUBMISSION = /^[A-Za-z0-9_-]{22}$/;
/** An API client's Idempotency-Key: 8 to 255 visible ASCII characters (a UUID, say), no spaces. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,255}$/;

/**
 * The submission key of an API request sent with an Idempotency-Key: the key and the request's own
 * fields, so the same request sent again gets the request it made, and a key alone (another client's
 * guess or a careless reuse) never reveals someone else's request: different fields make a new one.
 */
function apiSubmissionKey(idempotencyKey: string, input: unknown): string {
  return `api:${createHash('sha256')
    .update(JSON.stringify([idempotencyKey, input]))
    .digest('base64url')}`;
}

/** Form fields whose error links somewhere other than `#field`. */
const FORM_HREFS: Record<string, string> = { start: '#start-day', end: '#endTime' };
for (let i = 0; i < MAX_SPEAKERS; i++) {
  FORM_HREFS[`speakers.${i}.name`] = `#speaker-${i}-name`;
  FORM_HREFS[`speakers.${i}.affiliation`] = `#speaker-${i}-affiliation`;
}

type Body = Record<string, unknown>;

/** The form as posted: the shared raw shape, plus the date and time fields' own problems. */
function readHireForm(body: Body) {
  const date = readDateInput(body, 'start', 'the date of the event');
  const startTime = str(body, 'startTime');
  const endTime = str(body, 'endTime');
  const pre: HireErrors = {};
  if (date.error) pre.start = { text: date.error, href: '#start-day' };
  const time = (t: string, field: string, label: string, example: string) => {
    if (!t) pre[field] = { text: `Enter the ${label}`, href: `#${field}` };
    else if (t.length > 5 || !TIME.test(t))
      pre[field] = { text: `Enter the ${label} as hours and minutes, like ${example}`, href: `#${field}` };
    return TIME.test(t) && t.length <= 5 ? t.padStart(5, '0') : null;
  };
  const start = time(startTime, 'startTime', 'start time', '18:30');
  const end = time(endTime, 'endTime', 'end time', '21:00');
  const speakers: HireRaw['speakers'] = [];
  for (let i = 0; i <= MAX_SPEAKERS && `speaker-${i}-name` in body; i++)
    speakers.push({
      name: str(body, `speaker-${i}-name`),
      affiliation: str(body, `speaker-${i}-affiliation`),
    });
  const raw: HireRaw = {
    hallId: str(body, 'hallId'),
    start: date.iso && start ? `${date.iso}T${start}` : '',
    end: date.iso && end ? `${date.iso}T${end}` : '',
    eventTitle: str(body, 'eventTitle'),
    purpose: str(body, 'purpose'),
    expectedAttendance: str(body, 'expectedAttendance'),
    openToPublic: str(body, 'openToPublic'),
    hirerName: str(body, 'hirerName'),
    hirerEmail: str(body, 'hirerEmail'),
    hirerPhone: str(body, 'hirerPhone'),
    organisation: str(body, 'organisation'),
    otherNames: str(body, 'otherNames').split(/\r?\n/),
    charityNumber: str(body, 'charityNumber'),
    companyNumber: str(body, 'companyNumber'),
    speakers,
    agreeTerms: str(body, 'agreeTerms') === 'yes',
    website: str(body, 'website'),
  };
  // What the person typed, shown again whatever was wrong with it.
  const values = {
    ...Object.fromEntries(
      ['hallId', 'eventTitle', 'purpose', 'expectedAttendance', 'openToPublic', 'hirerName', 'hirerEmail']
        .concat(['hirerPhone', 'organisation', 'otherNames', 'charityNumber', 'companyNumber', 'website'])
        .map((k) => [k, str(body, k)]),
    ),
    startTime,
    endTime,
    agreeTerms: raw.agreeTerms ? 'yes' : '',
  };
  return { raw, pre, values, dateParts: date.parts };
}

/**
 * The public side of hall hire (SPEC §13), mounted before sign-in and sessions: the request form with
 * "add another" speakers, check your answers and a confirmation; the JSON API; the status page by its
 * secret link; the privacy notice. Its own CSRF (no server state), per-address limit and layout; it
 * reads no session, so nothing here can reach a staff page or another request.
 */
export function hireRoutes(services: Services) {
  const { hireRequests, hireLinks, config, store } = services;
  const router = Router();
  const now = () => store.now().getTime();
  const csrf = createPublicCsrf({ secret: hireLinks.csrfSecret, secure: config.secureCookies, now });
  const limit = createPerAddressLimit({ limit: HIRE_REQUESTS_PER_HOUR, windowMs: 60 * 60_000, now });
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 300 });
  const json = express.json({ limit: '64kb', strict: true });

  const context = () => ({
    onlineHall: hireRequests.onlineHall,
    earliestStart: hireRequests.earliestStart(),
    clashes: hireRequests.clashes,
  });

  function renderForm(req: Request, res: Response, model: Record<string, unknown>, status = 200) {
    const errors = (model.errors as HireErrors | undefined) ?? {};
    return renderPublic(
      res,
      'public/hire/form',
      {
        title: 'Request to hire a council hall',
        values: {},
        dateParts: '',
        speakers: [{ name: '', affiliation: '' }],
        ...model,
        errors,
        hasErrors: Object.keys(errors).length > 0,
        halls: hireRequests.halls(),
        earliestText: formatDate(hireRequests.earliestStart()),
        maxSpeakers: MAX_SPEAKERS,
        csrfToken: csrf.token(req, res),
      },
      status,
    );
  }

  function tooMany(res: Response, until: number, api: boolean) {
    const when = formatDateTime(new Date(until));
    const message = `You have sent ${HIRE_REQUESTS_PER_HOUR} requests in the last hour. Try again after ${when}, or contact the venue.`;
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil((until - now()) / 1000))));
    if (api) {
      res.status(429).json({ error: message });
      return Promise.resolve();
    }
    return renderPublic(res, 'public/hire/message', { title: 'Too many requests', message }, 429);
  }

  function confirmation(res: Response, made: { booking: { ref: string }; statusUrl: string }, email: string) {
    res.setHeader('Cache-Control', 'no-store');
    return renderPublic(res, 'public/hire/confirmation', {
      title: 'Request sent',
      ref: made.booking.ref,
      statusUrl: made.statusUrl,
      email,
    });
  }

  router.get('/hire', async (req, res) => {
    await renderForm(req, res, {});
  });

  router.get('/hire/privacy', async (_req, res) => {
    await renderPublic(res, 'public/hire/privacy', { title: 'Privacy notice for hall hire requests' });
  });

  router.post('/hire', form, async (req, res) => {
    if (!csrf.valid(req)) {
      return renderPublic(
        res,
        'public/hire/message',
        {
          title: 'Your form has expired',
          message: 'The form was open too long or did not come from this service. Nothing was sent.',
          link: { href: '/hire', text: 'Start your request again' },
        },
        403,
      );
    }
    const body = (req.body ?? {}) as Body;
    const action = str(body, 'action');
    const { raw, pre, values, dateParts } = readHireForm(body);
    const speakers = raw.speakers.length > 0 ? raw.speakers : [{ name: '', affiliation: '' }];

    // "Add another" and "Remove": the same form again, one speaker row more or fewer.
    if (action === 'add-speaker') {
      const more = speakers.length < MAX_SPEAKERS ? [...speakers, { name: '', affiliation: '' }] : speakers;
      return renderForm(req, res, {
        values,
        dateParts,
        speakers: more,
        focus: `speaker-${more.length - 1}-name`,
      });
    }
    const removed = /^remove-speaker-(\d+)$/.exec(action);
    if (removed) {
      const rest = speakers.filter((_s, i) => i !== Number(removed[1]));
      return renderForm(req, res, {
        values,
        dateParts,
        speakers: rest.length ? rest : [{ name: '', affiliation: '' }],
      });
    }
    if (action === 'change') return renderForm(req, res, { values, dateParts, speakers });

    if (raw.website) {
      // The honeypot was filled: a robot. Nothing is saved; a person who somehow did gets a way on.
      return renderPublic(
        res,
        'public/hire/message',
        { title: 'We could not accept this request', message: 'Contact the venue to book a hall.' },
        400,
      );
    }
    const key = str(body, 'submission');
    // The same check-answers page sent again (double click, back and resend): the request it made. Memory
    // may not hold it yet (sent at once, or through another instance): create() checks again in its change.
    const sentBefore = () =>
      action === 'send' && SUBMISSION.test(key) ? hireRequests.bySubmission(key) : undefined;
    const already = sentBefore();
    if (already) return confirmation(res, already, already.email);
    const checked = checkHireRequest(raw, { ...context(), hrefs: FORM_HREFS });
    const errors: HireErrors = { ...pre };
    if (checked.errors)
      for (const [k, e] of Object.entries(checked.errors)) {
        // A date or time the form itself could not read already has its own message.
        if (
          (k === 'start' && pre.start) ||
          ((k === 'start' || k === 'end') && (pre.startTime || pre.endTime))
        )
          continue;
        errors[k] ??= e;
      }
    if (Object.keys(errors).length > 0 || !checked.input) {
      // Its own request, arrived in memory since the first look, now clashes with it: that is the answer.
      const made = sentBefore();
      if (made) return confirmation(res, made, made.email);
      return renderForm(req, res, { values, dateParts, speakers, errors }, 400);
    }

    if (action === 'send') {
      const until = limit.blockedUntil(req.ip ?? '');
      if (until !== null) return tooMany(res, until, false);
      const made = await hireRequests.create(
        checked.input,
        SUBMISSION.test(key) ? key : randomBytes(16).toString('base64url'),
      );
      limit.record(req.ip ?? '');
      return confirmation(res, made, made.email);
    }
    // Continue: check your answers, carrying the answers in hidden fields (nothing is kept on the server).
    const hall = hireRequests.halls().find((h) => h.id === checked.input.hallId);
    await renderPublic(res, 'public/hire/check', {
      title: 'Check your answers before sending your request',
      input: checked.input,
      hallText: hall?.text ?? '',
      dateText: formatDate(checked.input.start.slice(0, 10)),
      hidden: {
        ...values,
        'start-day': dateParts.day,
        'start-month': dateParts.month,
        'start-year': dateParts.year,
      },
      speakers: raw.speakers,
      submission: randomBytes(16).toString('base64url'),
      csrfToken: csrf.token(req, res),
    });
  });

  router.get('/hire/:token', async (req, res) => {
    const view = hireRequests.status(String(req.params.token));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!view) return renderPublic(res, 'public/hire/notFound', { title: 'Page not found' }, 404);
    await renderPublic(res, 'public/hire/status', {
      title: 'Your hall hire request',
      view,
      receivedText: formatDateTime(view.receivedOn),
    });
  });

  router.post('/api/hire-requests', async (req: Request, res: Response, next: NextFunction) => {
    // JSON only: a cross-site page cannot send this type without the browser asking first (CORS),
    // which this service never allows, so the API needs no CSRF token.
    if (!req.is('application/json'))
      return res.status(415).json({ error: 'Send the request as application/json' });
    const idempotencyKey = req.get('Idempotency-Key');
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
      return res.status(400).json({
        error:
          'The Idempotency-Key header must be 8 to 255 letters, digits or punctuation marks, without spaces',
      });
    // With a key, a request already made answers as it did even when the address has since reached its
    // limit (a client retrying after a lost answer); without one, the limit is checked before any work.
    const until = limit.blockedUntil(req.ip ?? '');
    if (until !== null && idempotencyKey === undefined) {
      await tooMany(res, until, true);
      return;
    }
    json(req, res, async (err?: unknown) => {
      try {
        if ((err as { status?: number } | undefined)?.status === 413)
          return res.status(413).json({ error: 'The request is too large: send at most 64 kB' });
        if (err) return res.status(400).json({ error: 'The request body is not valid JSON' });
        const body = req.body;
        if (!body || typeof body !== 'object' || Array.isArray(body))
          return res.status(400).json({ error: 'Send one JSON object' });
        const raw = rawFromJson(body as Body);
        if (raw.website) return res.status(400).json({ error: 'We could not accept this request' });
        const key =
          idempotencyKey === undefined
            ? randomBytes(16).toString('base64url')
            : apiSubmissionKey(idempotencyKey, raw);
        // Sent again with its key: the request it made (checked before the fields, which its own booking
        // would now clash with). Memory may not hold it yet: looked for again if the fields are refused.
        const sentBefore = () => (idempotencyKey === undefined ? undefined : hireRequests.bySubmission(key));
        const replay = (made: { booking: { ref: string }; statusUrl: string }) => {
          res.setHeader('Idempotent-Replayed', 'true');
          return res.status(201).json({ ref: made.booking.ref, statusUrl: made.statusUrl });
        };
        const already = sentBefore();
        if (already) return replay(already);
        const checked = checkHireRequest(raw, context());
        if (checked.errors) {
          const made = sentBefore();
          if (made) return replay(made);
          return res.status(400).json({
            errors: Object.fromEntries(Object.entries(checked.errors).map(([k, e]) => [k, e.text])),
          });
        }
        if (until !== null) {
          await tooMany(res, until, true);
          return;
        }
        const made = await hireRequests.create(checked.input, key);
        limit.record(req.ip ?? '');
        res.status(201).json({ ref: made.booking.ref, statusUrl: made.statusUrl });
      } catch (e) {
        next(e);
      }
    });
  });

  return router;
}
