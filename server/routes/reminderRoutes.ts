import { areaReaders } from '../../checks/permissions.js';
import { Router } from 'express';
import { formatDate, formatDateTime } from '../../checks/londonDates.js';
import { scheduleInWords } from '../../checks/scheduleWords.js';
import { scheduledTimesBetween } from '../../jobs/cronSchedule.js';
import { anyRole, requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';

const SHOWN = 100;

/**
 * A schedule in words ("Each working day at 7am"); one the words do not cover is told by its next runs.
 * The times are London's unless the council set another zone, which is then named.
 */
export function scheduleText(expression: string, tz: string, now: Date): string {
  const zone = tz === 'Europe/London' ? '' : ` (${tz.replace(/_/g, ' ')} time)`;
  const words = scheduleInWords(expression);
  if (words) return `${words}${zone}`;
  const next = scheduledTimesBetween(expression, tz, now, new Date(now.getTime() + 400 * 86_400_000), 3);
  if (next.length === 0) return 'Not scheduled';
  return `On a custom schedule; next at ${next.map((d) => formatDateTime(d.toISOString())).join(', ')}${zone}`;
}

/** The reminder log for coordinators, and each user's calendar link page. */
export function reminderRoutes({ reminders, calendar, config, flags, store }: Services) {
  const router = Router();
  const now = () => store.now();
  const coordinator = requireRole('coordinator');

  router.get('/reminders', requireRole(...areaReaders.reminders), async (_req, res) => {
    await reminders.refreshLog();
    const view = reminders.logView();
    res.render('pages/reminders/log', {
      title: 'Reminders',
      lastRun: formatDateTime(reminders.lastRun()) || 'Not yet run',
      schedule: {
        reminders: scheduleText(config.reminderCron, config.tzName, now()),
        weekly: scheduleText(config.weeklySummaryCron, config.tzName, now()),
      },
      // Never the server's folders: they mean nothing to the reader and tell an attacker where to look.
      transport: config.smtpUrl
        ? 'The council’s mail server'
        : 'Saved as email files on the server (no mail server is set up)',
      pending: view.pending.map((p) => ({
        to: p.plan.to,
        subject: p.email.subject,
        what:
          p.plan.kind === 'weekly-summary'
            ? 'Weekly summary'
            : `${p.plan.reminders.length} ${p.plan.reminders.length === 1 ? 'reminder' : 'reminders'}`,
      })),
      failed: view.failed.slice(0, SHOWN).map((e) => ({
        at: formatDateTime(e.at),
        to: e.to,
        subject: e.subject,
        attempts: e.attempts ?? 0,
        error: e.response ?? '',
      })),
      sent: view.sent.slice(0, SHOWN).map((e) => ({
        at: formatDateTime(e.at),
        to: e.to,
        subject: e.subject,
        what: e.kind === 'weekly-summary' ? 'Weekly summary' : e.reminders.map((r) => r.title).join('; '),
      })),
      sentTotal: view.sent.length,
      shown: SHOWN,
    });
  });

  router.post('/reminders/run', coordinator, async (req, res) => {
    const result = await reminders.run();
    req.session.flash = {
      text:
        result.pending.length === 0
          ? `Reminder run finished: ${result.sent.length} ${result.sent.length === 1 ? 'email' : 'emails'} sent`
          : `Reminder run finished: ${result.sent.length} sent, ${result.pending.length} not accepted by the mail server (they will be sent by the next run)`,
    };
    res.redirect(303, '/reminders');
  });

  router.get(
    '/account/calendar',
    anyRole()((req, res) => {
      const newUrl = req.session.calendarUrl;
      delete req.session.calendarUrl;
      const asOf = flags.today();
      res.render('pages/account/calendar', {
        title: 'Your calendar feed',
        hasToken: Boolean(req.user.calendarTokenHash),
        newUrl: newUrl ?? null,
        items: calendar.itemsFor(req.user, asOf).map((i) => ({
          title: i.title,
          area: i.area,
          due: formatDate(i.dueOn),
          overdue: (i.dueOn ?? '') < asOf,
          href: i.href,
        })),
      });
    }),
  );

  router.post(
    '/account/calendar',
    anyRole()(async (req, res) => {
      req.session.calendarUrl = await calendar.regenerate(req.user);
      res.redirect(303, '/account/calendar');
    }),
  );

  router.post(
    '/account/calendar/revoke',
    anyRole()(async (req, res) => {
      await calendar.revoke(req.user);
      req.session.flash = {
        text: 'Your calendar link was turned off. Calendars using it will stop updating.',
      };
      res.redirect(303, '/account/calendar');
    }),
  );

  return router;
}

/**
 * GET /calendar/TOKEN.ics: the secret link is the only credential, so this is mounted before sessions
 * (a calendar polling every few hours must not leave a session behind each time).
 */
export function calendarFeedRoutes({ calendar, flags, store }: Services) {
  const router = Router();
  router.get('/calendar/:file', (req, res) => {
    const m = /^(.+)\.ics$/.exec(String(req.params.file));
    const token = m?.[1];
    const user = token ? calendar.userForToken(token) : undefined;
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!user) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res
      .type('text/calendar; charset=utf-8')
      .setHeader('Content-Disposition', 'inline; filename="due-regard.ics"')
      .send(calendar.feed(user, flags.today(), store.now()));
  });
  return router;
}
