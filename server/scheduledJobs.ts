import { backupScheduledJob } from '../jobs/backupJob.js';
import type { ScheduledJob } from '../jobs/scheduler.js';
import type { Services } from './services/createServices.js';

/**
 * The jobs the server runs on a clock (started from main.ts, never by createApp, so tests stay quiet):
 * reminders on REMINDER_CRON and WEEKLY_SUMMARY_CRON, the daily backup at 02:30. The retention purge
 * (SPEC §8) belongs here too, as one more entry, once jobs/retentionJob.ts is merged.
 */
export function scheduledJobs(services: Services, log: (line: string) => void = console.log): ScheduledJob[] {
  const { reminders, config } = services;
  return [
    {
      name: 'reminders',
      crons: [config.reminderCron, config.weeklySummaryCron],
      lastRun: () => reminders.lastRun(),
      async run() {
        const result = await reminders.run();
        log(
          `Reminders as of ${result.asOf}: ${result.sent.length} sent` +
            (result.pending.length ? `, ${result.pending.length} pending (retried later)` : ''),
        );
        return { retry: result.pending.length > 0 };
      },
    },
    backupScheduledJob(services.store, { log }),
  ];
}
