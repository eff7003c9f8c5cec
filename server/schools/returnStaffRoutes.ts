import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { formatDate, formatDateTime, londonDate } from '../../checks/londonDates.js';
import { str, strs } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { InputError } from '../errors.js';
import type { SchoolReturn } from '../../data/schemas/returnSchemas.js';
import type { SendOutcome, TrackingStatus } from '../returns/returnSending.js';
import { BODY_MAX, SUBJECT_MAX } from './bulletinService.js';

export const returnStatusLabels: Record<TrackingStatus, { text: string; colour: string }> = {
  'not-sent': { text: 'Not sent', colour: 'grey' },
  sent: { text: 'Sent', colour: 'blue' },
  opened: { text: 'Opened', colour: 'light-blue' },
  draft: { text: 'Draft saved', colour: 'yellow' },
  submitted: { text: 'Submitted', colour: 'green' },
  bounced: { text: 'Bounced', colour: 'red' },
  expired: { text: 'Link expired', colour: 'orange' },
  ended: { text: 'Replaced', colour: 'grey' },
};

/** The school page's line about its annual return: "Submitted on 3 March 2026", "Sent on …, link works until …". */
export function annualReturnSummary({
  status,
  ret,
}: {
  status: TrackingStatus;
  ret: SchoolReturn | null;
}): string {
  const label = returnStatusLabels[status].text;
  if (!ret) return `${label}`;
  const sent = formatDate(londonDate(ret.sentAt));
  if (status === 'submitted')
    return `Submitted on ${formatDate(londonDate(ret.submittedAt!))} (sent on ${sent})`;
  if (status === 'expired' || status === 'ended') return `${label} (sent on ${sent})`;
  return `${label} (sent on ${sent}; the link works until ${formatDate(ret.lastDay)})`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line for the flash after a send: what went, what did not and why, in plain words. */
export function sendSummary(o: SendOutcome): string {
  const parts = [`Sent to ${plural(o.sent.length, 'school')}.`];
  if (o.notSent.length)
    parts.push(`${plural(o.notSent.length, 'school')} not sent: no Prevent lead email address.`);
  if (o.skipped.length)
    parts.push(
      `${plural(o.skipped.length, 'school')} left out: their link still works or their return is in.`,
    );
  const bounced = new Set(o.failed.map((f) => f.school.id)).size;
  if (bounced) parts.push(`The mail server did not take the email for ${plural(bounced, 'school')}.`);
  return parts.join(' ');
}

/** The education team's side of the annual return (tracking, send, send again) and Prevent bulletins. */
export function returnStaffRoutes({ returnSending, bulletins }: Services) {
  const router = Router();
  const education = requireRole('coordinator', 'education');

  router.get('/schools/returns', education, (_req, res) => {
    const rows = returnSending.tracking();
    const counts = new Map<TrackingStatus, number>();
    for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    res.render('pages/schools/returns', {
      title: 'Annual Prevent returns',
      rows: rows.map((r) => ({
        id: r.school.id,
        urn: r.school.urn,
        name: r.school.name,
        status: returnStatusLabels[r.status],
        canResend: r.status !== 'not-sent' && r.status !== 'submitted',
        emails: r.emails,
        sentText: r.ret ? formatDate(londonDate(r.ret.sentAt)) : '',
        lastDayText: r.ret && r.status !== 'submitted' ? formatDate(r.ret.lastDay) : '',
        submittedText: r.ret?.submittedAt ? formatDate(londonDate(r.ret.submittedAt)) : '',
        reviewId: r.ret?.reviewId ?? null,
        bounce: r.ret?.status === 'bounced' ? r.ret.bounce : null,
      })),
      counts: [...counts].map(([status, n]) => ({ text: returnStatusLabels[status].text, n })),
      errors: {},
    });
  });

  router.post(
    '/schools/returns',
    education(async (req, res) => {
      const urnShape = (u: string) => /^\d{1,10}$/.test(u);
      const resend = str(req.body, 'resend');
      const scope = str(req.body, 'scope');
      // "Send again" names one school; "every school" ignores any ticks; otherwise the URNs given (none: all).
      const urns = resend
        ? [resend].filter(urnShape)
        : scope === 'all'
          ? []
          : strs(req.body, 'urn').filter(urnShape);
      if ((scope === 'selected' || resend) && urns.length === 0) {
        req.session.flash = { text: 'Select at least one school to send the return to' };
        return res.redirect(303, '/schools/returns');
      }
      const again = Boolean(resend) || str(req.body, 'again') === 'yes';
      const outcome = await returnSending.send(req.user.email, { urns, again });
      req.session.flash = { text: sendSummary(outcome) };
      res.redirect(303, '/schools/returns');
    }),
  );

  const composeForm = (res: import('express').Response, values: Record<string, string>, errors = {}) =>
    res.status(Object.keys(errors).length > 0 ? 400 : 200).render('pages/schools/bulletinForm', {
      title: 'Write a Prevent bulletin',
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      recipients: bulletins.recipients().length,
      subjectMax: SUBJECT_MAX,
      bodyMax: BODY_MAX,
    });

  router.get('/schools/bulletins', education, (_req, res) => {
    res.render('pages/schools/bulletins', {
      title: 'Prevent bulletins',
      list: bulletins.history().map((b) => ({ ...b, sentText: formatDateTime(b.sentAt) })),
      recipients: bulletins.recipients().length,
    });
  });

  router.get('/schools/bulletins/new', education, (_req, res) =>
    composeForm(res, { subject: '', body: '', key: randomUUID() }),
  );

  router.post('/schools/bulletins/preview', education, (req, res) => {
    const values = {
      subject: str(req.body, 'subject'),
      body: str(req.body, 'body'),
      key: str(req.body, 'key'),
    };
    try {
      bulletins.validate(values);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return composeForm(res, values, err.errors);
    }
    if (str(req.body, 'intent') === 'change') return composeForm(res, values);
    res.render('pages/schools/bulletinPreview', {
      title: 'Check your bulletin before sending it',
      values,
      paragraphs: values.body
        .split(/\r?\n\s*\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean),
      recipients: bulletins.recipients().length,
    });
  });

  router.post(
    '/schools/bulletins',
    education(async (req, res) => {
      const values = {
        subject: str(req.body, 'subject'),
        body: str(req.body, 'body'),
        key: str(req.body, 'key'),
      };
      if (str(req.body, 'intent') === 'change') return composeForm(res, values);
      try {
        const r = await bulletins.send(req.user.email, values);
        req.session.flash = {
          text: r.repeated
            ? 'This bulletin was already sent; it was not sent again'
            : `The bulletin was sent to ${plural(r.sent, 'Prevent lead')}${r.failed ? `; ${r.failed} not yet accepted by the mail server will be tried again` : ''}`,
        };
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return composeForm(res, values, err.errors);
      }
      res.redirect(303, '/schools/bulletins');
    }),
  );

  return router;
}
