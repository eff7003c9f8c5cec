import { londonDate } from '../checks/londonDates.js';
import { archiveScheduledJob } from '../jobs/archiveJob.js';
import { backupScheduledJob } from '../jobs/backupJob.js';
import { runRetention } from '../jobs/retentionJob.js';
import type { ScheduledJob } from '../jobs/scheduler.js';
import { runSchoolMail } from './returns/schoolMailRun.js';
import type { Services } from './services/createServices.js';

/** The daily retention purge: 03:00 London, after the 02:30 backup, so the backup still holds what it removes. */
export const RETENTION_CRON = '0 3 * * *';

/** How often notifications a mail server did not accept are tried again. */
export const NOTIFICATION_RETRY_CRON = '*/5 * * * *';

/**
 * The jobs the server runs on a clock (started from main.ts, never by createApp, so tests stay quiet):
 * reminders on REMINDER_CRON and WEEKLY_SUMMARY_CRON, the daily backup at 02:30, the retention purge
 * at 03:00 and the move of decided bookings more than a year past to the archive files at 03:30. Each records its last run in meta.jobRuns, so a run missed while the server was down is
 * caught up at start.
 */
export function scheduledJobs(services: Services, log: (line: string) => void = console.log): ScheduledJob[] {
  const { reminders, config, store } = services;
  // Never run in this process: due at once, so notifications left unsent before a restart go out at start.
  let notificationsLastRun: string | null = null;
  return [
    {
      name: 'reminders',
      crons: [config.reminderCron, config.weeklySummaryCron],
      lastRun: () => reminders.lastRun(),
      async run() {
        const result = await reminders.run();
        const schools = await runSchoolMail(services);
        log(
          `Reminders as of ${result.asOf}: ${result.sent.length} sent` +
            (result.pending.length ? `, ${result.pending.length} pending (retried later)` : '') +
            (schools.sent + schools.failed > 0
              ? `; schools' returns and bulletins: ${schools.sent} sent, ${schools.failed} not yet accepted`
              : ''),
        );
        return { retry: result.pending.length > 0 || schools.failed > 0 };
      },
    },
    {
      // Immediate emails are sent when their event happens; this catches up what a restart or a mail
      // server outage left unsent (every 5 minutes, and at start).
      name: 'notifications',
      crons: [NOTIFICATION_RETRY_CRON],
      lastRun: () => notificationsLastRun,
      async run() {
        const result = await services.notifications.kick();
        notificationsLastRun = store.now().toISOString();
        if (result.sent > 0) log(`Notifications: ${result.sent} sent`);
        return { retry: result.pending > 0 };
      },
    },
    backupScheduledJob(store, { log }),
    {
      name: 'retention',
      crons: [RETENTION_CRON],
      lastRun: () => store.data.meta.jobRuns.retention ?? null,
      async run() {
        const startedAt = store.now();
        const result = await runRetention(store, {
          asOf: londonDate(startedAt),
          retentionYears: config.retentionYears,
        });
        await store.transact('system', (tx) =>
          tx.setMeta((m) => {
            m.jobRuns.retention = startedAt.toISOString();
          }),
        );
        if (result.total > 0)
          log(`Retention: personal data of ${result.total} records from before ${result.keptFrom} removed`);
        return undefined;
      },
    },
    archiveScheduledJob(store, { log }),
  ];
}
